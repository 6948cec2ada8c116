package dev.trailwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static final List<String> CSV =
      List.of(
          "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\","
              + "\"Unit\",\"Param: bytes\"",
          "\"dev.trailwatch.bench.LedgerAppendBenchmark.append2\",\"thrpt\",2,15,900000.0,"
              + "30000.0,\"ops/s\",",
          "\"dev.trailwatch.bench.MerkleBenchmark.leafAndNodes\",\"thrpt\",1,15,1800000.0,"
              + "NaN,\"ops/s\",300",
          "\"dev.trailwatch.bench.Sha256Benchmark.sha256\",\"thrpt\",1,15,3000000.0,"
              + "60000.0,\"ops/s\",300",
          "\"dev.trailwatch.bench.VerifyBenchmark.verify\",\"thrpt\",1,15,1400000.0,"
              + "14000.0,\"ops/s\",");

  @Test
  void readsJmhCsv() {
    List<Figure> figures = Report.readCsv(CSV);

    assertThat(figures).hasSize(4);
    Figure append = figures.get(0);
    assertThat(append.benchmark()).isEqualTo("LedgerAppendBenchmark.append2");
    assertThat(append.threads()).isEqualTo(2);
    assertThat(append.samples()).isEqualTo(15);
    assertThat(append.score()).isEqualTo(900_000.0);
    assertThat(append.error()).isEqualTo(30_000.0);
    assertThat(append.params()).isEmpty();
    assertThat(figures.get(1).params()).isEqualTo(Map.of("bytes", "300"));
    assertThat(figures.get(1).error()).isNaN();
  }

  @Test
  void ratioPropagatesRelativeErrors() {
    Figure f = new Figure("X.y", Map.of(), 1, 5, 1_500_000, 30_000, "ops/s"); // 2%
    Figure ref = new Figure("R.s", Map.of(), 1, 5, 3_000_000, 0, "ops/s");

    assertThat(Report.ratio(f, Optional.of(ref))).isEqualTo("50.0% ± 1.0");
    assertThat(Report.ratio(f, Optional.empty())).isEqualTo("-");
  }

  @Test
  void targetsAreTheIssues() {
    List<Figure> figures = Report.readCsv(CSV);
    Optional<Figure> leaf = Optional.of(figures.get(1));

    // 0.9 M/s is 50% of leaf+node: below both 1.0 M/s and 55%.
    assertThat(Report.target(figures.get(0), leaf)).startsWith("MISSED");
    // 1.4 / 1.8 = 77.8% >= 70%.
    assertThat(Report.target(figures.get(3), leaf)).startsWith("met");
    assertThat(Report.target(figures.get(2), leaf)).isEmpty();
  }

  @Test
  void printsEveryFigureInOrderOfTheIssue() {
    var bytes = new ByteArrayOutputStream();
    Report.print(Report.readCsv(CSV), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

    assertThat(lines)
        .filteredOn(l -> l.startsWith("("))
        .extracting(l -> l.substring(0, 3))
        .containsExactly("(a)", "(b)", "(c)", "(d)");
    assertThat(lines).anyMatch(l -> l.startsWith("(c) append, 2 threads") && l.contains("30.0%"));
  }

  @Test
  void rejectsAFileThatIsNotJmhCsv() {
    assertThatThrownBy(() -> Report.readCsv(List.of("a,b,c")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no column 'Benchmark'");
  }

  @Test
  void splitsQuotedFields() {
    assertThat(Report.splitCsv("\"a,b\",1,,\"say \"\"hi\"\"\""))
        .containsExactly("a,b", "1", "", "say \"hi\"");
  }
}
