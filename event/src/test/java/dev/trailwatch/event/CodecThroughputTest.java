package dev.trailwatch.event;

import java.io.IOException;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Prints the decode + validate + canonical encode rate of the import path on generated NDJSON.
 * Measures only: it asserts nothing about time (a shared build machine is too noisy for that). Size
 * with {@code -Dperf.events=N -Dperf.rounds=R}; the default is a short run so the build stays
 * quick. For a careful figure run {@link CodecThroughput#main} on a quiet machine.
 */
class CodecThroughputTest {
  @Test
  void printsTheRate() throws IOException {
    int events = Integer.getInteger("perf.events", 50_000);
    int rounds = Integer.getInteger("perf.rounds", 4);
    byte[] ndjson = CodecThroughput.sample(42, events);
    CodecThroughput.Round best = null;
    for (int r = 0; r < rounds; r++) {
      CodecThroughput.Round round = CodecThroughput.round(ndjson);
      if (best == null || round.cpuSeconds() < best.cpuSeconds()) {
        best = round;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "codec: best of %d rounds over %,d events (%.0f bytes/line): %,.0f events/s per core"
            + " (CPU time), %,.0f events/s wall%n",
        rounds,
        best.events(),
        (double) best.inputBytes() / best.events(),
        best.eventsPerCpuSecond(),
        best.eventsPerSecond());
  }
}
