package dev.trailwatch.search.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Outcome;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The semantics of docs/QUERY.md on a handful of events, with the answers written out: both the
 * reference and the index must give exactly these. Covers what random tests check only in
 * agreement: order and ties, case, absent values in groups, multi-valued roles, empty results.
 */
class SemanticsTest {
  private static final TimeRange WINDOW = new TimeRange(at("10:00:00"), at("10:05:00"));

  private static NaiveEvaluator naive;
  private static PipelineExecutor index;

  @BeforeAll
  static void events() throws IOException {
    List<StoredEvent> events =
        List.of(
                event(1, "10:00:05", "login", Outcome.FAILURE)
                    .userName("alice")
                    .userRoles(List.of("admin", "dev"))
                    .sourceIp("192.0.2.7")
                    .sourcePort(50_000)
                    .hostName("web-1")
                    .message("sshd[7]: Failed password for alice from 192.0.2.7 port 50000 ssh2")
                    .label("ssh.method", "password"),
                event(2, "10:00:30", "login", Outcome.FAILURE)
                    .userName("bob")
                    .userRoles(List.of("dev"))
                    .sourceIp("192.0.2.7")
                    .hostName("web-1")
                    .message("sshd[8]: Failed password for invalid user bob from 192.0.2.7")
                    .label("ssh.method", "password"),
                event(3, "10:01:10", "login", Outcome.SUCCESS)
                    .userName("alice")
                    .userRoles(List.of("dev", "admin", "dev"))
                    .sourceIp("2001:db8::5")
                    .hostName("web-2")
                    .message("sshd[9]: Accepted publickey for alice from 2001:db8::5"),
                event(4, "10:01:10", "http_request", Outcome.SUCCESS)
                    .sourceIp("198.51.100.1")
                    .urlPath("/api/users")
                    .httpStatusCode(200)
                    .message("GET /api/users 200"),
                event(5, "10:02:00", "http_request", Outcome.FAILURE)
                    .userName("carol")
                    .sourceIp("198.51.100.1")
                    .urlPath("/api/orders")
                    .httpStatusCode(503)
                    .message("POST /api/orders 503"),
                event(6, "10:02:40", "http_request", Outcome.FAILURE)
                    .sourceIp("203.0.113.9")
                    .urlPath("/api/orders")
                    .httpStatusCode(500)
                    .message("POST /api/orders 500"),
                event(7, "10:03:00", "logout", Outcome.SUCCESS)
                    .userName("Alice")
                    .sourceIp("10.1.2.3")
                    .message("logout Alice"),
                event(8, "09:59:59", "login", Outcome.FAILURE)
                    .userName("alice")
                    .sourceIp("192.0.2.7")
                    .message("before the window"))
            .stream()
            .map(SemanticsTest::stored)
            .toList();
    naive = new NaiveEvaluator(events);
    index =
        new PipelineExecutor(new IndexSearcher(DirectoryReader.open(TestIndex.build(events, 3))));
  }

  @Test
  void hitsAreNewestFirstThenHighestSeq() throws Exception {
    assertHits("", 7, 6, 5, 4, 3, 2, 1);
    assertHits("user.name:alice", 3, 1);
    assertHits("user.name:Alice", 7);
    assertHits("alice", 7, 3, 1);
    assertHits("not user.name:*", 6, 4);
    assertHits("not user.name:alice", 7, 6, 5, 4, 2);
    assertHits("\"failed password\" and not bob", 1);
    assertHits("user.roles:admin", 3, 1);
    assertHits("source.ip:2001:db8::/32", 3);
    assertHits("source.ip:::/0", 7, 6, 5, 4, 3, 2, 1);
    assertHits("source.ip:192.0.2.0/24 or source.ip:10.0.0.0/8", 7, 2, 1);
    assertHits("http.response.status_code >= 500", 6, 5);
    assertHits("url.path >= /api/p", 4);
    assertHits("labels.ssh.method:pass*", 2, 1);
    assertHits("@timestamp < 2026-11-02T10:01:10Z", 2, 1);
  }

  @Test
  void sortIsStableAndPutsAbsentLast() throws Exception {
    assertHits("| sort user.name", 7, 3, 1, 2, 5, 6, 4);
    assertHits("| sort -user.name", 5, 2, 3, 1, 7, 6, 4);
    assertHits("| sort -http.response.status_code | head 3", 5, 6, 4);
    assertHits("| sort user.roles | head 3", 3, 1, 2);
    assertHits("| sort -user.roles, -@timestamp", 3, 2, 1, 7, 6, 5, 4);
    assertHits("| head 0");
  }

  @Test
  void fieldsChoosesWhatHitsShow() throws Exception {
    ParsedQuery query = QueryParser.parse("alice | fields user.name, message | head 1");
    Hits hits = new Hits(List.of(7L), List.of("user.name", "message"));
    assertThat(naive.evaluate(query, WINDOW)).isEqualTo(hits);
    assertThat(index.execute(query, WINDOW)).isEqualTo(hits);
  }

  @Test
  void statsGroupAbsentValuesTogetherAndSortsThemLast() throws Exception {
    assertTable(
        "| stats count() by user.name",
        List.of("user.name", "count()"),
        row(text("Alice"), 1),
        row(text("alice"), 2),
        row(text("bob"), 1),
        row(text("carol"), 1),
        row(Value.ABSENT, 2));
  }

  @Test
  void statsCountsAnEventOncePerRoleAndDistinctValues() throws Exception {
    assertTable(
        "| stats count(), dc(source.ip) by user.roles",
        List.of("user.roles", "count()", "dc(source.ip)"),
        row(text("admin"), 2, 2),
        row(text("dev"), 3, 2),
        row(Value.ABSENT, 4, 3));
    assertTable(
        "event.outcome:failure | stats dc(user.name), count() by source.ip, event.action"
            + " | sort -count() | head 2",
        List.of("source.ip", "event.action", "dc(user.name)", "count()"),
        row(ip("192.0.2.7"), text("login"), 2, 2),
        row(ip("198.51.100.1"), text("http_request"), 1, 1));
  }

  @Test
  void statsWithoutByIsOneRowEvenForNoEvents() throws Exception {
    assertTable(
        "user.name:nobody | stats count(), dc(user.name)",
        List.of("count()", "dc(user.name)"),
        row(0, 0));
    assertTable("user.name:nobody | stats count() by user.name", List.of("user.name", "count()"));
  }

  @Test
  void topBreaksTiesByValue() throws Exception {
    assertTable(
        "| top 2 source.ip",
        List.of("source.ip", "count()"),
        row(ip("192.0.2.7"), 2),
        row(ip("198.51.100.1"), 2));
    assertTable(
        "| top user.name",
        List.of("user.name", "count()"),
        row(text("alice"), 2),
        row(Value.ABSENT, 2),
        row(text("Alice"), 1),
        row(text("bob"), 1),
        row(text("carol"), 1));
  }

  @Test
  void timechartBucketsOnTheSpanFromTheEpoch() throws Exception {
    assertTable(
        "| timechart span=1m count() by event.outcome",
        List.of("_time", "event.outcome", "count()"),
        row(time("10:00:00"), text("failure"), 2),
        row(time("10:01:00"), text("success"), 2),
        row(time("10:02:00"), text("failure"), 2),
        row(time("10:03:00"), text("success"), 1));
    assertTable(
        "http.response.status_code >= 500 | timechart span=2m count(), dc(source.ip)",
        List.of("_time", "count()", "dc(source.ip)"),
        row(time("10:02:00"), 2, 2));
  }

  @Test
  void tableStagesSortHeadAndChooseColumns() throws Exception {
    assertTable(
        "| stats count() by host.name | sort -count(), host.name | fields count(), host.name",
        List.of("count()", "host.name"),
        row(4, Value.ABSENT),
        row(2, text("web-1")),
        row(1, text("web-2")));
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertHits(String text, long... seqs) throws Exception {
    ParsedQuery query = QueryParser.parse(text);
    Hits expected = new Hits(Arrays.stream(seqs).boxed().toList(), List.of());
    assertThat(naive.evaluate(query, WINDOW)).as("reference: " + text).isEqualTo(expected);
    assertThat(index.execute(query, WINDOW)).as("index: " + text).isEqualTo(expected);
  }

  private static void assertTable(String text, List<String> columns, Row... rows) throws Exception {
    ParsedQuery query = QueryParser.parse(text);
    Table expected = new Table(columns, Arrays.stream(rows).map(Row::values).toList());
    assertThat(naive.evaluate(query, WINDOW)).as("reference: " + text).isEqualTo(expected);
    assertThat(index.execute(query, WINDOW)).as("index: " + text).isEqualTo(expected);
  }

  /** One expected row; an int stands for a count. */
  private record Row(List<Value> values) {}

  private static Row row(Object... cells) {
    List<Value> row = new ArrayList<>();
    for (Object cell : cells) {
      row.add(cell instanceof Integer n ? new Value.Int(n) : (Value) cell);
    }
    return new Row(row);
  }

  private static Value text(String s) {
    return new Value.Text(s);
  }

  private static Value ip(String s) {
    return new Value.Ip(IpAddress.parse(s));
  }

  private static Value time(String hms) {
    return new Value.Time(at(hms));
  }

  private static Instant at(String hms) {
    return Instant.parse("2026-11-02T" + hms + "Z");
  }

  private static AccessEvent.Builder event(long seq, String hms, String action, Outcome outcome) {
    return AccessEvent.builder()
        .timestamp(at(hms))
        .action(action)
        .outcome(outcome)
        .eventId(Long.toString(seq));
  }

  private static StoredEvent stored(AccessEvent.Builder b) {
    AccessEvent e = b.build();
    return new StoredEvent(Long.parseLong(e.event().id().orElseThrow()), e);
  }
}
