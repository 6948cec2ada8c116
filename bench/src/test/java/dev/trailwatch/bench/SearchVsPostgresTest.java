package dev.trailwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailwatch.search.query.TimeRange;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchVsPostgresTest {
  @TempDir Path tmp;

  /**
   * The whole harness on 20,000 events: generate, import, reindex, PostgreSQL, the five queries
   * with their answers compared, the report; the cluster is gone afterwards.
   */
  @Test
  void runsEndToEndOnATinyCorpus() throws Exception {
    assumeTrue(
        PostgresCluster.binaries(PostgresCluster.DEBIAN_15).isPresent(),
        "PostgreSQL 15 is not installed in "
            + PostgresCluster.DEBIAN_15
            + " (apt-get install -y postgresql-15)");
    Path launcher = Path.of("..", "trailwatch").toAbsolutePath().normalize();
    assumeTrue(Files.isExecutable(launcher), "no launcher at " + launcher);
    var bytes = new ByteArrayOutputStream();
    var out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    Map<Probe.Kind, SearchVsPostgres.Times> results =
        SearchVsPostgres.run(
            SearchVsPostgres.Options.parse(
                "--events",
                "20000",
                "--runs",
                "3",
                "--warmup",
                "1",
                "--jit-warmup",
                "20",
                "--dir",
                tmp.toString(),
                "--trailwatch",
                launcher.toString(),
                "--trailwatch-mode",
                "inprocess"),
            out);

    String report = bytes.toString(StandardCharsets.UTF_8);
    assertThat(results).containsOnlyKeys(Probe.Kind.values());
    results.forEach(
        (kind, t) -> {
          assertThat(t.trailwatch()).as(kind.name()).hasSize(3);
          assertThat(t.postgres()).as(kind.name()).hasSize(3);
          assertThat(t.totals()[0]).as(kind.name() + " finds something").isPositive();
        });
    assertThat(report)
        .contains("trailwatch mode: inprocess")
        .contains("reindex")
        .contains("distinct user.name")
        .contains("events of one user in a day, newest 100 (3)");
    Matcher cluster = Pattern.compile("cluster in (\\S+),").matcher(report);
    assertThat(cluster.find()).as(report).isTrue();
    assertThat(Path.of(cluster.group(1))).as("deleted after the run").doesNotExist();
  }

  @Test
  void aRowOfTheAuditTableKeepsTheRestOfTheEventAsDoc() throws Exception {
    String line =
        "{\"@timestamp\":\"2026-10-01T10:00:00.123456789Z\",\"event\":{\"action\":\"login\","
            + "\"outcome\":\"failure\",\"dataset\":\"sshd\"},\"user\":{\"name\":\"alice\"},"
            + "\"source\":{\"ip\":\"192.0.2.7\",\"port\":22},"
            + "\"message\":\"said \\\"hi\\\", then left\"}";
    StringBuilder row = new StringBuilder();

    AuditTable.csvRow(7, (ObjectNode) new ObjectMapper().readTree(line), row);

    assertThat(row)
        .hasToString(
            "7,2026-10-01T10:00:00.123456Z,\"alice\",\"192.0.2.7\",\"login\",\"failure\","
                + "\"said \"\"hi\"\", then left\","
                + "\"{\"\"event\"\":{\"\"dataset\"\":\"\"sshd\"\"},\"\"source\"\":{\"\"port\"\":22}}\"\n");
  }

  @Test
  void anAbsentColumnIsCopysNull() throws Exception {
    StringBuilder row = new StringBuilder();

    AuditTable.csvRow(
        1,
        (ObjectNode)
            new ObjectMapper()
                .readTree(
                    "{\"@timestamp\":\"2026-10-01T10:00:00Z\",\"event\":{\"action\":\"sudo\","
                        + "\"outcome\":\"success\"},\"user\":{\"name\":\"bob\"}}"),
        row);

    assertThat(row).hasToString("1,2026-10-01T10:00:00Z,\"bob\",,\"sudo\",\"success\",,\"{}\"\n");
  }

  @Test
  void needlesAreRareWordsAsTheIndexCutsThem() {
    assertThat(
            CorpusSample.needle(
                "sshd[7270]: Accepted publickey for bianca from 179.175.167.130 port 52678 ssh2:"
                    + " ED25519 SHA256:F6yJZr7wV546y3w1v1vDAG8t6UL7X4HWFnNmUWhMz6R"))
        .contains("f6yjzr7wv546y3w1v1vdag8t6ul7x4hwfnnmuwhmz6r");
    assertThat(CorpusSample.needle("login succeeded for alice via password")).isEmpty();
  }

  @Test
  void readsTheSearchApisAnswer() throws Exception {
    var json = new ObjectMapper();

    Answer hits =
        TrailwatchSearch.Http.parse(
            json.readTree(
                "{\"total\":1234,\"hits\":[{\"seq\":9,\"event\":{}},{\"seq\":4,\"event\":{}}],"
                    + "\"next\":\"abc\",\"took_ms\":3}"));
    Answer table =
        TrailwatchSearch.Http.parse(
            json.readTree(
                "{\"total\":50,\"hits\":[],\"table\":{\"columns\":[\"source.ip\",\"count()\"],"
                    + "\"rows\":[[null,30],[\"2001:db8:0:0::1\",20]]},\"took_ms\":3}"));

    assertThat(hits).isEqualTo(Answer.hits(1234, List.of(9L, 4L)));
    assertThat(table.rows())
        .containsExactly(List.of("(absent)", "30"), List.of("2001:db8::1", "20"));
  }

  @Test
  void differentAnswersFailLoudly() {
    Probe probe =
        new Probe(
            Probe.Kind.USER_DAY,
            "alice 2026-10-01",
            "user.name:\"alice\"",
            new TimeRange(
                Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z")),
            List.of("alice"));

    SearchVsPostgres.requireSame(
        probe, Answer.hits(2, List.of(5L, 3L)), Answer.hits(2, List.of(5L, 3L)));
    assertThatThrownBy(
            () ->
                SearchVsPostgres.requireSame(
                    probe, Answer.hits(2, List.of(5L, 3L)), Answer.hits(2, List.of(5L, 4L))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("different answers to USER_DAY (alice 2026-10-01)");
  }

  @Test
  void percentilesAreNearestRankAndTheMedianOfTwoMiddles() {
    List<Double> v = List.of(4.0, 1.0, 3.0, 2.0, 10.0, 5.0, 6.0, 7.0, 8.0, 9.0);

    assertThat(SearchVsPostgres.percentile(v, 50)).isEqualTo(5.5);
    assertThat(SearchVsPostgres.percentile(v, 90)).isEqualTo(9.0);
  }
}
