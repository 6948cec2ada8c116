package dev.trailwatch.bench;

import java.util.Map;

/**
 * One JMH result: the score with its 99.9% confidence half-width, in records per second for every
 * benchmark of this module.
 *
 * @param benchmark the benchmark's simple class name and method, e.g. {@code
 *     Sha256Benchmark.sha256}
 * @param params the {@code @Param} values
 * @param threads the number of benchmark threads
 * @param samples the number of measured iterations, over all forks
 * @param score the mean score
 * @param error the half-width of the 99.9% confidence interval (NaN if too few samples)
 * @param unit JMH's unit, {@code ops/s}, where one op is one record
 */
record Figure(
    String benchmark,
    Map<String, String> params,
    int threads,
    long samples,
    double score,
    double error,
    String unit) {

  Figure {
    params = Map.copyOf(params);
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
