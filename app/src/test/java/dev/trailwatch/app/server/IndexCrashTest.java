package dev.trailwatch.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.EventJson;
import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import dev.trailwatch.ledger.EntryIterator;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import dev.trailwatch.ledger.LedgerReader;
import dev.trailwatch.search.index.SearchIndex;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search index of {@code trailwatch serve} in a child JVM, killed with SIGKILL while it indexes
 * a backlog (and takes commits, and receives events over HTTP) three times; after a last start that
 * catches up and stops in order, the index holds every event of the ledger exactly once.
 */
class IndexCrashTest {
  private static final Pattern METRIC = Pattern.compile("(?m)^(trailwatch_index_\\w+) (\\S+)$");

  @TempDir Path dir;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void afterSigkillMidIndexingTheIndexHoldsEveryEventExactlyOnce() throws Exception {
    long seed = Long.getLong("tests.seed", new SplittableRandom().nextLong());
    System.out.println("IndexCrashTest seed: " + seed + " (replay: -Dtests.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    Path data = dir.resolve("data");
    int backlog = 150_000;
    writeBacklog(data, seed, backlog);
    Path config = dir.resolve("trailwatch.yaml");
    Files.writeString(
        config, "index:\n  threads: 2\n  commit_every: 7000\n  commit_interval_seconds: 1\n");

    for (int round = 0; round < 3; round++) {
      ServeChild child = ServeChild.start(data, dir, "--config", config.toString());
      Map<String, Double> first = metrics(child);
      long from = first.get("trailwatch_index_position").longValue();
      long killAt = from + 8_000 + random.nextInt(25_000);
      AtomicBoolean stop = new AtomicBoolean();
      Thread client = new Thread(() -> sendUntil(child, stop, random.split()), "client");
      client.start();
      Map<String, Double> seen = first;
      while (seen.get("trailwatch_index_position") < killAt
          || seen.get("trailwatch_index_commits_total") < 1) {
        Thread.sleep(20);
        seen = metrics(child);
      }
      child.process().destroyForcibly(); // SIGKILL, mid-indexing
      child.process().waitFor();
      stop.set(true);
      client.join();
      System.out.printf(
          "IndexCrashTest round %d: started at entry %d, killed at about %d with %.0f behind%n",
          round,
          from,
          seen.get("trailwatch_index_position").longValue(),
          seen.get("trailwatch_index_lag_entries"));
      assertThat(seen.get("trailwatch_index_lag_entries"))
          .as("seed %d: killed while entries were still to index", seed)
          .isPositive();
    }

    ServeChild last = ServeChild.start(data, dir, "--config", config.toString());
    while (metrics(last).get("trailwatch_index_lag_entries") > 0) {
      Thread.sleep(50);
    }
    last.process().destroy(); // SIGTERM: a final commit
    assertThat(last.process().waitFor()).as("exit code after SIGTERM").isZero();

    Set<Long> events = new HashSet<>();
    long entries = 0;
    try (LedgerReader reader = LedgerReader.open(data);
        EntryIterator it = reader.entries(0)) {
      while (it.next()) {
        entries++;
        try {
          EventJson.decodeCanonical(it.entry().payload());
          events.add(it.seq());
        } catch (IllegalArgumentException notAnEvent) {
          // the backlog's system entries
        }
      }
    }
    Map<Long, Integer> indexed = IndexedSeqs.of(SearchIndex.path(data));
    System.out.printf(
        "IndexCrashTest: %,d entries, %,d events, %,d documents%n",
        entries, events.size(), indexed.values().stream().mapToInt(Integer::intValue).sum());
    assertThat(entries).isGreaterThan(backlog);
    assertThat(indexed.values()).as("seed %d: no event indexed twice", seed).allMatch(n -> n == 1);
    assertThat(indexed.keySet()).as("seed %d: every event, nothing else", seed).isEqualTo(events);
  }

  /** Events written offline (as {@code import} does), with a non-event entry every 5,000. */
  static void writeBacklog(Path data, long seed, int events) throws Exception {
    EventGenerator generator =
        new EventGenerator(seed, GeneratorConfig.defaults().withEvents(events));
    try (Ledger ledger = Ledger.open(LedgerConfig.of(data))) {
      for (int i = 0; i < events; i += 5000) {
        List<byte[]> batch = new ArrayList<>();
        for (int j = 0; j < 5000; j++) {
          batch.add(EventJson.canonical(generator.next()));
        }
        batch.add("{\"system\":\"drill\"}".getBytes(StandardCharsets.UTF_8));
        ledger.append(batch);
      }
    }
  }

  /** POSTs batches of 100 generated events until told to stop or the server is gone. */
  private void sendUntil(ServeChild child, AtomicBoolean stop, SplittableRandom random) {
    EventGenerator generator = new EventGenerator(random.nextLong(), GeneratorConfig.defaults());
    while (!stop.get()) {
      StringBuilder body = new StringBuilder();
      for (int i = 0; i < 100; i++) {
        body.append(EventJson.canonicalString(generator.next())).append('\n');
      }
      try {
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + child.port() + "/api/v1/events"))
                .header("Authorization", "Bearer " + ServeChild.ADMIN_TOKEN)
                .header("Content-Type", "application/x-ndjson")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.discarding());
      } catch (IOException | InterruptedException gone) {
        return;
      }
    }
  }

  private Map<String, Double> metrics(ServeChild child) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.port() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Map<String, Double> out = new HashMap<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      out.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return out;
  }
}
