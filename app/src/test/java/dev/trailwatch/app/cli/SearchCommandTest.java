package dev.trailwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.app.cli.CliTest.Run;
import dev.trailwatch.app.server.Role;
import dev.trailwatch.app.server.Server;
import dev.trailwatch.app.server.TestServers;
import dev.trailwatch.event.SystemEntry;
import dev.trailwatch.ledger.Entry;
import dev.trailwatch.ledger.EntryIterator;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import dev.trailwatch.ledger.LedgerReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trailwatch search} offline on a data directory, beside a server, and on a server. */
class SearchCommandTest {
  static final String[] RANGE = {"--from", "2026-11-01T00:00:00Z", "--to", "2026-11-10T00:00:00Z"};

  @TempDir Path tmp;
  Path data;

  @BeforeEach
  void setUp() {
    data = tmp.resolve("data");
    Path events = tmp.resolve("events.ndjson");
    assertThat(CliTest.run("generate", "--count", "2000", "--seed", "5", events.toString()).code())
        .isZero();
    assertThat(CliTest.run("import", "--data", data.toString(), events.toString()).code()).isZero();
  }

  static Run search(String... args) {
    List<String> all = new ArrayList<>(List.of("search"));
    all.addAll(List.of(args));
    all.addAll(List.of(RANGE));
    return CliTest.run(all.toArray(String[]::new));
  }

  Set<String> storedPayloads() throws Exception {
    Set<String> out = new HashSet<>();
    try (LedgerReader r = LedgerReader.open(data);
        EntryIterator it = r.entries(0)) {
      while (it.next()) {
        out.add(new String(it.entry().payload(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Test
  void offlineCatchesTheIndexUpThenPrintsEachFormatAndRecordsTheSearch() throws Exception {
    Run count = search("--data", data.toString(), "--count", "*");
    assertThat(count.code()).as(count.err()).isZero();
    assertThat(count.out().strip()).isEqualTo("2000");
    assertThat(count.err()).contains("the search index is 2,000 entries behind the ledger");

    Run json = search("--data", data.toString(), "--format", "json", "--limit", "250", "*");
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(json.err()).doesNotContain("behind");
    List<String> lines = json.out().lines().toList();
    assertThat(lines).hasSize(250);
    assertThat(storedPayloads()).containsAll(lines);

    Run csv =
        search(
            "--data",
            data.toString(),
            "--format",
            "csv",
            "--limit",
            "3",
            "| fields user.name, source.ip");
    assertThat(csv.out().split("\r\n")).hasSize(4);
    assertThat(csv.out()).startsWith("user.name,source.ip\r\n");

    Run table = search("--data", data.toString(), "--limit", "5", "event.outcome:failure");
    assertThat(table.code()).isZero();
    assertThat(table.out().lines().findFirst().orElseThrow())
        .startsWith("@timestamp")
        .contains("  seq  ")
        .contains("event.outcome");
    assertThat(table.out().lines()).hasSize(6);
    assertThat(table.err())
        .containsPattern("5 of [0-9,]+ matching events \\(--limit N for more\\)");

    Run stats = search("--data", data.toString(), "| stats count() by event.outcome");
    assertThat(stats.out().lines().findFirst().orElseThrow()).isEqualTo("event.outcome  count()");

    List<SystemEntry> recorded = new ArrayList<>();
    try (LedgerReader r = LedgerReader.open(data);
        EntryIterator it = r.entries(2000)) {
      while (it.next()) {
        Entry e = it.entry();
        recorded.add(SystemEntry.decode(e.payload()).orElseThrow());
      }
    }
    assertThat(recorded).hasSize(5).allMatch(e -> e.kind().equals("search"));
    assertThat(recorded.get(0).results()).isEqualTo(2000);
    assertThat(recorded.get(0).actor()).startsWith("cli:");
    Run cat = CliTest.run("cat", "--data", data.toString(), "--from", "2000", "--limit", "1");
    assertThat(cat.out()).contains("\"trailwatch.system\":{\"kind\":\"search\"");
    assertThat(search("--data", data.toString(), "--count", "*").out().strip())
        .as("system entries are not events")
        .isEqualTo("2000");
  }

  @Test
  void aQueryThatCannotRunShowsWhereAndExitsWithTheUsageCode() {
    Run r = search("--data", data.toString(), "event.action:login and user.name:");
    assertThat(r.code()).isEqualTo(ExitCodes.CANNOT_RUN);
    assertThat(r.err())
        .isEqualTo(
            "trailwatch: line 1, column 34: expected a value after ':'\n"
                + "  event.action:login and user.name:\n"
                + "                                   ^\n");
    Run from = CliTest.run("search", "--data", data.toString(), "--from", "now-15x", "*");
    assertThat(from.code()).isEqualTo(ExitCodes.CANNOT_RUN);
    assertThat(from.err())
        .isEqualTo(
            "trailwatch: line 1, column 5: from: 'x' is not a unit; use s, m, h, d or w\n"
                + "  --from now-15x\n"
                + "             ^\n");
  }

  @Test
  void besideARunningWriterItSearchesTheLastCommit() throws Exception {
    assertThat(search("--data", data.toString(), "--count", "*").code()).isZero(); // builds it
    try (Ledger held = Ledger.open(LedgerConfig.of(data))) {
      Run r = search("--data", data.toString(), "--count", "*");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out().strip()).isEqualTo("2000");
      assertThat(r.err()).contains("searching its index as last committed");
      assertThat(held.size()).as("nothing written beside the writer").isEqualTo(2001);
    }
    Path other = tmp.resolve("fresh");
    assertThat(
            CliTest.run(
                    "import", "--data", other.toString(), tmp.resolve("events.ndjson").toString())
                .code())
        .isZero();
    try (Ledger held = Ledger.open(LedgerConfig.of(other))) {
      Run r = search("--data", other.toString(), "*");
      assertThat(r.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(r.err()).contains("is not built yet").contains("--server URL");
      assertThat(held.size()).isEqualTo(2000);
    }
  }

  @Test
  void withServerItSearchesThroughTheApi() throws Exception {
    try (Server server = Server.start(data, TestServers.loopback(), Map.of())) {
      assertThat(
              server
                  .indexer()
                  .orElseThrow()
                  .awaitPosition(server.ledger().size(), Duration.ofMinutes(2)))
          .isTrue();
      server.indexer().orElseThrow().index().refresh();
      String url = "http://127.0.0.1:" + server.httpPort();
      String viewer = server.tokens().create(Role.VIEWER, "dana", null, new SecureRandom()).token();
      String ingest = server.tokens().create(Role.INGEST, "s", null, new SecureRandom()).token();

      Run count = search("--server", url, "--token", viewer, "--count", "event.outcome:success");
      assertThat(count.code()).as(count.err()).isZero();
      Run json =
          search("--server", url, "--token", viewer, "--format", "json", "--limit", "120", "*");
      assertThat(json.code()).as(json.err()).isZero();
      List<String> lines = json.out().lines().toList();
      assertThat(lines).hasSize(120);
      assertThat(storedPayloads())
          .as("the stored bytes, as the server sent them")
          .containsAll(lines);

      Run bad = search("--server", url, "--token", viewer, "user.name:"); // checked before sending
      assertThat(bad.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(bad.err())
          .startsWith("trailwatch: line 1, column 11: expected a value after ':'\n");
      Run refused = search("--server", url, "--token", ingest, "*");
      assertThat(refused.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(refused.err()).contains("403").contains("viewer");
      Run noToken = CliTest.run("search", "--server", url, "*");
      assertThat(noToken.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(Long.parseLong(count.out().strip())).isBetween(1L, 2000L);
    }
  }
}
