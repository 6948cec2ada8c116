package dev.trailwatch.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One measured iteration of one benchmark: its score in records per second, and how much CPU other
 * processes used meanwhile ({@link NoiseProfiler}; NaN if not measured).
 *
 * <p>Saved one per line, {@code benchmark;params;threads;fork;iteration;score;othersCpu}, with
 * params as {@code k=v,k=v}; lines starting with {@code #} are comments.
 */
record Sample(
    String benchmark,
    Map<String, String> params,
    int threads,
    int fork,
    int iteration,
    double score,
    double othersCpu,
    double cpuNanos) {

  Sample {
    params = Map.copyOf(params);
  }

  /** The key of the figure this sample belongs to: benchmark, params and threads. */
  String key() {
    return benchmark + new java.util.TreeMap<>(params) + "x" + threads;
  }

  String toLine() {
    return String.join(
        ";",
        benchmark,
        params.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(",")),
        Integer.toString(threads),
        Integer.toString(fork),
        Integer.toString(iteration),
        String.format(Locale.ROOT, "%.3f", score),
        String.format(Locale.ROOT, "%.1f", othersCpu),
        String.format(Locale.ROOT, "%.1f", cpuNanos));
  }

  static Sample parse(String line) {
    String[] f = line.split(";", -1);
    if (f.length != 8) {
      throw new IllegalArgumentException("not a saved sample (8 fields separated by ';'): " + line);
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (!f[1].isEmpty()) {
      for (String kv : f[1].split(",")) {
        int eq = kv.indexOf('=');
        params.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return new Sample(
        f[0],
        params,
        Integer.parseInt(f[2]),
        Integer.parseInt(f[3]),
        Integer.parseInt(f[4]),
        Double.parseDouble(f[5]),
        Double.parseDouble(f[6]),
        Double.parseDouble(f[7]));
  }

  static List<Sample> parseAll(List<String> lines) {
    List<Sample> samples = new ArrayList<>();
    for (String line : lines) {
      if (!line.isBlank() && !line.startsWith("#")) {
        samples.add(parse(line));
      }
    }
    return samples;
  }
}
