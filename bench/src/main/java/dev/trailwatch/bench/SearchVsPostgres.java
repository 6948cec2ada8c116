package dev.trailwatch.bench;

import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import dev.trailwatch.search.index.SearchIndex;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Issue 4's search targets, measured beside PostgreSQL 15 in the same run:
 *
 * <ol>
 *   <li>generates {@code --events} events (default 10,000,000; {@code --users} 50,000, {@code
 *       --ips} 200,000, {@code --days} 30 from 2026-10-01, {@code --seed} 1) as NDJSON with the
 *       project's generator, and prints the mix it got (distinct users, addresses, /16 networks);
 *   <li>{@code ./trailwatch import} then {@code ./trailwatch reindex} of it, timed (events/s), with
 *       the index's and the ledger's size per million events;
 *   <li>a throwaway PostgreSQL cluster ({@link PostgresCluster}) with the same events in a typical
 *       audit table ({@link AuditTable}), loaded with {@code COPY}, indexed, {@code VACUUM
 *       ANALYZE}d;
 *   <li>the five queries of the issue ({@link Probe.Kind}), each {@code --warmup} (default 3) then
 *       {@code --runs} (default 20) times with parameters drawn from the corpus, the same for both
 *       systems, alternating which goes first. Every answer of Trailwatch must equal PostgreSQL's
 *       (the total and the 100 newest sequence numbers, or the table): the run fails otherwise;
 *   <li>the median (p50) and p90 of each side, PG / Trailwatch, and the targets; with
 *       {@code --pg-tuned}, PostgreSQL again with the indexes a DBA would add ({@link
 *       AuditTable#TUNED_INDEXES}).
 * </ol>
 *
 * Trailwatch is asked over HTTP ({@code GET /api/v1/search} of a {@code ./trailwatch serve} on
 * loopback) and PostgreSQL over JDBC on loopback, so both include a round trip. {@code
 * --trailwatch-mode inprocess} asks the index in this JVM instead ({@link
 * TrailwatchSearch.InProcess}), with {@code --fetch-events} also reading each hit's event from the
 * ledger; {@code auto} (the default) uses HTTP when the server has the search API, else in-process,
 * and says which.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/trailwatch-bench.jar \
 *     dev.trailwatch.bench.SearchVsPostgres [--events 10000000] [--users 50000] [--ips 200000]
 *     [--days 30] [--seed 1] [--runs 20] [--warmup 3] [--jit-warmup 1000] [--dir DIR]
 *     [--trailwatch ./trailwatch]
 *     [--trailwatch-mode auto|http|inprocess] [--fetch-events]
 *     [--pg-bin /usr/lib/postgresql/15/bin] [--pg-tuned]
 * </pre>
 *
 * The corpus and the Trailwatch data directory are kept under {@code DIR} (default: a new directory
 * under {@code -Dbench.dir} or tmp) and reused by later runs with the same {@code --dir} and
 * options; the PostgreSQL cluster is created afresh and deleted every run.
 */
public final class SearchVsPostgres {
  /** The second target: each query at least this many times faster than PostgreSQL. */
  static final double RATIO_TARGET = 5;

  static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  static final String TOKEN = "tw_benchmarkadmintoken0123456789";

  /** PostgreSQL settings beside initdb's: memory for a 10 M-row table, no fsync (throwaway). */
  static final Map<String, String> PG_SETTINGS = pgSettings();

  private SearchVsPostgres() {}

  /** The options, with the defaults. */
  record Options(
      long events,
      int users,
      int ips,
      int days,
      long seed,
      int runs,
      int warmup,
      int jitWarmup,
      Path dir,
      Path trailwatch,
      String mode,
      Path pgBin,
      boolean pgTuned,
      boolean fetchEvents) {
    static Options parse(String... args) throws java.io.IOException {
      List<String> rest = new ArrayList<>(Arrays.asList(args));
      Optional<Path> dir = Report.option(rest, "--dir").map(Path::of);
      Options o =
          new Options(
              Report.option(rest, "--events").map(Long::parseLong).orElse(10_000_000L),
              Report.option(rest, "--users").map(Integer::parseInt).orElse(50_000),
              Report.option(rest, "--ips").map(Integer::parseInt).orElse(200_000),
              Report.option(rest, "--days").map(Integer::parseInt).orElse(30),
              Report.option(rest, "--seed").map(Long::parseLong).orElse(1L),
              Report.option(rest, "--runs").map(Integer::parseInt).orElse(20),
              Report.option(rest, "--warmup").map(Integer::parseInt).orElse(3),
              Report.option(rest, "--jit-warmup").map(Integer::parseInt).orElse(1000),
              dir.isPresent() ? dir.get() : Records.scratchDirectory("tw-search-vs-pg-"),
              Path.of(Report.option(rest, "--trailwatch").orElse("./trailwatch")).toAbsolutePath(),
              Report.option(rest, "--trailwatch-mode").orElse("auto"),
              Path.of(Report.option(rest, "--pg-bin").orElse(PostgresCluster.DEBIAN_15.toString())),
              rest.remove("--pg-tuned"),
              rest.remove("--fetch-events"));
      if (!rest.isEmpty()) {
        throw new IllegalArgumentException("unknown arguments: " + rest);
      }
      if (!List.of("auto", "http", "inprocess").contains(o.mode)) {
        throw new IllegalArgumentException(
            "--trailwatch-mode is auto, http or inprocess, not " + o.mode);
      }
      if (o.days < 7) {
        throw new IllegalArgumentException("--days must be at least 7 (a query spans 7 days)");
      }
      return o;
    }

    GeneratorConfig generator() {
      return GeneratorConfig.defaults()
          .withEvents(events)
          .withUsers(users)
          .withAddresses(ips)
          .withStart(START)
          .withDuration(Duration.ofDays(days));
    }

    String corpusName() {
      return "events-" + events + "-u" + users + "-a" + ips + "-d" + days + "-s" + seed;
    }
  }

  /** The times of one query kind, in milliseconds, and the totals it found. */
  record Times(List<Double> trailwatch, List<Double> postgres, List<Double> tuned, long[] totals) {}

  public static void main(String[] args) throws Exception {
    run(Options.parse(args), System.out);
  }

  /** Runs the whole benchmark; returns the times per query kind. */
  static Map<Probe.Kind, Times> run(Options o, PrintStream out) throws Exception {
    if (!Files.isExecutable(o.trailwatch())) {
      throw new IllegalArgumentException(
          o.trailwatch() + " is not executable: run from the repository root or pass --trailwatch");
    }
    Path pgBin =
        PostgresCluster.binaries(o.pgBin())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no PostgreSQL in "
                            + o.pgBin()
                            + ": apt-get install -y postgresql-15, or pass --pg-bin"));
    Path work = Files.createDirectories(o.dir());
    Path corpus = work.resolve(o.corpusName() + ".ndjson");
    if (!Files.exists(corpus)) {
      long t0 = System.nanoTime();
      new EventGenerator(o.seed(), o.generator()).writeNdjson(corpus, o.events());
      out.printf(
          Locale.ROOT,
          "generated %s (%,d bytes) in %.1f s%n",
          corpus,
          Files.size(corpus),
          (System.nanoTime() - t0) / 1e9);
    } else {
      out.printf(Locale.ROOT, "reusing %s (%,d bytes)%n", corpus, Files.size(corpus));
    }

    Path data = work.resolve(o.corpusName() + "-data");
    loadTrailwatch(o, corpus, data, work, out);

    Map<Probe.Kind, Times> results;
    try (PostgresCluster pg = PostgresCluster.start(pgBin, PG_SETTINGS);
        AuditTable table = new AuditTable(pg.connect())) {
      out.println(
          "postgres: "
              + pg.version()
              + ", port "
              + pg.port()
              + ", cluster in "
              + pg.data().getParent()
              + ", settings "
              + PG_SETTINGS);
      CorpusSample sample =
          new CorpusSample(
              o.seed(),
              o.events(),
              40 * (o.warmup() + o.runs()),
              START,
              START.plus(Duration.ofDays(o.days())));
      AuditTable.LoadTimes load = table.load(corpus, sample::accept);
      long[] sizes = table.sizes();
      out.println(sample.mix());
      out.printf(
          Locale.ROOT,
          "postgres: COPY %.1f s (%,.0f events/s), 4 indexes %.1f s, VACUUM ANALYZE %.1f s; table"
              + " %.1f MB per million events, indexes %.1f MB, total %.1f MB%n",
          load.copy(),
          o.events() / load.copy(),
          load.indexes(),
          load.vacuumAnalyze(),
          perMillion(sizes[1], o.events()),
          perMillion(sizes[2], o.events()),
          perMillion(sizes[0], o.events()));
      Map<Probe.Kind, List<Probe>> probes = new EnumMap<>(Probe.Kind.class);
      for (Probe.Kind kind : Probe.Kind.values()) {
        probes.put(kind, sample.probes(kind, o.warmup() + o.runs(), o.seed()));
      }
      try (Search search = Search.start(o, data, work, out)) {
        out.println("trailwatch mode: " + search.client().mode());
        jitWarmup(o, probes, search.client(), out);
        results = measure(o, probes, search.client(), table, out);
      }
      if (o.pgTuned()) {
        double seconds = table.tune();
        long[] tuned = table.sizes();
        out.printf(
            Locale.ROOT,
            "postgres tuned: %s in %.1f s; indexes now %.1f MB per million events%n",
            AuditTable.TUNED_INDEXES,
            seconds,
            perMillion(tuned[2], o.events()));
        measureTuned(o, probes, table, results, out);
      }
    }
    print(results, out);
    return results;
  }

  /** Imports and reindexes (timed), unless the data directory is there from an earlier run. */
  private static void loadTrailwatch(Options o, Path corpus, Path data, Path work, PrintStream out)
      throws Exception {
    if (Files.exists(data.resolve("LEDGER")) && Files.isDirectory(SearchIndex.path(data))) {
      out.println("reusing " + data + " (import and reindex not timed)");
    } else {
      Records.deleteRecursively(data);
      String tw = o.trailwatch().toString();
      ImportVsPython.Timed.run(List.of(tw, "--version"), work.resolve("version.log"));
      ImportVsPython.Timed imp =
          ImportVsPython.Timed.run(
              List.of(tw, "import", "--data", data.toString(), corpus.toString()),
              work.resolve("import.log"));
      ImportVsPython.Timed reindex =
          ImportVsPython.Timed.run(
              List.of(tw, "reindex", "--data", data.toString()), work.resolve("reindex.log"));
      out.printf(
          Locale.ROOT,
          "trailwatch: import %.1f s (%,.0f events/s), reindex %.1f s = %,.0f events/s sustained"
              + " (CPU %.1f s = %.1f µs/event, others %.0f%%)%n",
          imp.wall(),
          o.events() / imp.wall(),
          reindex.wall(),
          o.events() / reindex.wall(),
          reindex.cpu(),
          1e6 * reindex.cpu() / o.events(),
          reindex.othersCpu());
    }
    long index = IndexBench.bytesUnder(SearchIndex.path(data));
    long ledger = IndexBench.bytesUnder(data) - index;
    out.printf(
        Locale.ROOT,
        "trailwatch: index %.1f MB per million events, ledger %.1f MB (index / ledger %.2f)%n",
        perMillion(index, o.events()),
        perMillion(ledger, o.events()),
        (double) index / ledger);
  }

  private static Map<Probe.Kind, Times> measure(
      Options o,
      Map<Probe.Kind, List<Probe>> probes,
      TrailwatchSearch trailwatch,
      AuditTable table,
      PrintStream out)
      throws Exception {
    Map<Probe.Kind, Times> results = new EnumMap<>(Probe.Kind.class);
    for (Probe.Kind kind : Probe.Kind.values()) {
      List<Double> tw = new ArrayList<>();
      List<Double> pg = new ArrayList<>();
      long[] totals = {Long.MAX_VALUE, Long.MIN_VALUE};
      List<Probe> list = probes.get(kind);
      for (int i = 0; i < list.size(); i++) {
        Probe p = list.get(i);
        Timing a;
        Timing b;
        if (i % 2 == 0) {
          a = Timing.of(() -> trailwatch.search(p));
          b = Timing.of(() -> table.query(p));
        } else {
          b = Timing.of(() -> table.query(p));
          a = Timing.of(() -> trailwatch.search(p));
        }
        requireSame(p, a.answer(), b.answer());
        if (i >= o.warmup()) {
          tw.add(a.millis());
          pg.add(b.millis());
          totals[0] = Math.min(totals[0], a.answer().total());
          totals[1] = Math.max(totals[1], a.answer().total());
        }
        if (i == o.warmup()) {
          out.println("postgres plan of " + kind + " (" + p.what() + "):");
          table.explain(p).lines().forEach(l -> out.println("    " + l));
        }
      }
      results.put(kind, new Times(tw, pg, List.of(), totals));
      out.printf(
          Locale.ROOT,
          "%-13s trailwatch p50 %8.2f ms  postgres p50 %9.2f ms  (%d runs, same answers)%n",
          kind,
          percentile(tw, 50),
          percentile(pg, 50),
          tw.size());
    }
    return results;
  }

  /**
   * Before anything is timed, {@code --jit-warmup} searches (the probes of every kind in turn, not
   * timed) so that the server's code is compiled, as in a server that has been running: a fresh JVM
   * interprets its first thousands of calls. PostgreSQL is native code and needs no such warm-up;
   * both systems then get the same {@code --warmup} runs of each query before timing.
   */
  private static void jitWarmup(
      Options o, Map<Probe.Kind, List<Probe>> probes, TrailwatchSearch trailwatch, PrintStream out)
      throws Exception {
    if (o.jitWarmup() <= 0) {
      return;
    }
    List<Probe> all = new ArrayList<>();
    probes.values().forEach(all::addAll);
    long started = System.nanoTime();
    for (int i = 0; i < o.jitWarmup(); i++) {
      trailwatch.search(all.get(i % all.size()));
    }
    out.printf(
        Locale.ROOT,
        "trailwatch: %,d warm-up searches (JIT), %.1f s, not timed%n",
        o.jitWarmup(),
        (System.nanoTime() - started) / 1e9);
  }

  private static void measureTuned(
      Options o,
      Map<Probe.Kind, List<Probe>> probes,
      AuditTable table,
      Map<Probe.Kind, Times> results,
      PrintStream out)
      throws Exception {
    for (Probe.Kind kind : Probe.Kind.values()) {
      List<Double> pg = new ArrayList<>();
      List<Probe> list = probes.get(kind);
      for (int i = 0; i < list.size(); i++) {
        Probe p = list.get(i);
        Timing t = Timing.of(() -> table.query(p));
        if (i >= o.warmup()) {
          pg.add(t.millis());
        }
        if (i == o.warmup()) {
          out.println("postgres tuned plan of " + kind + ":");
          table.explain(list.get(i)).lines().forEach(l -> out.println("    " + l));
        }
      }
      Times t = results.get(kind);
      results.put(kind, new Times(t.trailwatch(), t.postgres(), pg, t.totals()));
    }
  }

  /** An answer and the milliseconds it took, on the caller's side. */
  record Timing(Answer answer, double millis) {
    static Timing of(Callable<Answer> search) throws Exception {
      long t0 = System.nanoTime();
      Answer answer = search.call();
      return new Timing(answer, (System.nanoTime() - t0) / 1e6);
    }
  }

  /** Fails, with both answers, unless Trailwatch answered what PostgreSQL did. */
  static void requireSame(Probe p, Answer trailwatch, Answer postgres) {
    boolean same =
        p.kind().ordered() || p.kind().hits()
            ? trailwatch.equals(postgres)
            : trailwatch.unordered().equals(postgres.unordered());
    if (!same) {
      throw new IllegalStateException(
          "different answers to "
              + p.kind()
              + " ("
              + p.what()
              + "), query '"
              + p.query()
              + "' from "
              + p.range().from()
              + " to "
              + p.range().to()
              + ":\n  trailwatch "
              + trailwatch.brief()
              + "\n  postgres   "
              + postgres.brief());
    }
  }

  static void print(Map<Probe.Kind, Times> results, PrintStream out) {
    out.println();
    out.printf(
        Locale.ROOT,
        "%-62s %21s %21s %8s %13s %8s  %s%n",
        "query (runs)",
        "trailwatch p50 / p90",
        "postgres p50 / p90",
        "PG / TW",
        "PG tuned p50",
        "/ TW",
        "targets");
    results.forEach(
        (kind, t) -> {
          double tw = percentile(t.trailwatch(), 50);
          double pg = percentile(t.postgres(), 50);
          boolean tuned = !t.tuned().isEmpty();
          double pgTuned = tuned ? percentile(t.tuned(), 50) : Double.NaN;
          out.printf(
              Locale.ROOT,
              "%-62s %9.2f / %7.2f ms %9.2f / %7.2f ms %7.1fx %10s ms %7sx  p50 <= %.0f ms %s,"
                  + " >= %.0fx %s; hits %,d-%,d%n",
              kind.title + " (" + t.trailwatch().size() + ")",
              tw,
              percentile(t.trailwatch(), 90),
              pg,
              percentile(t.postgres(), 90),
              pg / tw,
              tuned ? String.format(Locale.ROOT, "%.2f", pgTuned) : "-",
              tuned ? String.format(Locale.ROOT, "%.1f", pgTuned / tw) : "-",
              kind.targetMillis,
              tw <= kind.targetMillis ? "met" : "MISSED",
              RATIO_TARGET,
              pg / tw >= RATIO_TARGET ? "met" : "MISSED",
              t.totals()[0],
              t.totals()[1]);
        });
    out.println(
        "hits: the range of totals (events matched, or rows of the table) over the measured runs.");
  }

  /** The p-th percentile, nearest rank; the median of an even count is the mean of the two. */
  static double percentile(List<Double> values, int p) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    if (p == 50) {
      return ImportVsPython.median(v);
    }
    int rank = (int) Math.ceil(p / 100.0 * v.length);
    return v[Math.max(0, rank - 1)];
  }

  private static double perMillion(long bytes, long events) {
    return bytes / 1e6 / (events / 1e6);
  }

  private static Map<String, String> pgSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("shared_buffers", "1GB");
    s.put("work_mem", "64MB");
    s.put("maintenance_work_mem", "1GB");
    s.put("effective_cache_size", "8GB");
    s.put("max_wal_size", "8GB");
    s.put("fsync", "off");
    s.put("synchronous_commit", "off");
    s.put("full_page_writes", "off");
    return s;
  }

  /**
   * The Trailwatch side and what it needs: a {@code serve} process for HTTP, nothing else in
   * process.
   */
  record Search(TrailwatchSearch client, Optional<Process> server) implements AutoCloseable {
    static Search start(Options o, Path data, Path work, PrintStream out) throws Exception {
      if (o.mode().equals("inprocess")) {
        return new Search(new TrailwatchSearch.InProcess(data, o.fetchEvents()), Optional.empty());
      }
      ProcessBuilder pb =
          new ProcessBuilder(o.trailwatch().toString(), "serve", "--data", data.toString());
      pb.environment().put("TRAILWATCH_HTTP_PORT", "0");
      pb.environment().put("TRAILWATCH_SYSLOG_PORT", "-1");
      pb.environment().put("TRAILWATCH_ADMIN_TOKEN", TOKEN);
      pb.redirectError(work.resolve("serve.err").toFile());
      Process server = pb.start();
      try {
        TrailwatchSearch.Http http = new TrailwatchSearch.Http(HttpIngestBench.port(server), TOKEN);
        int status = http.probeStatus();
        if (status == 200) {
          return new Search(http, Optional.of(server));
        }
        http.close();
        if (o.mode().equals("http")) {
          throw new IllegalStateException(
              "GET /api/v1/search answered "
                  + status
                  + ": this build has no search API; run with --trailwatch-mode inprocess");
        }
        out.println(
            "NOTE: GET /api/v1/search answered "
                + status
                + " (no search API in this build): measuring Trailwatch IN PROCESS, not over"
                + " HTTP");
      } catch (Exception e) {
        stop(server);
        throw e;
      }
      stop(server);
      return new Search(new TrailwatchSearch.InProcess(data, o.fetchEvents()), Optional.empty());
    }

    @Override
    public void close() throws IOException {
      try {
        client.close();
      } finally {
        if (server.isPresent()) {
          stop(server.get());
        }
      }
    }

    private static void stop(Process server) throws InterruptedIOException {
      server.destroy();
      try {
        server.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while stopping " + server.pid());
      }
    }
  }
}
