package dev.trailwatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.ledger.LedgerProblem.Kind;
import dev.trailwatch.ledger.Tamperings.Expect;
import dev.trailwatch.ledger.Tamperings.Outcome;
import dev.trailwatch.ledger.checkpoint.NoteVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adversarial test of the ledger: random tamperings of a real data directory ({@link
 * Tamperings} lists them), each of which {@link Verifier} must report ({@code trailwatch verify}
 * exits 1), except where the change provably leaves the ledger identical. For every tampering it
 * checks one of three verdicts:
 *
 * <ul>
 *   <li>reported: the report is not intact, and where the tampering changed a record, {@code
 *       report.first()} names that entry or an earlier one, and the file where that is
 *       determinable;
 *   <li>exempt: provably harmless, with the reason ({@link Tamperings#NOT_LEDGER_CONTENT}, {@link
 *       Tamperings#KEY_WHITESPACE}, {@link Tamperings#NO_OP}); verify must then call the ledger
 *       intact, so that it does not cry wolf either;
 *   <li>the one known limitation, {@link Tamperings#KEY_AND_SIGNATURES_REPLACED}: intact with the
 *       data directory's key, reported with the original public key.
 * </ul>
 *
 * <p>The pristine directory is built once per class. Two threads each own a working directory,
 * which is restored to the pristine bytes (only the files that differ are rewritten, which is much
 * cheaper than copying and deleting a directory) before every tampering. Failures are collected,
 * not thrown at the first, so that one run shows every miss; each names the seed ({@code
 * -Dtests.seed=N} replays the same tamperings) and the tampering. A histogram of what verify said
 * per kind of tampering goes to stdout (target/surefire-reports/*TamperTest-output.txt).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TamperTest {
  private static final int RANDOM_TAMPERINGS = 1100;
  private static final int TILE_LEVEL_ONE_TAMPERINGS = 24;
  private static final int THREADS = 2;

  private Path work;
  private long seed;
  private PristineLedger pristine;

  @BeforeAll
  void buildPristine(@TempDir Path workDir) throws Exception {
    work = workDir;
    seed = TestSeeds.seed();
    System.out.println("TamperTest seed " + seed + " (replay with -Dtests.seed=" + seed + ")");
    long start = System.nanoTime();
    pristine = PristineLedger.build(work.resolve("pristine"), seed, PristineLedger.SMALL);
    System.out.printf(
        Locale.ROOT,
        "pristine: %d entries, %d segments, %d checkpoints, %d files, %d bytes, built in %d ms%n",
        pristine.entries(),
        pristine.segmentPaths().size(),
        pristine.checkpointNotes().size(),
        pristine.paths().size(),
        pristine.totalBytes(),
        (System.nanoTime() - start) / 1_000_000);
    assertThat(pristine.checkpointNotes())
        .as("seed %d: #0, one per reopening, and the one the last close signed", seed)
        .hasSize(PristineLedger.SMALL.checkpoints() + 2);
  }

  @Test
  void theUntouchedCopyIsIntact() throws IOException {
    Path copy = work.resolve("untouched");
    pristine.restore(copy);
    for (Optional<NoteVerifier> key : List.of(Optional.<NoteVerifier>empty(), given())) {
      VerifyReport report = verify(copy, key);
      assertThat(report.problems()).as("seed %d, key %s", seed, key).isEmpty();
      assertThat(report.notes()).as("seed %d, key %s", seed, key).isEmpty();
      assertThat(report.entries()).as("seed %d", seed).isEqualTo(pristine.entries());
    }
  }

  @Test
  void everyRandomTamperingIsReportedUnlessProvablyHarmless() throws Exception {
    Tamperings tamperings = new Tamperings(pristine);
    run("random", pristine, RANDOM_TAMPERINGS, seed, tamperings::random);
  }

  @Test
  void everyTileOfLevelOneIsChecked() throws Exception {
    PristineLedger big =
        PristineLedger.build(work.resolve("pristine-big"), seed ^ 1, PristineLedger.TILE_LEVEL_ONE);
    List<String> levelOne = List.of(Layout.TILES + "/level-1");
    assertThat(big.paths()).as("seed %d", seed).containsAll(levelOne);
    Tamperings tamperings = new Tamperings(big);
    run(
        "tiles of level 1",
        big,
        TILE_LEVEL_ONE_TAMPERINGS,
        seed ^ 2,
        (dir, random) -> tamperings.flipByte(dir, random, levelOne));
  }

  private Optional<NoteVerifier> given() {
    return Optional.of(pristine.publicKey());
  }

  private static VerifyReport verify(Path dir, Optional<NoteVerifier> key) throws IOException {
    return Verifier.verify(new Verifier.Options(dir, key, Optional.empty(), (done, total) -> {}));
  }

  @FunctionalInterface
  private interface Tampering {
    Outcome apply(Path dir, SplittableRandom random) throws IOException;
  }

  /** What verify said about one tampering: a report per key mode, or why it could not run. */
  private record Result(int number, Outcome outcome, List<Verdict> verdicts) {}

  private record Verdict(Optional<NoteVerifier> key, Optional<VerifyReport> report, String error) {}

  /**
   * Applies {@code count} tamperings on {@link #THREADS} threads, each to a working copy of {@code
   * from} restored before it, then checks every verdict and prints the histogram. Each tampering
   * draws from its own generator, split off in order from {@code runSeed}, so a seed replays the
   * same tamperings whatever the threads do.
   */
  private void run(String name, PristineLedger from, int count, long runSeed, Tampering tampering)
      throws Exception {
    long start = System.nanoTime();
    SplittableRandom parent = new SplittableRandom(runSeed);
    BlockingQueue<Path> workDirs = new ArrayBlockingQueue<>(THREADS);
    for (int w = 0; w < THREADS; w++) {
      workDirs.add(work.resolve(name.replace(' ', '-') + "-" + w));
    }
    List<Future<Result>> futures = new ArrayList<>();
    try (ExecutorService pool =
        Executors.newFixedThreadPool(THREADS, Thread.ofPlatform().name("tamper-", 0).factory())) {
      for (int t = 0; t < count; t++) {
        int number = t;
        SplittableRandom random = parent.split();
        futures.add(
            pool.submit(
                () -> {
                  Path dir = workDirs.take();
                  try {
                    return tamperAndVerify(number, from, dir, random, tampering);
                  } finally {
                    workDirs.add(dir);
                  }
                }));
      }
    }
    List<String> failures = new ArrayList<>();
    Map<String, Row> rows = new TreeMap<>();
    int verifications = 0;
    for (Future<Result> f : futures) {
      Result result = f.get();
      Row row = rows.computeIfAbsent(result.outcome().kind(), k -> new Row());
      for (Verdict v : result.verdicts()) {
        verifications++;
        String context =
            String.format(
                Locale.ROOT,
                "seed %d, %s tampering #%d, %s, key %s: %s",
                seed,
                name,
                result.number(),
                result.outcome().kind(),
                v.key().isPresent() ? "given" : "from the data directory",
                result.outcome().detail());
        if (v.report().isEmpty()) {
          row.threw++;
          failures.add(context + "\n    verify threw (the CLI would not exit 1): " + v.error());
          continue;
        }
        VerifyReport report = v.report().get();
        row.add(result.outcome(), report);
        check(result.outcome(), v.key().isPresent(), report)
            .ifPresent(problem -> failures.add(context + "\n    " + problem + describe(report)));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%n%s: %d tamperings, %d verifications on %d threads in %d ms (JVM CPU time so far %s;"
            + " seed %d)%n",
        name,
        count,
        verifications,
        THREADS,
        (System.nanoTime() - start) / 1_000_000,
        ProcessHandle.current().info().totalCpuDuration().map(Duration::toString).orElse("?"),
        seed);
    System.out.printf(
        Locale.ROOT,
        "%-66s %5s %6s  %s%n",
        "tampering",
        "verifs",
        "exempt",
        "problem kinds in the reports (reports naming each; * = kind of report.first())");
    rows.forEach((kind, row) -> System.out.printf(Locale.ROOT, "%-66s %s%n", kind, row));
    futures.stream()
        .map(Future::resultNow)
        .filter(r -> !r.outcome().why().isEmpty())
        .collect(Collectors.groupingBy(r -> r.outcome().why(), TreeMap::new, Collectors.counting()))
        .forEach((why, n) -> System.out.printf(Locale.ROOT, "%5d x %s%n", n, why));
    failures.stream().limit(30).forEach(f -> System.out.println("FAILURE " + f));
    assertThat(failures)
        .as(
            "seed %d: %d of %d verifications went wrong; the first: %s",
            seed,
            failures.size(),
            verifications,
            failures.stream().limit(5).collect(Collectors.joining("\n")))
        .isEmpty();
  }

  private static Result tamperAndVerify(
      int number, PristineLedger from, Path dir, SplittableRandom random, Tampering tampering)
      throws IOException {
    from.restore(dir);
    Outcome outcome = tampering.apply(dir, random);
    if (outcome.expect() != Expect.EXEMPT && from.sameBytesAs(dir)) {
      outcome = outcome.asNoOp();
    }
    List<Optional<NoteVerifier>> modes =
        outcome.bothKeyModes() || outcome.expect() == Expect.ONLY_WITH_GIVEN_KEY
            ? List.of(Optional.empty(), Optional.of(from.publicKey()))
            : List.of(random.nextBoolean() ? Optional.empty() : Optional.of(from.publicKey()));
    List<Verdict> verdicts = new ArrayList<>();
    for (Optional<NoteVerifier> key : modes) {
      try {
        VerifyReport report = verify(dir, key);
        verdicts.add(new Verdict(key, Optional.of(relativize(report, dir)), ""));
      } catch (IOException | RuntimeException e) {
        verdicts.add(new Verdict(key, Optional.empty(), e.toString()));
      }
    }
    return new Result(number, outcome, verdicts);
  }

  /** The report with file names relative to the data directory, as the tamperings name them. */
  private static VerifyReport relativize(VerifyReport r, Path dir) {
    List<LedgerProblem> problems =
        r.problems().stream()
            .map(
                p ->
                    new LedgerProblem(
                        p.kind(),
                        p.seq(),
                        p.file().map(f -> f.startsWith(dir) ? dir.relativize(f) : f),
                        p.offset(),
                        p.message()))
            .toList();
    return new VerifyReport(
        r.entries(),
        r.checkpoints(),
        r.witnessed(),
        r.latest(),
        r.keySource(),
        problems,
        r.notes());
  }

  /** What is wrong with verify's verdict on {@code outcome}, if anything. */
  private static Optional<String> check(Outcome outcome, boolean givenKey, VerifyReport report) {
    Expect expect = outcome.expect();
    if (expect == Expect.EXEMPT) {
      return report.intact()
          ? Optional.empty()
          : Optional.of("exempt (" + outcome.why() + ") but verify reported it");
    }
    if (expect == Expect.ONLY_WITH_GIVEN_KEY && !givenKey) {
      if (!report.intact()) {
        return Optional.of("expected the known limitation (" + outcome.why() + ") to hold");
      }
      return report.keySource().contains("data directory")
          ? Optional.empty()
          : Optional.of("the report does not say the key came from the data directory");
    }
    if (report.intact()) {
      return Optional.of("NOT REPORTED: verify calls the tampered ledger intact");
    }
    LedgerProblem first = report.first().orElseThrow();
    if (outcome.seq() >= 0 && (first.seq() < 0 || first.seq() > outcome.seq())) {
      return Optional.of(
          "report.first() names entry "
              + first.seq()
              + ", not entry "
              + outcome.seq()
              + " or an earlier one");
    }
    if (outcome.file().isPresent() && !first.file().equals(outcome.file().map(Path::of))) {
      return Optional.of(
          "report.first() names the file " + first.file() + ", not " + outcome.file().get());
    }
    return Optional.empty();
  }

  private static String describe(VerifyReport report) {
    return "\n    report: intact="
        + report.intact()
        + report.problems().stream()
            .limit(6)
            .map(p -> "\n      " + p.kind() + " " + p.describe())
            .collect(Collectors.joining());
  }

  /** One histogram row: how often each problem kind appeared for one kind of tampering. */
  private static final class Row {
    private int runs;
    private int exempt;
    private int threw;
    private final Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
    private final Map<Kind, Integer> firsts = new EnumMap<>(Kind.class);
    private int intact;

    void add(Outcome outcome, VerifyReport report) {
      runs++;
      if (outcome.expect() == Expect.EXEMPT) {
        exempt++;
      }
      if (report.intact()) {
        intact++;
      }
      report.problems().stream()
          .map(LedgerProblem::kind)
          .distinct()
          .forEach(k -> kinds.merge(k, 1, Integer::sum));
      report.first().ifPresent(p -> firsts.merge(p.kind(), 1, Integer::sum));
    }

    @Override
    public String toString() {
      String named =
          kinds.entrySet().stream()
              .sorted(Map.Entry.<Kind, Integer>comparingByValue(Comparator.reverseOrder()))
              .map(
                  e ->
                      e.getKey() + (firsts.containsKey(e.getKey()) ? "*" : "") + " " + e.getValue())
              .collect(Collectors.joining(", "));
      return String.format(
          Locale.ROOT,
          "%5d %6d  %s%s%s",
          runs + threw,
          exempt,
          intact > 0 ? "intact " + intact + (named.isEmpty() ? "" : ", ") : "",
          named,
          threw > 0 ? ", verify threw " + threw : "");
    }
  }
}
