package dev.trailwatch.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.ingest.EventSink;
import dev.trailwatch.ingest.http.BatchDecoder;
import dev.trailwatch.ingest.noise.NoiseFilter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest service without HTTP: here, what happens when the ledger falls behind. */
class IngestServiceTest {
  @TempDir Path dir;

  @Test
  void aLedgerThatFallsBehindGets503WithRetryAfterAndLosesNothingAccepted() throws Exception {
    CompletableFuture<EventSink.Stored> stalled = new CompletableFuture<>();
    AtomicInteger calls = new AtomicInteger();
    IngestService.Store slow =
        payloads -> {
          calls.incrementAndGet();
          return stalled.thenApply(x -> new EventSink.Stored(0, payloads.size()));
        };
    ServerConfig base = ServerTest.config();
    ServerConfig config =
        new ServerConfig(
            new ServerConfig.Http("127.0.0.1", 0, 16L << 20),
            base.syslog(),
            null,
            new ServerConfig.Ingest(0, 1L << 20, 0L), // 1 MiB pending at most, no waiting
            null,
            null,
            null);
    IngestStats stats = new IngestStats();
    IngestService service =
        new IngestService(
            slow,
            new RecentEventIds(0),
            new DiskGuard(dir, 0),
            () -> true,
            config,
            InstantSource.system(),
            stats,
            NoiseFilter.none());
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      big.append(ServerTest.event("user" + i, null)).append('\n');
    }
    String bigBody = big.toString().repeat(8); // about 1.5 MB: takes every permit
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<IngestService.Outcome> first =
          pool.submit(
              () -> service.ingest(body(bigBody), BatchDecoder.Framing.NDJSON, false, false));
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (calls.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(calls.get()).as("the first batch reached the ledger").isEqualTo(1);

      IngestService.Outcome second =
          service.ingest(
              body(ServerTest.event("late", null)), BatchDecoder.Framing.NDJSON, false, false);
      assertThat(second).isInstanceOf(IngestService.Outcome.Unavailable.class);
      IngestService.Outcome.Unavailable u = (IngestService.Outcome.Unavailable) second;
      assertThat(u.retryAfterSeconds()).isEqualTo(1);
      assertThat(u.message()).contains("the ledger is behind");
      assertThat(stats.refusedBusy.sum()).isEqualTo(1);
      assertThat(calls.get()).as("the refused batch never reached the ledger").isEqualTo(1);

      stalled.complete(new EventSink.Stored(0, 0));
      IngestService.Outcome done = first.get();
      assertThat(done).isInstanceOf(IngestService.Outcome.Stored.class);
      assertThat(((IngestService.Outcome.Stored) done).accepted()).isEqualTo(24_000);
      // With the ledger caught up, the same small batch goes through.
      assertThat(
              service.ingest(
                  body(ServerTest.event("late", null)), BatchDecoder.Framing.NDJSON, false, false))
          .isInstanceOf(IngestService.Outcome.Stored.class);
    } finally {
      pool.shutdownNow();
    }
  }

  private static ByteArrayInputStream body(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
