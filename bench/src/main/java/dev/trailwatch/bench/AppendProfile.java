package dev.trailwatch.bench;

import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingStream;

/**
 * Where the time of ledger append goes: runs the same load as {@link LedgerAppendBenchmark}
 * (batches of 1,000 records of 300 bytes, {@code threads} appenders, a fresh ledger) and reports,
 * over the measured window, the CPU time of every thread per record (from {@code /proc}), the
 * machine's user, system, iowait and steal time, the fsyncs the JDK made (JFR {@code
 * jdk.FileForce}), GC pauses, and the hottest frames of each ledger thread (JFR execution and
 * native-method samples).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/trailwatch-bench.jar \
 *     dev.trailwatch.bench.AppendProfile [threads=1] [seconds=20] [warmupSeconds=8]
 * </pre>
 */
public final class AppendProfile {
  private AppendProfile() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    Path scratch = Records.scratchDirectory("trailwatch-profile-");
    try {
      run(scratch.resolve("data"), threads, seconds, warmup);
    } finally {
      Records.deleteRecursively(scratch);
    }
  }

  private static void run(Path data, int threads, int seconds, int warmup) throws Exception {
    LongAdder records = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> appenders = new ArrayList<>();
    Samples samples = new Samples();
    try (Ledger ledger = Ledger.open(LedgerConfig.of(data));
        RecordingStream jfr = new RecordingStream()) {
      for (int i = 0; i < threads; i++) {
        List<byte[]> batch = Records.batch(Records.SEED + i);
        Thread t =
            new Thread(
                () -> {
                  try {
                    while (!stop.get()) {
                      ledger.append(batch);
                      records.add(batch.size());
                    }
                  } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                },
                "appender-" + i);
        appenders.add(t);
        t.start();
      }
      Thread.sleep(warmup * 1000L);

      jfr.enable("jdk.FileForce").withThreshold(Duration.ZERO).withStackTrace();
      jfr.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      jfr.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
      jfr.enable("jdk.GarbageCollection").withThreshold(Duration.ZERO);
      jfr.onEvent(samples::accept);
      jfr.startAsync();

      Map<String, Long> cpu0 = ProcStat.threadCpu();
      ProcStat.Machine m0 = ProcStat.Machine.read();
      long r0 = records.sum();
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long wall = System.nanoTime() - t0;
      long done = records.sum() - r0;
      ProcStat.Machine machine = ProcStat.Machine.read().minus(m0);
      Map<String, Long> cpu1 = ProcStat.threadCpu();
      jfr.stop();
      stop.set(true);
      for (Thread t : appenders) {
        t.join();
      }
      print(threads, wall, done, cpu0, cpu1, machine, samples);
    }
  }

  private static void print(
      int threads,
      long wall,
      long done,
      Map<String, Long> cpu0,
      Map<String, Long> cpu1,
      ProcStat.Machine machine,
      Samples s) {
    double perSecond = done * 1e9 / wall;
    System.out.printf(
        Locale.ROOT,
        "%d appender thread(s): %,d records in %.1f s = %.3f M records/s durable%n%n",
        threads,
        done,
        wall / 1e9,
        perSecond / 1e6);
    System.out.printf(
        Locale.ROOT, "%-22s %12s %14s%n", "thread (from /proc)", "% of a core", "ns / record");
    long total = 0;
    List<Map.Entry<String, Long>> rows = new ArrayList<>();
    for (Map.Entry<String, Long> e : cpu1.entrySet()) {
      long d = e.getValue() - cpu0.getOrDefault(e.getKey(), 0L);
      if (d > 0) {
        rows.add(Map.entry(e.getKey(), d));
        total += d;
      }
    }
    rows.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    for (Map.Entry<String, Long> e : rows) {
      System.out.printf(
          Locale.ROOT,
          "%-22s %11.1f%% %14.0f%n",
          e.getKey(),
          100.0 * e.getValue() / wall,
          (double) e.getValue() / done);
    }
    System.out.printf(
        Locale.ROOT,
        "%-22s %11.1f%% %14.0f%n%n",
        "this process",
        100.0 * total / wall,
        (double) total / done);
    long all =
        machine.user() + machine.system() + machine.idle() + machine.iowait() + machine.steal();
    System.out.printf(
        Locale.ROOT,
        "machine (2 cores = 200%%): user %.0f%%, system %.0f%%, iowait %.0f%%, steal %.0f%%, idle"
            + " %.0f%%%n",
        200.0 * machine.user() / all,
        200.0 * machine.system() / all,
        200.0 * machine.iowait() / all,
        200.0 * machine.steal() / all,
        200.0 * machine.idle() / all);
    s.print(wall, done);
  }

  /** Aggregates the JFR events (the stream calls back on one thread). */
  private static final class Samples {
    private final Map<String, long[]> forces = new ConcurrentHashMap<>(); // thread -> n, nanos
    private long gcCount;
    private long gcPauseNanos;
    private final Map<String, Map<String, Integer>> frames = new HashMap<>();
    private final Map<String, Integer> sampleCount = new HashMap<>();

    synchronized void accept(RecordedEvent e) {
      String type = e.getEventType().getName();
      switch (type) {
        case "jdk.FileForce" -> add(forces, e);
        case "jdk.GarbageCollection" -> {
          gcCount++;
          gcPauseNanos += e.getDuration("sumOfPauses").toNanos();
        }
        case "jdk.ExecutionSample", "jdk.NativeMethodSample" -> sample(e);
        default -> {}
      }
    }

    private static void add(Map<String, long[]> to, RecordedEvent e) {
      String thread = e.getThread() == null ? "?" : e.getThread().getJavaName();
      long[] v = to.computeIfAbsent(ProcStat.normalise(thread), k -> new long[2]);
      v[0]++;
      v[1] += e.getDuration().toNanos();
    }

    private void sample(RecordedEvent e) {
      String thread =
          e.getThread("sampledThread") == null
              ? "?"
              : ProcStat.normalise(e.getThread("sampledThread").getJavaName());
      RecordedStackTrace st = e.getStackTrace();
      if (st == null || st.getFrames().isEmpty()) {
        return;
      }
      String state = e.getEventType().getName().equals("jdk.NativeMethodSample") ? " [native]" : "";
      // The top frame, and the first frame of the project (what the project called).
      List<RecordedFrame> fs = st.getFrames();
      String top = describe(fs.get(0));
      String ours = "";
      for (RecordedFrame f : fs) {
        if (f.getMethod().getType().getName().startsWith("dev.trailwatch")) {
          ours = " <- " + describe(f);
          break;
        }
      }
      frames
          .computeIfAbsent(thread, k -> new HashMap<>())
          .merge(top + state + ours, 1, Integer::sum);
      sampleCount.merge(thread, 1, Integer::sum);
    }

    private static String describe(RecordedFrame f) {
      String type = f.getMethod().getType().getName();
      return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    synchronized void print(long wall, long records) {
      System.out.println();
      for (var e : forces.entrySet()) {
        long[] v = e.getValue();
        System.out.printf(
            Locale.ROOT,
            "fsync (jdk.FileForce) on %s: %d calls, %.1f%% of wall time, mean %.2f ms, %.0f"
                + " records per fsync%n",
            e.getKey(),
            v[0],
            100.0 * v[1] / wall,
            v[1] / 1e6 / v[0],
            (double) records / v[0]);
      }
      System.out.printf(
          Locale.ROOT,
          "GC: %d collections, pauses %.1f%% of wall time%n",
          gcCount,
          100.0 * gcPauseNanos / wall);
      for (String thread : List.of("ledger-writer", "ledger-tree", "appender-*")) {
        Map<String, Integer> f = frames.getOrDefault(thread, Map.of());
        int n = sampleCount.getOrDefault(thread, 0);
        System.out.printf(Locale.ROOT, "%nhot frames of %s (%d samples, 10 ms):%n", thread, n);
        f.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
            .limit(12)
            .forEach(
                x ->
                    System.out.printf(
                        Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * x.getValue() / n, x.getKey()));
      }
    }
  }
}
