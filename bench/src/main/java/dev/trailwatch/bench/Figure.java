package dev.trailwatch.bench;

import java.util.List;
import java.util.Map;
import org.openjdk.jmh.util.ListStatistics;

/**
 * One benchmark's result, in records per second, from its measured iterations: the mean with the
 * half-width of its 99.9% confidence interval (as JMH computes them), over the iterations during
 * which other processes used at most a given share of the CPU ("quiet"), or over all of them when
 * fewer than {@link #MIN_QUIET} were quiet.
 *
 * @param benchmark the simple class name and method, e.g. {@code Sha256Benchmark.sha256}
 * @param params the {@code @Param} values
 * @param threads the number of benchmark threads
 * @param score the mean of the iterations used
 * @param error the 99.9% half-width (NaN below two iterations)
 * @param used how many iterations the score is from
 * @param total how many iterations were measured
 * @param quietOnly whether the score is from quiet iterations only
 * @param othersCpu the median CPU other processes used per iteration, over all iterations, in % of
 *     one core (NaN if not measured)
 * @param cpuNanos the median CPU time of the benchmark JVM per record, over the iterations used
 *     (NaN if not measured)
 */
record Figure(
    String benchmark,
    Map<String, String> params,
    int threads,
    double score,
    double error,
    int used,
    int total,
    boolean quietOnly,
    double othersCpu,
    double cpuNanos) {

  static final int MIN_QUIET = 3;

  Figure {
    params = Map.copyOf(params);
  }

  /** The figure of {@code samples} (all of one benchmark, params and thread count). */
  static Figure of(List<Sample> samples, double maxOthersCpu) {
    Sample first = samples.get(0);
    List<Sample> quiet =
        samples.stream().filter(s -> !(s.othersCpu() > maxOthersCpu)).toList(); // NaN is quiet
    boolean quietOnly = quiet.size() >= MIN_QUIET;
    List<Sample> used = quietOnly ? quiet : samples;
    ListStatistics stats = new ListStatistics();
    used.forEach(s -> stats.addValue(s.score()));
    double[] others = samples.stream().mapToDouble(Sample::othersCpu).sorted().toArray();
    return new Figure(
        first.benchmark(),
        first.params(),
        first.threads(),
        stats.getMean(),
        stats.getN() > 1 ? stats.getMeanErrorAt(0.999) : Double.NaN,
        used.size(),
        samples.size(),
        quietOnly,
        others[others.length / 2],
        Report.median(used.stream().mapToDouble(Sample::cpuNanos).toArray()));
  }

  /** The simple name from a fully qualified benchmark name. */
  static String shortName(String qualified) {
    int method = qualified.lastIndexOf('.');
    int type = qualified.lastIndexOf('.', method - 1);
    return qualified.substring(type + 1);
  }

  boolean is(String name, String param, String value) {
    return benchmark.equals(name) && value.equals(params.get(param));
  }
}
