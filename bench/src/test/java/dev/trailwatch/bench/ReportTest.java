package dev.trailwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static final String SHA = "Sha256Benchmark.sha256";
  private static final String LEAF = "MerkleBenchmark.leafAndNodes";
  private static final String APPEND = "LedgerAppendBenchmark.append2";
  private static final String VERIFY = "VerifyBenchmark.verify";

  private static List<Sample> samples(
      String benchmark, Map<String, String> params, int threads, double[] scores, double[] others) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      out.add(
          new Sample(benchmark, params, threads, 1, i + 1, scores[i], others[i], 100 * (i + 1)));
    }
    return out;
  }

  private static List<Sample> run() {
    List<Sample> all = new ArrayList<>();
    double[] quiet = {0, 0, 0, 0};
    all.addAll(samples(SHA, Map.of("bytes", "300"), 1, new double[] {3e6, 3e6, 3e6, 3e6}, quiet));
    all.addAll(
        samples(LEAF, Map.of("bytes", "300"), 1, new double[] {1.8e6, 1.8e6, 1.8e6, 1.8e6}, quiet));
    all.addAll(samples(APPEND, Map.of(), 2, new double[] {9e5, 9e5, 9e5, 9e5}, quiet));
    // One iteration beside a busy neighbour (150% of a core): it is left out.
    all.addAll(
        samples(
            VERIFY,
            Map.of(),
            1,
            new double[] {1.4e6, 1.4e6, 1.4e6, 0.2e6},
            new double[] {5, 10, 0, 150}));
    return all;
  }

  @Test
  void leavesOutIterationsBesideABusyNeighbour() {
    Figure verify = figure(VERIFY, 25);

    assertThat(verify.score()).isEqualTo(1.4e6);
    assertThat(verify.error()).isEqualTo(0.0);
    assertThat(verify.used()).isEqualTo(3);
    assertThat(verify.total()).isEqualTo(4);
    assertThat(verify.quietOnly()).isTrue();
    assertThat(verify.othersCpu()).isEqualTo(10);
    assertThat(verify.cpuNanos()).isEqualTo(200); // the median of the 3 used: 100, 200, 300
  }

  @Test
  void usesEveryIterationWhenTooFewAreQuiet() {
    Figure verify = figure(VERIFY, 4);

    assertThat(verify.used()).isEqualTo(4);
    assertThat(verify.quietOnly()).isFalse();
    assertThat(verify.score()).isEqualTo((1.4e6 * 3 + 0.2e6) / 4);
  }

  @Test
  void ratioPropagatesRelativeErrors() {
    Figure f = new Figure("X.y", Map.of(), 1, 1_500_000, 30_000, 5, 5, true, 0, 0); // 2%
    Figure ref = new Figure("R.s", Map.of(), 1, 3_000_000, 0, 5, 5, true, 0, 0);

    assertThat(Report.ratio(f, Optional.of(ref))).isEqualTo("50.0% ± 1.0");
    assertThat(Report.ratio(f, Optional.empty())).isEqualTo("-");
  }

  @Test
  void targetsAreTheIssues() {
    Optional<Figure> leaf = Optional.of(figure(LEAF, 25));

    // 0.9 M/s is 50% of leaf+node: below both 1.0 M/s and 55%.
    assertThat(Report.target(figure(APPEND, 25), leaf)).startsWith("MISSED");
    // 1.4 / 1.8 = 77.8% >= 70%.
    assertThat(Report.target(figure(VERIFY, 25), leaf)).startsWith("met");
    assertThat(Report.target(figure(SHA, 25), leaf)).isEmpty();
  }

  @Test
  void aTargetInsideTheErrorIsNeitherMetNorMissed() {
    assertThat(Report.Verdict.of(0.75, 0.04, 0.70)).isEqualTo(Report.Verdict.MET);
    assertThat(Report.Verdict.of(0.75, 0.06, 0.70)).isEqualTo(Report.Verdict.UNCLEAR);
    assertThat(Report.Verdict.of(0.65, 0.04, 0.70)).isEqualTo(Report.Verdict.MISSED);
    assertThat(Report.Verdict.of(0.65, Double.NaN, 0.70)).isEqualTo(Report.Verdict.MISSED);
    assertThat(Report.Verdict.both(Report.Verdict.MET, Report.Verdict.MISSED))
        .isEqualTo(Report.Verdict.MISSED);
  }

  @Test
  void printsEveryFigureInTheIssuesOrder() {
    var bytes = new ByteArrayOutputStream();
    Report.print(
        Report.figures(run(), 25), 25, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

    assertThat(lines)
        .filteredOn(l -> l.startsWith("("))
        .extracting(l -> l.substring(0, 3))
        .containsExactly("(a)", "(b)", "(c)", "(d)");
    assertThat(lines).anyMatch(l -> l.startsWith("(c) append, 2 threads") && l.contains("30.0%"));
  }

  @Test
  void savedSamplesReadBack() {
    List<Sample> all = run();
    List<String> lines = new ArrayList<>(List.of("# a comment"));
    all.forEach(s -> lines.add(s.toLine()));

    assertThat(Sample.parseAll(lines)).isEqualTo(all);
  }

  @Test
  void rejectsALineThatIsNotASample() {
    assertThatThrownBy(() -> Sample.parse("a,b,c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a saved sample");
  }

  @Test
  void takesItsOwnOptionsOutOfJmhs() {
    List<String> args = new ArrayList<>(List.of("-f", "1", "--save", "x.txt", "-i", "3"));

    assertThat(Report.option(args, "--save")).contains("x.txt");
    assertThat(Report.option(args, "--from")).isEmpty();
    assertThat(args).containsExactly("-f", "1", "-i", "3");
  }

  private static Figure figure(String benchmark, double maxOthers) {
    return Report.figures(run(), maxOthers).stream()
        .filter(f -> f.benchmark().equals(benchmark))
        .findFirst()
        .orElseThrow();
  }
}
