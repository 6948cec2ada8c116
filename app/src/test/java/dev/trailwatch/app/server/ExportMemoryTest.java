package dev.trailwatch.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.EventJson;
import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import dev.trailwatch.search.index.Indexer;
import dev.trailwatch.search.index.IndexerConfig;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export streams with constant memory: 200,000 events (about 100 MB of NDJSON) from a server
 * whose whole heap is 96 MB.
 */
class ExportMemoryTest {
  static final int EVENTS = 200_000;

  @TempDir Path dir;

  @Test
  void exportsFarMoreThanTheHeapHolds() throws Exception {
    Path data = dir.resolve("data");
    try (Ledger ledger = Ledger.open(LedgerConfig.of(data))) {
      EventGenerator generator =
          new EventGenerator(1, GeneratorConfig.defaults().withEvents(EVENTS));
      for (int done = 0; done < EVENTS; ) {
        List<byte[]> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++, done++) {
          batch.add(EventJson.canonical(generator.next()));
        }
        ledger.append(batch);
      }
      // Indexed here, so that the small server only searches.
      try (Indexer indexer =
          Indexer.start(
              ledger, IndexerConfig.rebuild().withRamBufferMb(32), InstantSource.system())) {
        assertThat(indexer.awaitPosition(EVENTS, Duration.ofMinutes(5))).isTrue();
      }
    }
    ServeChild child = ServeChild.start("96m", data, dir);
    try {
      HttpResponse<InputStream> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + child.port()
                                  + "/api/v1/export?q=*&from=2026-11-01T00:00:00Z"
                                  + "&to=2026-11-10T00:00:00Z"))
                      .header("Authorization", "Bearer " + ServeChild.ADMIN_TOKEN)
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      long lines = 0;
      long bytes = 0;
      byte[] buf = new byte[1 << 16];
      try (InputStream in = r.body()) {
        for (int n; (n = in.read(buf)) > 0; ) {
          bytes += n;
          for (int i = 0; i < n; i++) {
            lines += buf[i] == '\n' ? 1 : 0;
          }
        }
      }
      assertThat(lines).isEqualTo(EVENTS);
      assertThat(bytes).as("more than the server's heap").isGreaterThan(96L << 20);
      assertThat(child.process().isAlive()).isTrue();
    } finally {
      child.process().destroy();
      if (!child.process().waitFor(60, TimeUnit.SECONDS)) {
        child.process().destroyForcibly();
      }
    }
  }
}
