package dev.trailwatch.bench;

import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * End-to-end import beside Python: generates {@code --events} access events as NDJSON with the
 * project's seeded generator, then times, alternating the order on each of {@code --runs} rounds,
 *
 * <ol>
 *   <li>{@code python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1],"rb")]' FILE}
 *       (parsing only), and
 *   <li>{@code ./trailwatch import --data DIR FILE} into a new data directory, then {@code
 *       ./trailwatch verify --data DIR},
 *   <li>{@code ./trailwatch import --verify --data DIR FILE}: the same in one command, and
 *   <li>the same command on a copy of the file in which every line has {@code @timestamp} moved to
 *       the end: the same events, but no line is in canonical form, so every line takes the general
 *       decoder (import-general),
 * </ol>
 *
 * and, as a second reference, the same parse without keeping the parsed events (python-parse-only),
 * and prints the median and range of each, their CPU time, the CPU other processes used meanwhile,
 * and the ratios import / python and (import + verify) / python. Run it from the repository root,
 * after {@code ./trailwatch} has built its jar (the first call builds it, untimed).
 *
 * <pre>
 * java -cp bench/target/trailwatch-bench.jar dev.trailwatch.bench.ImportVsPython \
 *     [--events 1000000] [--runs 5] [--seed 1] [--dir DIR] [--trailwatch ./trailwatch]
 * </pre>
 */
public final class ImportVsPython {
  static final String PYTHON_SCRIPT =
      "import json,sys; [json.loads(l) for l in open(sys.argv[1],\"rb\")]";

  /**
   * The same parse without keeping the results: the command keeps a million dicts alive,
   * and CPython's cyclic garbage collector then spends more time rescanning them than parsing.
   */
  static final String PYTHON_PARSE_ONLY =
      "import json,sys\nfor l in open(sys.argv[1],\"rb\"): json.loads(l)";

  /** The target: import (durable and verified) at most 0.6x Python's parse time. */
  static final double TARGET = 0.6;

  private ImportVsPython() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    long events = Report.option(rest, "--events").map(Long::parseLong).orElse(1_000_000L);
    int runs = Report.option(rest, "--runs").map(Integer::parseInt).orElse(5);
    long seed = Report.option(rest, "--seed").map(Long::parseLong).orElse(1L);
    Path trailwatch =
        Path.of(Report.option(rest, "--trailwatch").orElse("./trailwatch")).toAbsolutePath();
    String python = Report.option(rest, "--python").orElse("python3");
    Optional<Path> dir = Report.option(rest, "--dir").map(Path::of);
    if (!rest.isEmpty()) {
      throw new IllegalArgumentException("unknown arguments: " + rest);
    }
    if (!Files.isExecutable(trailwatch)) {
      throw new IllegalArgumentException(
          trailwatch + " is not executable: run from the repository root or pass --trailwatch");
    }
    Path work =
        dir.isPresent()
            ? Files.createDirectories(dir.get())
            : Records.scratchDirectory("trailwatch-import-");
    Path file = work.resolve("events-" + events + "-seed" + seed + ".ndjson");
    if (Files.exists(file)) {
      System.out.printf(Locale.ROOT, "reusing %s (%,d bytes)%n", file, Files.size(file));
    } else {
      long t0 = System.nanoTime();
      new EventGenerator(seed, GeneratorConfig.defaults().withEvents(events))
          .writeNdjson(file, events);
      System.out.printf(
          Locale.ROOT,
          "generated %,d events, %,d bytes, in %.1f s: %s%n",
          events,
          Files.size(file),
          (System.nanoTime() - t0) / 1e9,
          file);
    }

    Path general = work.resolve("events-" + events + "-seed" + seed + "-not-canonical.ndjson");
    if (!Files.exists(general)) {
      writeNotCanonical(file, general);
    }

    // Untimed: build the app jar if needed, and read the files once so all start from the cache.
    Timed.run(List.of(trailwatch.toString(), "--version"), work.resolve("version.log"));
    for (Path f : List.of(file, general)) {
      try (InputStream in = Files.newInputStream(f)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }

    List<String> pythonCommand = List.of(python, "-c", PYTHON_SCRIPT, file.toString());
    List<String> parseOnlyCommand = List.of(python, "-c", PYTHON_PARSE_ONLY, file.toString());
    Map<String, List<Timed>> times = new TreeMap<>();
    for (int run = 1; run <= runs; run++) {
      boolean pythonFirst = run % 2 == 1;
      if (pythonFirst) {
        add(times, "python", Timed.run(pythonCommand, work.resolve("python.log")));
        add(times, "python-parse-only", Timed.run(parseOnlyCommand, work.resolve("python.log")));
      }
      Path data = work.resolve("data-" + run);
      Timed imp =
          Timed.run(
              List.of(trailwatch.toString(), "import", "--data", data.toString(), file.toString()),
              work.resolve("import-" + run + ".log"));
      Timed ver =
          Timed.run(
              List.of(trailwatch.toString(), "verify", "--data", data.toString()),
              work.resolve("verify-" + run + ".log"));
      add(times, "import", imp);
      add(times, "verify", ver);
      add(times, "import+verify", imp.plus(ver));
      Records.deleteRecursively(data);
      Timed oneCommand =
          importVerify(trailwatch, data, file, work.resolve("import-verify-" + run + ".log"));
      add(times, "import --verify", oneCommand);
      Timed generalPath =
          importVerify(trailwatch, data, general, work.resolve("import-general-" + run + ".log"));
      add(times, "import-general", generalPath);
      if (!pythonFirst) {
        add(times, "python-parse-only", Timed.run(parseOnlyCommand, work.resolve("python.log")));
        add(times, "python", Timed.run(pythonCommand, work.resolve("python.log")));
      }
      List<Timed> p = times.get("python");
      System.out.printf(
          Locale.ROOT,
          "run %d/%d: python %.2f s, import %.2f s, verify %.2f s, import --verify %.2f s,"
              + " general %.2f s (others %.0f%%/%.0f%%/%.0f%%)%n",
          run,
          runs,
          p.get(p.size() - 1).wall(),
          imp.wall(),
          ver.wall(),
          oneCommand.wall(),
          generalPath.wall(),
          p.get(p.size() - 1).othersCpu(),
          imp.othersCpu(),
          ver.othersCpu());
    }
    System.out.println();
    System.out.println("commands (from the repository root):");
    System.out.println("  " + Timed.shellQuote(pythonCommand));
    System.out.println("  " + Timed.shellQuote(parseOnlyCommand));
    System.out.println("  ./trailwatch import --data DIR " + file);
    System.out.println("  ./trailwatch verify --data DIR");
    System.out.println("  ./trailwatch import --verify --data DIR " + file);
    System.out.println("  ./trailwatch import --verify --data DIR " + general);
    System.out.println();
    print(times, runs);
  }

  /**
   * Copies {@code from} with each line's leading {@code "@timestamp"} member moved to the end: the
   * same events, none of them in canonical key order.
   */
  static void writeNotCanonical(Path from, Path to) throws IOException {
    String prefix = "{\"@timestamp\":\"";
    int member = prefix.length() - 1 + 32; // "@timestamp":"<30 characters>",
    try (java.io.BufferedReader in = Files.newBufferedReader(from, StandardCharsets.UTF_8);
        java.io.BufferedWriter out = Files.newBufferedWriter(to, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.startsWith(prefix) || line.charAt(member) != ',') {
          throw new IOException("not a generated canonical line: " + line);
        }
        out.write('{');
        out.write(line, member + 1, line.length() - member - 2);
        out.write(',');
        out.write(line, 1, member - 1);
        out.write("}\n");
      }
    }
  }

  /** {@code import --verify} of {@code file} into a new {@code data}, which is deleted after. */
  private static Timed importVerify(Path trailwatch, Path data, Path file, Path log)
      throws IOException, InterruptedException {
    Timed t =
        Timed.run(
            List.of(
                trailwatch.toString(),
                "import",
                "--verify",
                "--data",
                data.toString(),
                file.toString()),
            log);
    Records.deleteRecursively(data);
    return t;
  }

  private static void add(Map<String, List<Timed>> times, String what, Timed t) {
    times.computeIfAbsent(what, k -> new ArrayList<>()).add(t);
  }

  static void print(Map<String, List<Timed>> times, int runs) {
    String format = "%-18s %8s %17s %10s %8s%n";
    System.out.printf(Locale.ROOT, format, "step", "median", "range (s)", "CPU (s)", "others");
    for (String what :
        List.of(
            "python",
            "python-parse-only",
            "import",
            "verify",
            "import+verify",
            "import --verify",
            "import-general")) {
      List<Timed> t = times.get(what);
      double[] wall = t.stream().mapToDouble(Timed::wall).sorted().toArray();
      System.out.printf(
          Locale.ROOT,
          format,
          what,
          String.format(Locale.ROOT, "%.2f s", median(wall)),
          String.format(Locale.ROOT, "%.2f-%.2f", wall[0], wall[wall.length - 1]),
          String.format(Locale.ROOT, "%.2f", median(t.stream().mapToDouble(Timed::cpu).toArray())),
          String.format(
              Locale.ROOT, "%.0f%%", median(t.stream().mapToDouble(Timed::othersCpu).toArray())));
    }
    for (String reference : List.of("python", "python-parse-only")) {
      double python = median(times.get(reference).stream().mapToDouble(Timed::wall).toArray());
      for (String what : List.of("import", "import+verify", "import --verify", "import-general")) {
        double[] paired = new double[runs];
        for (int i = 0; i < runs; i++) {
          paired[i] = times.get(what).get(i).wall() / times.get(reference).get(i).wall();
        }
        Arrays.sort(paired);
        double ratio = median(times.get(what).stream().mapToDouble(Timed::wall).toArray()) / python;
        System.out.printf(
            Locale.ROOT,
            "%s / %s: %.2fx (medians); per run %.2f-%.2f, median %.2f; target <= %.1fx: %s%n",
            what,
            reference,
            ratio,
            paired[0],
            paired[runs - 1],
            median(paired),
            TARGET,
            ratio <= TARGET ? "met" : "MISSED");
      }
    }
    System.out.println(
        "others: CPU other processes used meanwhile, % of one core (2 cores = 200%), median.");
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** One timed process: wall seconds, its CPU seconds (user + system), others' CPU in %. */
  record Timed(double wall, double cpu, double othersCpu) {
    Timed plus(Timed o) {
      return new Timed(
          wall + o.wall, cpu + o.cpu, (othersCpu * wall + o.othersCpu * o.wall) / (wall + o.wall));
    }

    /**
     * Runs {@code command} under {@code /usr/bin/time} (for the child's CPU time), with its output
     * in {@code log}; fails unless it exits with 0.
     */
    static Timed run(List<String> command, Path log) throws IOException, InterruptedException {
      Path timeFile = log.resolveSibling(log.getFileName() + ".time");
      List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S", "-o"));
      full.add(timeFile.toString());
      full.addAll(command);
      ProcStat.Machine m0 = ProcStat.Machine.read();
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      int code = p.waitFor();
      long wallNanos = System.nanoTime() - t0;
      ProcStat.Machine m = ProcStat.Machine.read().minus(m0);
      if (code != 0) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        throw new IOException(
            shellQuote(command)
                + " exited with "
                + code
                + "; its last lines:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
      }
      String[] f = Files.readString(timeFile).trim().split("\\s+");
      double cpu = Double.parseDouble(f[1]) + Double.parseDouble(f[2]);
      double busy = (m.user() + m.system() + m.steal()) / 1e9;
      double wall = wallNanos / 1e9;
      return new Timed(wall, cpu, 100 * Math.max(0, busy - cpu) / wall);
    }

    static String shellQuote(List<String> command) {
      List<String> quoted = new ArrayList<>();
      for (String c : command) {
        quoted.add(c.matches("[A-Za-z0-9_./=:-]+") ? c : "'" + c.replace("'", "'\\''") + "'");
      }
      return String.join(" ", quoted);
    }
  }
}
