package dev.trailwatch.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.ParseContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link SshdParser} on real data from the shared folder, read in place (never copied): Loghub's
 * OpenSSH_2k against its structured CSV, and fail2ban's annotated sshd, sshd-journal, dropbear and
 * pam-generic test logs against their {@code failJSON} comments. Skipped, with the reason, when the
 * folder is absent.
 */
class SshdRealDataTest {
  private static final Path DATA =
      Path.of(System.getProperty("trailwatch.shared.data", "../shared/data"));

  /** Received in 2016, so that Loghub's year-less "Dec 10" is 2015-12-10. */
  private static final ParseContext CTX =
      new ParseContext(Instant.parse("2016-01-01T00:00:00Z"), ZoneOffset.UTC);

  private static final SshdParser PARSER = new SshdParser();
  private static final SyslogFormat FORMAT =
      new SyslogFormat("sshd", List.of(PARSER), Optional.of(PARSER));

  private static Path data(String relative) {
    Path p = DATA.resolve(relative);
    assumeTrue(
        Files.exists(p),
        "shared test data not found at "
            + p.toAbsolutePath()
            + " (set -Dtrailwatch.shared.data=<folder>)");
    return p;
  }

  private static AccessEvent parseOne(String line) {
    List<AccessEvent> out = new ArrayList<>();
    FORMAT.parse(line, CTX, out::add);
    assertThat(out).as(line).hasSize(1);
    return out.get(0);
  }

  // ---------------------------------------------------------------------------------------------
  // Loghub OpenSSH_2k

  /**
   * What each Loghub template (EventId) must give: action, outcome, and a pattern over the CSV's
   * Content whose groups {@code user}, {@code addr}, {@code port} are the expected {@code
   * user.name}, address and {@code source.port} (absent groups: the field must be absent).
   */
  private record Expect(String action, Outcome outcome, Pattern content) {}

  private static Expect expect(String action, Outcome outcome, String regex) {
    return new Expect(action, outcome, Pattern.compile(regex));
  }

  private static final String ADDR = "(?<addr>[^ \\]]+)";
  private static final String PORT = "(?<port>\\d+)";

  private static final Map<String, Expect> LOGHUB = new HashMap<>();

  static {
    Outcome s = Outcome.SUCCESS;
    Outcome f = Outcome.FAILURE;
    Outcome u = Outcome.UNKNOWN;
    String login = SshdParser.LOGIN;
    LOGHUB.put(
        "E1",
        expect(
            login,
            s,
            "Accepted password for (?<user>.+) from " + ADDR + " port " + PORT + " ssh2"));
    LOGHUB.put(
        "E2",
        expect(SshdParser.CONNECTION_CLOSED, f, "Connection closed by " + ADDR + " \\[preauth\\]"));
    LOGHUB.put(
        "E3",
        expect(SshdParser.PROTOCOL_ERROR, f, "Did not receive identification string from " + ADDR));
    LOGHUB.put(
        "E4",
        expect(
            login,
            f,
            "Disconnecting: Too many authentication failures for (?<user>\\S+) \\[preauth\\]"));
    LOGHUB.put("E5", LOGHUB.get("E4"));
    LOGHUB.put(
        "E6",
        expect(SshdParser.DISCONNECT, f, "error: Received disconnect from " + ADDR + ": 3: .*"));
    LOGHUB.put(
        "E7",
        expect(SshdParser.DISCONNECT, f, "error: Received disconnect from " + ADDR + ": 14: .*"));
    LOGHUB.put(
        "E8",
        expect(
            login,
            f,
            "Failed none for invalid user (?<user>.+) from " + ADDR + " port " + PORT + " ssh2"));
    LOGHUB.put(
        "E9",
        expect(
            login, f, "Failed password for (?<user>.+) from " + ADDR + " port " + PORT + " ssh2"));
    LOGHUB.put(
        "E10",
        expect(
            login,
            f,
            "Failed password for invalid user (?<user>.+) from "
                + ADDR
                + " port "
                + PORT
                + " ssh2"));
    LOGHUB.put(
        "E12", expect(login, f, "input_userauth_request: invalid user (?<user>.+) \\[preauth\\]"));
    LOGHUB.put("E13", expect(login, f, "Invalid user (?<user>.+) from " + ADDR));
    LOGHUB.put(
        "E14",
        expect(
            login,
            f,
            "message repeated \\d+ times: \\[ Failed password for (?<user>root) from "
                + ADDR
                + " port "
                + PORT
                + " ssh2\\]"));
    String pamMore =
        "PAM \\d+ more authentication failures?; logname= uid=0 euid=0 tty=ssh ruser= rhost="
            + ADDR;
    LOGHUB.put("E15", expect(login, f, pamMore));
    LOGHUB.put("E16", expect(login, f, pamMore));
    LOGHUB.put("E17", expect(login, f, pamMore + "  user=(?<user>root)"));
    String pamAuth =
        "pam_unix\\(sshd:auth\\): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost="
            + ADDR;
    LOGHUB.put("E19", expect(login, f, pamAuth));
    LOGHUB.put("E20", expect(login, f, pamAuth + "\\s+user=(?<user>\\S+)"));
    LOGHUB.put(
        "E22",
        expect(
            SshdParser.SESSION_END,
            s,
            "pam_unix\\(sshd:session\\): session closed for user (?<user>\\S+)"));
    LOGHUB.put(
        "E23",
        expect(
            SshdParser.SESSION_START,
            s,
            "pam_unix\\(sshd:session\\): session opened for user (?<user>\\S+) by \\(uid=0\\)"));
    String disconnect = "Received disconnect from " + ADDR + ": 11: ";
    LOGHUB.put("E24", expect(SshdParser.DISCONNECT, f, disconnect + "Bye Bye \\[preauth\\]"));
    LOGHUB.put(
        "E25",
        expect(
            SshdParser.DISCONNECT, f, disconnect + "Closed due to user request\\. \\[preauth\\]"));
    LOGHUB.put("E26", expect(SshdParser.DISCONNECT, u, disconnect + "disconnected by user"));
    LOGHUB.put(
        "E27",
        expect(
            SshdParser.BREAK_IN_ATTEMPT,
            u,
            "reverse mapping checking getaddrinfo for \\S+ \\["
                + ADDR
                + "\\] failed - POSSIBLE BREAK-IN ATTEMPT!"));
  }

  /**
   * Templates that name neither a user nor an address, and so stay unparsed: E11 "fatal: Write
   * failed: Connection reset by peer [preauth]", E18 "PAM service(sshd) ignoring max retries; N >
   * M", E21 "pam_unix(sshd:auth): check pass; user unknown".
   */
  private static final Map<String, String> LOGHUB_UNPARSED =
      Map.of(
          "E11", "no user, no address",
          "E18", "no user, no address",
          "E21", "no user, no address (the name is not logged, only that it is unknown)");

  @Test
  void loghubOpenSsh2kMatchesTheStructuredCsv() throws IOException {
    List<String> lines =
        Files.readAllLines(data("ssh/loghub-openssh/OpenSSH_2k.log"), StandardCharsets.UTF_8);
    List<String> csv =
        Files.readAllLines(
            data("ssh/loghub-openssh/OpenSSH_2k.log_structured.csv"), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(2000);
    assertThat(csv).hasSize(2001);
    int access = 0;
    int unparsed = 0;
    int hostNameOnly = 0;
    Map<String, Integer> perTemplate = new TreeMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      // LineId,Date,Day,Time,Component,Pid,Content,EventId,EventTemplate (no field has a comma)
      String[] row = csv.get(i + 1).split(",", -1);
      assertThat(row).as("CSV row %d", i + 1).hasSize(9);
      String content = row[6];
      String eventId = row[7];
      AccessEvent e = parseOne(line);
      String where = "line " + (i + 1) + " (" + eventId + "): " + line;

      Instant expectedTime =
          LocalDate.of(2015, Month.DECEMBER, Integer.parseInt(row[2]))
              .atTime(LocalTime.parse(row[3]))
              .toInstant(ZoneOffset.UTC);
      assertThat(Month.DECEMBER.getDisplayName(TextStyle.SHORT, Locale.ROOT)).isEqualTo(row[1]);
      assertThat(e.timestamp()).as(where).isEqualTo(expectedTime);
      assertThat(e.hostName()).as(where).hasValue(row[4]);
      assertThat(e.labels()).as(where).containsEntry("syslog.procid", row[5]);
      assertThat(e.message()).as(where).hasValue(line);
      assertThat(line.strip()).as(where).endsWith(": " + content);

      if (LOGHUB_UNPARSED.containsKey(eventId)) {
        assertThat(e.isUnparsed()).as(where).isTrue();
        unparsed++;
        continue;
      }
      Expect x = LOGHUB.get(eventId);
      assertThat(x).as("an expectation for " + eventId).isNotNull();
      Matcher m = x.content().matcher(content);
      assertThat(m.matches()).as("test pattern of " + eventId + " on " + content).isTrue();
      Optional<String> addr = group(m, "addr");
      Optional<IpAddress> ip = addr.flatMap(IpAddress::tryParse);
      if (group(m, "user").isEmpty() && ip.isEmpty()) {
        // A host name (sshd's UseDNS) and no user: nothing an event may stand on.
        assertThat(e.isUnparsed()).as(where).isTrue();
        hostNameOnly++;
        continue;
      }
      assertThat(e.isUnparsed()).as(where).isFalse();
      assertThat(e.event().dataset()).hasValue("sshd");
      assertThat(e.serviceName()).hasValue("sshd");
      assertThat(e.event().action()).as(where).isEqualTo(x.action());
      assertThat(e.event().outcome()).as(where).isEqualTo(x.outcome());
      assertThat(e.user().name()).as(where).isEqualTo(group(m, "user"));
      assertThat(e.source().ip()).as(where).isEqualTo(ip);
      assertThat(Optional.ofNullable(e.labels().get("source.address")))
          .as(where)
          .isEqualTo(ip.isPresent() ? Optional.empty() : addr);
      OptionalInt port =
          group(m, "port")
              .map(p -> OptionalInt.of(Integer.parseInt(p)))
              .orElse(OptionalInt.empty());
      assertThat(e.source().port()).as(where).isEqualTo(port);
      if (eventId.equals("E8")
          || eventId.equals("E10")
          || eventId.equals("E12")
          || eventId.equals("E13")) {
        assertThat(e.labels()).as(where).containsEntry("ssh.invalid_user", "true");
      }
      if (eventId.equals("E14")) {
        assertThat(e.labels()).as(where).containsKey("ssh.repeated");
      }
      access++;
      perTemplate.merge(eventId, 1, Integer::sum);
    }
    // 2,000 lines: 1,852 access events; 148 unparsed: 135 E21 + 7 E18 + 1 E11 carry no user and
    // no address, and 5 E19 pam_unix failures name only a host name (rhost=ec2-...) and no user.
    assertThat(access).isEqualTo(1852);
    assertThat(unparsed).isEqualTo(143);
    assertThat(hostNameOnly).isEqualTo(5);
    assertThat(perTemplate).containsEntry("E20", 384).containsEntry("E24", 413);
  }

  private static Optional<String> group(Matcher m, String name) {
    if (!m.pattern().pattern().contains("(?<" + name + ">")) {
      return Optional.empty();
    }
    return Optional.ofNullable(m.group(name));
  }

  // ---------------------------------------------------------------------------------------------
  // fail2ban

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One annotated line: its 1-based line number in the file, the failJSON and the log line. */
  private record Annotated(int lineNo, JsonNode expect, String line) {}

  private static List<Annotated> annotated(String file) throws IOException {
    List<String> lines = Files.readAllLines(data(file), StandardCharsets.UTF_8);
    List<Annotated> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (!l.startsWith("# failJSON:")) {
        continue;
      }
      JsonNode json = JSON.readTree(l.substring("# failJSON:".length()));
      int j = i + 1;
      while (j < lines.size() && (lines.get(j).isBlank() || lines.get(j).startsWith("#"))) {
        j++;
      }
      out.add(new Annotated(j + 1, json, lines.get(j)));
    }
    return out;
  }

  /**
   * fail2ban {@code match: true} lines that are not, in our schema, a failure carrying that address
   * (fail2ban reads lines in context, with per-process memory; we read each line alone), by file
   * and line number, with the reason.
   */
  private static final Map<String, String> NOT_A_FAILURE_HERE = new HashMap<>();

  /** fail2ban {@code match: false} lines that are {@code ssh_login} failures here, and why. */
  private static final Map<String, String> FAILURE_HERE = new HashMap<>();

  private static void lines(Map<String, String> map, String file, String reason, int... numbers) {
    for (int n : numbers) {
      map.put(file + ":" + n, reason);
    }
  }

  static {
    String injection =
        "auth-info injection ('... ssh2: from B port N ssh2'): the same text as a user name"
            + " ending in 'ssh2:'; user names are client-chosen in every OpenSSH version, auth"
            + " info only in SSH-1 era lines, so the right-most address wins (see SshdParserTest)";
    String earlierLine =
        "the address is only on an earlier line of the same process (fail2ban's multi-line"
            + " memory); the event keeps user and outcome failure, without source.ip";
    String noActor =
        "names neither a user nor an address: unparsed (fail2ban takes it from context)";
    String accepted =
        "an accepted login is a success; fail2ban counts it as the last of several users tried";
    String closedLater =
        "'Connection closed by ADDR port N' without [preauth]: outcome unknown on its own;"
            + " fail2ban fails it because of the kex error logged before it by the same process";
    lines(NOT_A_FAILURE_HERE, "sshd", injection, 147);
    lines(NOT_A_FAILURE_HERE, "sshd-journal", injection, 145);
    lines(NOT_A_FAILURE_HERE, "sshd", earlierLine, 203);
    lines(NOT_A_FAILURE_HERE, "sshd-journal", earlierLine, 201);
    lines(NOT_A_FAILURE_HERE, "sshd", noActor, 208, 289, 295, 301, 322, 324, 359, 388, 390, 396);
    lines(NOT_A_FAILURE_HERE, "sshd-journal", noActor, 206, 277, 283, 289, 329, 331, 337);
    lines(NOT_A_FAILURE_HERE, "sshd", accepted, 252, 262);
    lines(NOT_A_FAILURE_HERE, "sshd-journal", accepted, 244, 254);
    lines(NOT_A_FAILURE_HERE, "sshd", closedLater, 354);
    lines(
        NOT_A_FAILURE_HERE,
        "pam-generic",
        "another program's PAM (pure-ftpd, proftpd, vsftpd, a daemon): not sshd's, so unparsed by"
            + " the sshd parser; a generic PAM parser would map it",
        2,
        8,
        15,
        17,
        21,
        23);
    lines(
        NOT_A_FAILURE_HERE,
        "pam-generic",
        "sshd's failure with only a host name and no user: an event needs user.name, user.id or"
            + " source.ip, so it stays unparsed (no DNS lookups while parsing)",
        6);

    String locked =
        "'User U not allowed because account is locked': a refused login of a named user; fail2ban"
            + " skips it as it carries no address";
    String userauth =
        "'input_userauth_request: invalid user U [preauth]': the pre-auth process's record of the"
            + " refused invalid user, as 'Invalid user U from ADDR'; no address";
    String publickey =
        "'Failed publickey for U': each rejected key is a failed attempt here (rules can leave"
            + " out labels.ssh.method:publickey); fail2ban waits for the connection's end (gh-1263)";
    String tooMany =
        "'Disconnecting: Too many authentication failures for U': a login failure; fail2ban counts"
            + " it once per connection through its multi-line memory";
    String pam =
        "pam_unix(sshd:auth) authentication failure: PAM rejected the password; fail2ban waits in"
            + " case another PAM module accepts it (gh-2070)";
    lines(FAILURE_HERE, "sshd", locked, 99, 114, 214);
    lines(FAILURE_HERE, "sshd-journal", locked, 97, 112, 212);
    lines(FAILURE_HERE, "sshd", userauth, 101, 116, 216);
    lines(FAILURE_HERE, "sshd-journal", userauth, 99, 114, 214);
    lines(FAILURE_HERE, "sshd", publickey, 157, 159, 169, 171);
    lines(FAILURE_HERE, "sshd-journal", publickey, 155, 157, 167, 169);
    lines(FAILURE_HERE, "sshd", tooMany, 180, 185);
    lines(FAILURE_HERE, "sshd-journal", tooMany, 178, 183);
    lines(FAILURE_HERE, "sshd", pam, 222, 236, 238, 248, 258, 260);
    lines(FAILURE_HERE, "sshd-journal", pam, 220, 228, 230, 240, 250, 252);
  }

  @Test
  void fail2banSshd() throws IOException {
    check("sshd", annotated("ssh/fail2ban/sshd"), false);
  }

  @Test
  void fail2banSshdJournal() throws IOException {
    check("sshd-journal", annotated("ssh/fail2ban/sshd-journal"), true);
  }

  @Test
  void fail2banDropbear() throws IOException {
    check("dropbear", annotated("ssh/fail2ban/dropbear"), false);
  }

  @Test
  void fail2banPamGeneric() throws IOException {
    check("pam-generic", annotated("ssh/fail2ban/pam-generic"), false);
  }

  private static final Pattern JOURNAL = Pattern.compile("(\\S+) ([^\\[ ]+)\\[(\\d+)\\]: (.*)");

  private void check(String file, List<Annotated> cases, boolean journal) {
    List<String> problems = new ArrayList<>();
    List<String> used = new ArrayList<>();
    for (Annotated a : cases) {
      String key = file + ":" + a.lineNo();
      used.add(key);
      AccessEvent e;
      if (journal) {
        Matcher m = JOURNAL.matcher(a.line());
        assertThat(m.matches()).as(a.line()).isTrue();
        SyslogMessage msg =
            new SyslogMessage(
                a.line(),
                SyslogMessage.Format.RFC3164,
                OptionalInt.empty(),
                Optional.empty(),
                Optional.of(m.group(1)),
                Optional.of(m.group(2)),
                Optional.of(m.group(3)),
                Optional.empty(),
                Map.of(),
                m.group(4));
        e = FORMAT.toEvent(msg, CTX);
      } else {
        e = parseOne(a.line());
      }
      JsonNode x = a.expect();
      boolean match = x.path("match").asBoolean();
      String summary =
          key
              + " "
              + e.event().action()
              + "/"
              + e.event().outcome().ecsValue()
              + " user="
              + e.user().name().orElse("-")
              + " ip="
              + e.source().ip().map(Object::toString).orElse("-")
              + " addr="
              + e.labels().getOrDefault("source.address", "-")
              + " expect="
              + x
              + " :: "
              + a.line();
      if (match && x.has("host")) {
        if (NOT_A_FAILURE_HERE.containsKey(key)) {
          continue;
        }
        String host = x.get("host").asText();
        Optional<IpAddress> ip = IpAddress.tryParse(host);
        boolean ok = e.event().outcome() == Outcome.FAILURE;
        if (ip.isPresent()) {
          ok &= e.source().ip().equals(ip);
        } else {
          ok &= host.equals(e.labels().get("source.address"));
        }
        if (x.has("user")) {
          String user = x.get("user").asText();
          ok &= e.user().name().equals(user.isEmpty() ? Optional.empty() : Optional.of(user));
        }
        if (!ok) {
          problems.add("expected failure: " + summary);
        }
      } else if (!match) {
        boolean loginFailure =
            e.event().action().equals(SshdParser.LOGIN) && e.event().outcome() == Outcome.FAILURE;
        if (loginFailure && !FAILURE_HERE.containsKey(key)) {
          problems.add("unexpected ssh_login failure: " + summary);
        }
      }
    }
    assertThat(problems).isEmpty();
    for (Map<String, String> map : List.of(NOT_A_FAILURE_HERE, FAILURE_HERE)) {
      for (String key : map.keySet()) {
        if (key.startsWith(file + ":")) {
          assertThat(used).as("exception %s names an annotated line", key).contains(key);
        }
      }
    }
  }
}
