package dev.trailwatch.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the ledger benchmarks and their hash references in one JMH run, then prints each figure
 * beside the references measured in the same run, as ratios, with the targets.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/trailwatch-bench.jar \
 *     dev.trailwatch.bench.Report [JMH options, e.g. -rf csv -rff results.csv]
 * java -cp bench/target/trailwatch-bench.jar dev.trailwatch.bench.Report --csv results.csv
 * </pre>
 *
 * The first form takes JMH's own command line; without a benchmark pattern it runs every benchmark
 * of this module. The second prints the table again from a result file JMH wrote with {@code -rf
 * csv}.
 */
public final class Report {
  static final String ALL =
      "dev\\.trailwatch\\.bench\\.(Sha256|Merkle|LedgerAppend|Verify)Benchmark";

  static final String SHA = "Sha256Benchmark.sha256";
  static final String LEAF = "MerkleBenchmark.leafAndNodes";

  /** The targets. */
  static final double APPEND_MIN_RATE = 1.0e6;

  static final double APPEND_MIN_OF_LEAF = 0.55;
  static final double VERIFY_MIN_OF_LEAF = 0.70;

  private Report() {}

  public static void main(String[] args)
      throws IOException, RunnerException, CommandLineOptionException {
    List<Figure> figures;
    if (args.length == 2 && args[0].equals("--csv")) {
      figures = readCsv(Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8));
    } else {
      CommandLineOptions cli = new CommandLineOptions(args);
      ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
      if (cli.getIncludes().isEmpty()) {
        options.include(ALL);
      }
      figures = fromJmh(new Runner(options.build()).run());
    }
    print(figures, System.out);
  }

  static List<Figure> fromJmh(Collection<RunResult> results) {
    List<Figure> figures = new ArrayList<>();
    for (RunResult r : results) {
      Map<String, String> params = new LinkedHashMap<>();
      for (String key : r.getParams().getParamsKeys()) {
        params.put(key, r.getParams().getParam(key));
      }
      Result<?> primary = r.getPrimaryResult();
      figures.add(
          new Figure(
              Figure.shortName(r.getParams().getBenchmark()),
              params,
              r.getParams().getThreads(),
              primary.getSampleCount(),
              primary.getScore(),
              primary.getScoreError(),
              primary.getScoreUnit()));
    }
    return figures;
  }

  /** Parses a result file written by JMH with {@code -rf csv}. */
  static List<Figure> readCsv(List<String> lines) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("the result file is empty");
    }
    List<String> header = splitCsv(lines.get(0));
    int benchmark = column(header, "Benchmark");
    int threads = column(header, "Threads");
    int samples = column(header, "Samples");
    int score = column(header, "Score");
    int error = column(header, "Score Error (99.9%)");
    int unit = column(header, "Unit");
    List<Figure> figures = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      List<String> f = splitCsv(line);
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 0; i < header.size() && i < f.size(); i++) {
        if (header.get(i).startsWith("Param: ") && !f.get(i).isEmpty()) {
          params.put(header.get(i).substring("Param: ".length()), f.get(i));
        }
      }
      figures.add(
          new Figure(
              Figure.shortName(f.get(benchmark)),
              params,
              Integer.parseInt(f.get(threads)),
              Long.parseLong(f.get(samples)),
              parseNumber(f.get(score)),
              parseNumber(f.get(error)),
              f.get(unit)));
    }
    return figures;
  }

  /** Prints every figure with its ratio to the SHA-256 and leaf+node references (bytes=300). */
  static void print(List<Figure> figures, PrintStream out) {
    Optional<Figure> sha = find(figures, SHA);
    Optional<Figure> leaf = find(figures, LEAF);
    out.println();
    out.printf(
        Locale.ROOT,
        "%-34s %17s %16s %16s  %s%n",
        "figure (records/s, 99.9% CI)",
        "rate",
        "/ SHA-256 300 B",
        "/ leaf+node 300B",
        "target");
    for (Figure f : figures.stream().sorted(Comparator.comparing(Report::label)).toList()) {
      out.printf(
          Locale.ROOT,
          "%-34s %17s %16s %16s  %s%n",
          label(f),
          rate(f.score(), f.error()),
          ratio(f, sha),
          ratio(f, leaf),
          target(f, leaf));
    }
    if (sha.isEmpty() || leaf.isEmpty()) {
      out.println(
          "(a reference is missing from this run: ratios need "
              + SHA
              + " and "
              + LEAF
              + " with bytes=300)");
    }
  }

  static String label(Figure f) {
    String name =
        switch (f.benchmark()) {
          case SHA -> "(a) SHA-256";
          case LEAF -> "(b) leaf+node";
          case "LedgerAppendBenchmark.append1",
              "LedgerAppendBenchmark.append2",
              "LedgerAppendBenchmark.append4" ->
              "(c) append, " + f.threads() + (f.threads() == 1 ? " thread" : " threads");
          case "VerifyBenchmark.verify" -> "(d) verify 2^20 records";
          default -> f.benchmark() + (f.threads() == 1 ? "" : " x" + f.threads());
        };
    String bytes = f.params().get("bytes");
    return bytes == null ? name : name + " " + bytes + " B";
  }

  static String ratio(Figure f, Optional<Figure> reference) {
    if (reference.isEmpty()) {
      return "-";
    }
    Figure r = reference.get();
    double value = f.score() / r.score();
    double relative = Math.hypot(relativeError(f), relativeError(r));
    if (Double.isNaN(relative)) {
      return String.format(Locale.ROOT, "%.1f%%", 100 * value);
    }
    return String.format(Locale.ROOT, "%.1f%% ± %.1f", 100 * value, 100 * value * relative);
  }

  static String target(Figure f, Optional<Figure> leaf) {
    boolean append = f.benchmark().startsWith("LedgerAppendBenchmark.");
    boolean verify = f.benchmark().equals("VerifyBenchmark.verify");
    if (!append && !verify) {
      return "";
    }
    if (leaf.isEmpty()) {
      return "(no leaf+node reference)";
    }
    double share = f.score() / leaf.get().score();
    if (append) {
      boolean met = f.score() >= APPEND_MIN_RATE && share >= APPEND_MIN_OF_LEAF;
      return (met ? "met" : "MISSED") + ": >= 1.0 M/s and >= 55% of leaf+node";
    }
    return (share >= VERIFY_MIN_OF_LEAF ? "met" : "MISSED") + ": >= 70% of leaf+node";
  }

  static String rate(double score, double error) {
    if (Double.isNaN(error)) {
      return String.format(Locale.ROOT, "%.3f M", score / 1e6);
    }
    return String.format(Locale.ROOT, "%.3f ± %.3f M", score / 1e6, error / 1e6);
  }

  private static double relativeError(Figure f) {
    return f.error() / f.score();
  }

  private static Optional<Figure> find(List<Figure> figures, String benchmark) {
    return figures.stream().filter(f -> f.is(benchmark, "bytes", "300")).findFirst();
  }

  private static int column(List<String> header, String name) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(
          "not a JMH CSV result file: no column '" + name + "' in " + header);
    }
    return i;
  }

  private static double parseNumber(String s) {
    return s.isEmpty() || s.equals("NaN") ? Double.NaN : Double.parseDouble(s.replace(',', '.'));
  }

  /** Splits one CSV line with double-quoted fields ("" inside quotes is a quote). */
  static List<String> splitCsv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
