package dev.trailwatch.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
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
 *     dev.trailwatch.bench.Report [--save FILE] [--max-others PCT] [JMH options]
 * java -cp bench/target/trailwatch-bench.jar dev.trailwatch.bench.Report --from FILE
 * </pre>
 *
 * The first form takes JMH's own options; without a benchmark pattern it runs every benchmark of
 * this module, always with {@link NoiseProfiler}. {@code --save} keeps every measured iteration;
 * the second form prints the table again from such a file.
 *
 * <p>The machine is shared: an iteration during which other processes used more than {@code
 * --max-others} percent of one core (default 25) is left out of a figure when at least {@value
 * Figure#MIN_QUIET} of its iterations were quiet. The table says how many were used.
 */
public final class Report {
  static final String ALL =
      "dev\\.trailwatch\\.bench\\.(Sha256|Merkle|Disk|LedgerAppend|Verify)Benchmark";

  static final String SHA = "Sha256Benchmark.sha256";
  static final String LEAF = "MerkleBenchmark.leafAndNodes";

  /** The targets. */
  static final double APPEND_MIN_RATE = 1.0e6;

  static final double APPEND_MIN_OF_LEAF = 0.55;
  static final double VERIFY_MIN_OF_LEAF = 0.70;

  static final double DEFAULT_MAX_OTHERS = 25;

  private Report() {}

  public static void main(String[] args)
      throws IOException, RunnerException, CommandLineOptionException {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    Optional<Path> save = option(rest, "--save").map(Path::of);
    Optional<Path> from = option(rest, "--from").map(Path::of);
    double maxOthers =
        option(rest, "--max-others").map(Double::parseDouble).orElse(DEFAULT_MAX_OTHERS);
    List<Sample> samples;
    if (from.isPresent()) {
      samples = Sample.parseAll(Files.readAllLines(from.get(), StandardCharsets.UTF_8));
    } else {
      CommandLineOptions cli = new CommandLineOptions(rest.toArray(String[]::new));
      ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
      if (cli.getIncludes().isEmpty()) {
        options.include(ALL);
      }
      options.addProfiler(NoiseProfiler.class);
      samples = samples(new Runner(options.build()).run());
      if (save.isPresent()) {
        List<String> lines = new ArrayList<>();
        lines.add(
            "# benchmark;params;threads;fork;iteration;records per second;others cpu %;"
                + "cpu ns per record");
        samples.forEach(s -> lines.add(s.toLine()));
        Files.write(save.get(), lines, StandardCharsets.UTF_8);
      }
    }
    print(figures(samples, maxOthers), maxOthers, System.out);
  }

  /** Removes {@code --name VALUE} from {@code args} and returns VALUE. */
  static Optional<String> option(List<String> args, String name) {
    int i = args.indexOf(name);
    if (i < 0) {
      return Optional.empty();
    }
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    String value = args.get(i + 1);
    args.subList(i, i + 2).clear();
    return Optional.of(value);
  }

  /** Every measured iteration of every fork. */
  static List<Sample> samples(Collection<RunResult> results) {
    List<Sample> samples = new ArrayList<>();
    for (RunResult r : results) {
      Map<String, String> params = new LinkedHashMap<>();
      for (String key : r.getParams().getParamsKeys()) {
        params.put(key, r.getParams().getParam(key));
      }
      String name = Figure.shortName(r.getParams().getBenchmark());
      int fork = 0;
      for (BenchmarkResult b : r.getBenchmarkResults()) {
        fork++;
        int iteration = 0;
        for (IterationResult it : b.getIterationResults()) {
          iteration++;
          Result<?> noise = it.getSecondaryResults().get(NoiseProfiler.LABEL);
          Result<?> cpu = it.getSecondaryResults().get(NoiseProfiler.CPU_LABEL);
          samples.add(
              new Sample(
                  name,
                  params,
                  r.getParams().getThreads(),
                  fork,
                  iteration,
                  it.getPrimaryResult().getScore(),
                  noise == null ? Double.NaN : noise.getScore(),
                  cpu == null ? Double.NaN : cpu.getScore()));
        }
      }
    }
    return samples;
  }

  static List<Figure> figures(List<Sample> samples, double maxOthers) {
    Map<String, List<Sample>> byKey = new LinkedHashMap<>();
    samples.forEach(s -> byKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s));
    return byKey.values().stream()
        .map(s -> Figure.of(s, maxOthers))
        .sorted(Comparator.comparing(Report::label))
        .toList();
  }

  /** Prints every figure with its ratio to the SHA-256 and leaf+node references (bytes=300). */
  static void print(List<Figure> figures, double maxOthers, PrintStream out) {
    Optional<Figure> sha = find(figures, SHA);
    Optional<Figure> leaf = find(figures, LEAF);
    String format = "%-34s %17s %6s %15s %15s %6s %6s %6s  %s%n";
    out.println();
    out.printf(
        Locale.ROOT,
        format,
        "figure",
        "records/s",
        "iters",
        "/ SHA-256 300B",
        "/ leaf+node300B",
        "CPU ns",
        "by CPU",
        "others",
        "target");
    for (Figure f : figures) {
      out.printf(
          Locale.ROOT,
          format,
          label(f),
          rate(f.score(), f.error()),
          f.used() + "/" + f.total(),
          ratio(f, sha),
          ratio(f, leaf),
          Double.isNaN(f.cpuNanos()) ? "-" : String.format(Locale.ROOT, "%.0f", f.cpuNanos()),
          cpuRatio(f, leaf),
          Double.isNaN(f.othersCpu()) ? "-" : String.format(Locale.ROOT, "%.0f%%", f.othersCpu()),
          target(f, leaf));
    }
    out.printf(
        Locale.ROOT,
        "%nrecords/s: mean ± 99.9%% CI over the iterations used; iters: used/measured (an iteration"
            + " is left out when other processes used more than %.0f%% of a core during it, if at"
            + " least %d stay); CPU ns: median CPU time of the benchmark JVM (all threads) per record;"
            + " by CPU: leaf+node 300 B's CPU ns divided by this figure's, which for a"
            + " single-threaded CPU-bound figure estimates the ratio on an idle machine; others:"
            + " median CPU of other processes per iteration, %% of one core (2 cores = 200%%)."
            + " Ratios ± combine both errors.%n",
        maxOthers,
        Figure.MIN_QUIET);
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
          case "LedgerAppendBenchmark.appendPipelined" -> "(c) append, 1 thread, 4 in flight";
          case "VerifyBenchmark.verify" -> "(d) verify 2^20 records";
          case "DiskBenchmark.writeAndSync" -> "(e) disk write+fsync";
          case "MerkleBenchmark.oneUpdatePerHash" -> "(p) leaf+node, 1 update/hash";
          default -> f.benchmark() + (f.threads() == 1 ? "" : " x" + f.threads());
        };
    String bytes = f.params().get("bytes");
    String mode = f.params().get("mode");
    return name + (bytes == null ? "" : " " + bytes + " B") + (mode == null ? "" : " " + mode);
  }

  static String ratio(Figure f, Optional<Figure> reference) {
    if (reference.isEmpty()) {
      return "-";
    }
    Figure r = reference.get();
    double value = f.score() / r.score();
    double relative = Math.hypot(f.error() / f.score(), r.error() / r.score());
    if (Double.isNaN(relative)) {
      return String.format(Locale.ROOT, "%.1f%%", 100 * value);
    }
    return String.format(Locale.ROOT, "%.1f%% ± %.1f", 100 * value, 100 * value * relative);
  }

  static String cpuRatio(Figure f, Optional<Figure> leaf) {
    if (leaf.isEmpty() || Double.isNaN(f.cpuNanos()) || Double.isNaN(leaf.get().cpuNanos())) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.0f%%", 100 * leaf.get().cpuNanos() / f.cpuNanos());
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
    Figure r = leaf.get();
    double share = f.score() / r.score();
    double shareError = share * Math.hypot(f.error() / f.score(), r.error() / r.score());
    if (append) {
      Verdict rate = Verdict.of(f.score(), f.error(), APPEND_MIN_RATE);
      Verdict ratio = Verdict.of(share, shareError, APPEND_MIN_OF_LEAF);
      return Verdict.both(rate, ratio).text + ": >= 1.0 M/s and >= 55%";
    }
    return Verdict.of(share, shareError, VERIFY_MIN_OF_LEAF).text + ": >= 70%";
  }

  /** Whether a value with a 99.9% half-width is above a target, below it, or either. */
  enum Verdict {
    MET("met"),
    UNCLEAR("within error of"),
    MISSED("MISSED");

    final String text;

    Verdict(String text) {
      this.text = text;
    }

    static Verdict of(double value, double error, double target) {
      double e = Double.isNaN(error) ? 0 : error;
      if (value - e >= target) {
        return MET;
      }
      return value + e < target ? MISSED : UNCLEAR;
    }

    static Verdict both(Verdict a, Verdict b) {
      return a.ordinal() >= b.ordinal() ? a : b;
    }
  }

  static String rate(double score, double error) {
    if (Double.isNaN(error)) {
      return String.format(Locale.ROOT, "%.3f M", score / 1e6);
    }
    return String.format(Locale.ROOT, "%.3f ± %.3f M", score / 1e6, error / 1e6);
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static Optional<Figure> find(List<Figure> figures, String benchmark) {
    return figures.stream().filter(f -> f.is(benchmark, "bytes", "300")).findFirst();
  }
}
