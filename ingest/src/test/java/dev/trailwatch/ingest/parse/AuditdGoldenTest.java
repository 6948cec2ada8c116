package dev.trailwatch.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * go-libaudit's test logs ({@code audit/go-libaudit-auparse/*.log}, read in place) against their
 * {@code .golden} files: the golden array holds, line by line, what go-libaudit's auparse reads
 * ({@code record_type}, {@code sequence}, {@code @timestamp}, {@code data} with decoded values,
 * {@code result}, {@code auid} as {@code unset}), or null for a line it rejects.
 *
 * <p>Every line gives one event. Each record of a user-related type must be an access event whose
 * fields equal the golden values; records that name no actor (EXECVE, PATH, CWD...) are unparsed
 * and keep their serial and time.
 */
class AuditdGoldenTest {
  private static final Path DATA =
      Path.of(System.getProperty("trailwatch.shared.data", "../shared/data"));
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The types whose records must map to access events, with every field checked. */
  private static final Set<String> USER_TYPES =
      Set.of(
          "user_login",
          "user_logout",
          "user_auth",
          "user_acct",
          "user_start",
          "user_end",
          "user_err",
          "cred_acq",
          "cred_disp",
          "cred_refr",
          "user_cmd",
          "user_chauthtok",
          "add_user",
          "del_user",
          "add_group",
          "del_group",
          "user_mgmt",
          "grp_mgmt",
          "user_role_change",
          "anom_login_failures",
          "login",
          "syscall");

  /** Account and group management: the actor is the audit uid, else the uid. */
  private static final Set<String> ACTOR_TYPES =
      Set.of(
          "user_cmd",
          "user_chauthtok",
          "add_user",
          "del_user",
          "add_group",
          "del_group",
          "user_mgmt",
          "grp_mgmt",
          "syscall");

  private static Path folder() {
    Path p = DATA.resolve("audit/go-libaudit-auparse");
    assumeTrue(
        Files.isDirectory(p),
        "shared test data not found at "
            + p.toAbsolutePath()
            + " (set -Dtrailwatch.shared.data=<folder>)");
    return p;
  }

  @Test
  void everyRecordMatchesItsGoldenValues() throws IOException {
    List<Path> logs;
    try (Stream<Path> files = Files.list(folder())) {
      logs = files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
    assertThat(logs).hasSize(7);
    TreeMap<String, int[]> counts = new TreeMap<>(); // file -> {lines, access, unparsed, checked}
    for (Path log : logs) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      JsonNode golden = JSON.readTree(log.resolveSibling(log.getFileName() + ".golden").toFile());
      assertThat(golden.size()).as(log.toString()).isEqualTo(lines.size());
      int[] c = new int[4];
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        AccessEvent e = AuditdParserTest.parse(line);
        c[0]++;
        c[e.isUnparsed() ? 2 : 1]++;
        if (check(line, golden.get(i), e)) {
          c[3]++;
        }
      }
      counts.put(log.getFileName().toString(), c);
    }
    // lines, access events, unparsed, user-related records checked field by field
    assertThat(counts.get("audit-rhel6.log")).containsExactly(2, 2, 0, 2);
    assertThat(counts.get("audit-rhel7.log")).containsExactly(50, 32, 18, 20);
    assertThat(counts.get("audit-ubuntu14.log")).containsExactly(1, 0, 1, 0);
    assertThat(counts.get("audit-ubuntu16.log")).containsExactly(3, 2, 1, 2);
    assertThat(counts.get("audit-ubuntu17.log")).containsExactly(1, 1, 0, 1);
    assertThat(counts.get("test2.log")).containsExactly(10, 7, 3, 7);
    assertThat(counts.get("test3.log")).containsExactly(17, 9, 8, 8);
  }

  /** Checks one event against its golden record; true when it was a user-related record. */
  private static boolean check(String line, JsonNode g, AccessEvent e) {
    String what = line + " -> " + e.labels();
    if (g.isNull()) {
      assertThat(e.isUnparsed()).as(what).isTrue(); // go-libaudit rejects it too
      return false;
    }
    String type = g.get("record_type").asText();
    JsonNode d = g.get("data");
    assertThat(e.timestamp()).as(what).isEqualTo(Instant.parse(g.get("@timestamp").asText()));
    assertThat(e.labels().get("auditd.serial")).as(what).isEqualTo(g.get("sequence").asText());
    if (e.isUnparsed()) {
      assertThat(USER_TYPES).as(what).doesNotContain(type);
      assertThat(e.labels().get("auditd.record_type").toLowerCase(Locale.ROOT))
          .as(what)
          .isEqualTo(type);
      if (type.equals("execve")) {
        List<String> args = new ArrayList<>();
        for (int i = 0; d.has("a" + i); i++) {
          args.add(d.get("a" + i).asText());
        }
        assertThat(e.labels().get("auditd.argv")).as(what).isEqualTo(String.join(" ", args));
      }
      return false;
    }
    assertThat(e.event().action()).as(what).isEqualTo(type);
    assertThat(e.event().outcome()).as(what).isEqualTo(outcome(type, d));
    if (!USER_TYPES.contains(type)) {
      return false;
    }
    String auid = text(d, "auid");
    if ("unset".equals(auid)) {
      auid = null;
    }
    String uid = text(d, "uid");
    String acct = text(d, "acct");
    String name = acct != null && !acct.startsWith("(") ? acct : null;
    String id;
    if (type.equals("login")) {
      id = auid != null ? auid : text(d, "new_auid");
    } else if (ACTOR_TYPES.contains(type)) {
      id = auid != null ? auid : uid;
      name = null; // acct names the target here, not the actor
    } else {
      id = text(d, "id") != null ? text(d, "id") : auid;
    }
    assertThat(e.user().name().orElse(null)).as(what).isEqualTo(name);
    assertThat(e.user().id().orElse(null)).as(what).isEqualTo(id);
    if (ACTOR_TYPES.contains(type) && !type.equals("user_cmd") && !type.equals("syscall")) {
      String target = acct != null ? acct : text(d, "id");
      assertThat(e.resource().id().orElse(null)).as(what).isEqualTo(target);
    }
    assertThat(e.source().ip().map(Object::toString).orElse(null))
        .as(what)
        .isEqualTo(text(d, "addr"));
    assertThat(e.labels().get("process.executable")).as(what).isEqualTo(text(d, "exe"));
    assertThat(e.labels().get("auditd.terminal")).as(what).isEqualTo(text(d, "terminal"));
    assertThat(e.labels().get("auditd.hostname")).as(what).isEqualTo(text(d, "hostname"));
    String ses = text(d, "ses");
    assertThat(e.correlation().sessionId().orElse(null))
        .as(what)
        .isEqualTo("unset".equals(ses) ? null : ses);
    if (type.equals("user_cmd")) {
      assertThat(e.labels().get("auditd.cmd")).as(what).isEqualTo(text(d, "cmd"));
    }
    if (type.equals("syscall")) {
      assertThat(e.labels().get("auditd.comm")).as(what).isEqualTo(text(d, "comm"));
      JsonNode keys = g.get("keys");
      if (keys != null) {
        List<String> k = new ArrayList<>();
        keys.forEach(n -> k.add(n.asText()));
        assertThat(e.labels().get("auditd.key")).as(what).isEqualTo(String.join(",", k));
      }
    }
    return true;
  }

  private static Outcome outcome(String type, JsonNode d) {
    if (type.equals("anom_login_failures")) {
      return Outcome.FAILURE;
    }
    String r = text(d, "result");
    return r == null ? Outcome.UNKNOWN : r.equals("success") ? Outcome.SUCCESS : Outcome.FAILURE;
  }

  private static String text(JsonNode d, String key) {
    JsonNode n = d.get(key);
    return n == null || n.isNull() ? null : n.asText();
  }
}
