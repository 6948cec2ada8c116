package dev.trailwatch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that measures how busy the rest of the machine was during each iteration: the CPU
 * time of every other process (and of the kernel on their behalf), in percent of one core, from
 * {@code /proc/stat} minus this JVM's {@code /proc/self/stat}. On a shared machine this says which
 * figures were measured while something else competed for the cores. It also reports the benchmark
 * JVM's own CPU time (all its threads, user and system) per record, from the iteration's score: a
 * cost that competition for the cores changes much less than the score. Use with {@code -prof
 * dev.trailwatch.bench.NoiseProfiler}; {@link Report} adds it.
 */
public final class NoiseProfiler implements InternalProfiler {
  static final String LABEL = "·others.cpu";
  static final String CPU_LABEL = "·cpu.ns/record";

  private long machineBusy;
  private long self;
  private long start;

  @Override
  public String getDescription() {
    return "CPU used by other processes during each iteration, in % of one core (Linux /proc)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    machineBusy = machineBusyNanos();
    self = selfNanos();
    start = System.nanoTime();
  }

  @Override
  @SuppressWarnings("rawtypes") // JMH's signature
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    long wall = System.nanoTime() - start;
    long mine = selfNanos() - self;
    long others = (machineBusyNanos() - machineBusy) - mine;
    double records = result.getPrimaryResult().getScore() * wall / 1e9; // score: records/s
    return List.of(
        new ScalarResult(LABEL, 100.0 * Math.max(0, others) / wall, "%", AggregationPolicy.AVG),
        new ScalarResult(CPU_LABEL, mine / records, "ns", AggregationPolicy.AVG));
  }

  /** user + nice + system + irq + softirq + steal of the whole machine. */
  private static long machineBusyNanos() {
    ProcStat.Machine m = read(ProcStat.Machine::read);
    return m.user() + m.system() + m.steal();
  }

  private static long selfNanos() {
    String stat = read(() -> Files.readString(Path.of("/proc/self/stat")));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * ProcStat.NANOS_PER_TICK;
  }

  private interface IoSupplier<T> {
    T get() throws IOException;
  }

  private static <T> T read(IoSupplier<T> s) {
    try {
      return s.get();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
