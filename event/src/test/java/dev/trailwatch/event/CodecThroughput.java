package dev.trailwatch.event;

import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import dev.trailwatch.event.sample.WriteSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures decode + validate + canonical encode of generated NDJSON on one thread, the import path.
 * Prints; asserts nothing. Run: {@code java -cp ... dev.trailwatch.event.CodecThroughput [events]
 * [rounds]}, or through {@link CodecThroughputTest}.
 */
final class CodecThroughput {
  private CodecThroughput() {}

  /**
   * One measured round.
   *
   * @param seconds wall-clock time
   * @param cpuSeconds CPU time of the measuring thread: the per-core figure, robust against other
   *     processes competing for the cores
   */
  record Round(long events, long inputBytes, long outputBytes, double seconds, double cpuSeconds) {
    double eventsPerSecond() {
      return events / seconds;
    }

    double eventsPerCpuSecond() {
      return events / cpuSeconds;
    }
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  static byte[] sample(long seed, int events) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(events * 400);
    WriteSummary summary =
        new EventGenerator(seed, GeneratorConfig.defaults().withEvents(events))
            .writeNdjson(out, events);
    System.out.printf(
        Locale.ROOT,
        "generated %,d events, %,d bytes, %.1f bytes per line%n",
        summary.lines(),
        summary.bytes(),
        summary.averageLineBytes());
    return out.toByteArray();
  }

  /** Decodes every line, re-encodes every valid event canonically. */
  static Round round(byte[] ndjson) throws IOException {
    CanonicalEncoder encoder = new CanonicalEncoder();
    long events = 0;
    long outBytes = 0;
    long start = System.nanoTime();
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    try (NdjsonDecoder decoder = NdjsonDecoder.of(ndjson)) {
      Optional<DecodedLine> line;
      while ((line = decoder.next()).isPresent()) {
        if (line.get().decoded() instanceof Decoded.Valid valid) {
          outBytes += encoder.write(valid.event());
          events++;
        } else {
          throw new IllegalStateException(line.get().describe());
        }
      }
    }
    return new Round(
        events,
        ndjson.length,
        outBytes,
        (System.nanoTime() - start) / 1e9,
        (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9);
  }

  public static void main(String[] args) throws IOException {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    byte[] ndjson = sample(42, events);
    for (int r = 1; r <= rounds; r++) {
      Round round = round(ndjson);
      System.out.printf(
          Locale.ROOT,
          "round %d: %,d events in %.3f s wall (%,.0f events/s), %.3f s CPU (%,.0f events/s"
              + " per core, %.0f MB/s in)%n",
          r,
          round.events(),
          round.seconds(),
          round.eventsPerSecond(),
          round.cpuSeconds(),
          round.eventsPerCpuSecond(),
          round.inputBytes() / round.cpuSeconds() / 1e6);
    }
  }
}
