package dev.trailwatch.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.ParseContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The access log parser on real logs from the shared folder, read in place (never copied): the
 * elastic/examples Apache log (10,000 combined lines; the status mix and time range of SOURCES.md),
 * fail2ban's Apache test lines (failJSON host and time), and Loghub's Apache error log (not an
 * access log: every line unparsed). Skipped, with the reason, when the folder is absent.
 */
class AccessLogParserRealDataTest {
  private static final Path DATA =
      Path.of(System.getProperty("trailwatch.shared.data", "../shared/data"));

  /** fail2ban's failJSON times are naive local times in CET/CEST (see SOURCES.md). */
  private static final ZoneId FAIL2BAN_ZONE = ZoneId.of("CET");

  private static final ParseContext CTX =
      new ParseContext(Instant.parse("2026-01-01T00:00:00Z"), FAIL2BAN_ZONE);

  /**
   * An independent reading of the combined format to compare every line against: anchored and
   * possessive, and enough for this file, where no quoted field holds a quote.
   */
  private static final Pattern COMBINED =
      Pattern.compile(
          "^(\\S++) (\\S++) (\\S++) \\[([^\\]]++)\\] \"([^\"]*+)\" (\\d{3}) (\\S++)"
              + " \"([^\"]*+)\" \"([^\"]*+)\"?$");

  private static final Pattern REQUEST = Pattern.compile("^([A-Z]++) (\\S++) HTTP/(\\S++)$");

  private static final DateTimeFormatter CLF =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

  private static Path data(String relative) {
    Path p = DATA.resolve(relative);
    assumeTrue(
        Files.exists(p),
        "shared test data not found at "
            + p.toAbsolutePath()
            + " (set -Dtrailwatch.shared.data=<folder>)");
    return p;
  }

  private static AccessEvent one(AccessLogParser parser, String line) {
    List<AccessEvent> out = new ArrayList<>();
    parser.parse(line, CTX, out::add);
    assertThat(out).as(line).hasSize(1);
    assertThat(out.get(0).message()).as(line).hasValue(line);
    return out.get(0);
  }

  @Test
  void elasticExamplesApacheLogs() throws IOException {
    List<String> lines =
        Files.readAllLines(data("web/elastic-examples-apache/apache_logs"), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(10_000);
    AccessLogParser parser = AccessLogParser.apache();
    Map<Integer, Integer> statuses = new TreeMap<>();
    Instant min = Instant.MAX;
    Instant max = Instant.MIN;
    int withAgent = 0;
    for (String line : lines) {
      AccessEvent e = one(parser, line);
      assertThat(e.isUnparsed()).as("%s: %s", line, e.labels()).isFalse();
      assertThat(e.event().action()).isEqualTo("http_request");
      assertThat(e.event().dataset()).hasValue("apache.access");
      int status = e.web().statusCode().orElseThrow();
      statuses.merge(status, 1, Integer::sum);
      min = e.timestamp().isBefore(min) ? e.timestamp() : min;
      max = e.timestamp().isAfter(max) ? e.timestamp() : max;

      // Field by field against the reference reading of the same line.
      Matcher m = COMBINED.matcher(line);
      assertThat(m.matches()).as(line).isTrue();
      assertThat(e.source().ip().map(Object::toString)).as(line).hasValue(m.group(1));
      if (m.group(3).equals("-")) {
        assertThat(e.user().name()).as(line).isEmpty();
      } else {
        assertThat(e.user().name()).as(line).hasValue(m.group(3));
      }
      assertThat(e.timestamp())
          .as(line)
          .isEqualTo(OffsetDateTime.parse(m.group(4), CLF).toInstant());
      assertThat(status).as(line).isEqualTo(Integer.parseInt(m.group(6)));
      assertThat(e.event().outcome())
          .as(line)
          .isEqualTo(status < 400 ? Outcome.SUCCESS : Outcome.FAILURE);
      assertThat(e.labels().get("http.response.body.bytes"))
          .as(line)
          .isEqualTo(m.group(7).equals("-") ? null : m.group(7));
      assertThat(e.labels().get("http.request.referrer"))
          .as(line)
          .isEqualTo(m.group(8).equals("-") ? null : m.group(8));
      if (m.group(9).equals("-")) {
        assertThat(e.web().userAgent()).as(line).isEmpty();
      } else {
        assertThat(e.web().userAgent()).as(line).hasValue(m.group(9));
        withAgent++;
      }
      Matcher r = REQUEST.matcher(m.group(5));
      assertThat(r.matches()).as(line).isTrue();
      assertThat(e.web().method()).as(line).hasValue(r.group(1));
      String target = r.group(2);
      int q = target.indexOf('?');
      assertThat(e.web().urlPath()).as(line).hasValue(q < 0 ? target : target.substring(0, q));
      assertThat(e.labels().get("url.query"))
          .as(line)
          .isEqualTo(q < 0 || q + 1 == target.length() ? null : target.substring(q + 1));
      assertThat(e.labels()).as(line).containsEntry("http.version", r.group(3));
      assertThat(e.labels()).as(line).doesNotContainKey("http.request.line");
    }
    assertThat(statuses)
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(200, 9126, 304, 445, 404, 213, 301, 164, 206, 45, 500, 3, 403, 2, 416, 2)));
    // SOURCES.md: 17-20 May 2015 (the README's "..2015-05-21" is the end of the last day).
    assertThat(min).isEqualTo(Instant.parse("2015-05-17T10:05:00Z"));
    assertThat(max).isEqualTo(Instant.parse("2015-05-20T21:05:59Z"));
    assertThat(withAgent).isGreaterThan(9_000);
  }

  /** A few lines whose shape is unusual, by line number. */
  @Test
  void elasticExamplesOddLines() throws IOException {
    List<String> lines =
        Files.readAllLines(data("web/elastic-examples-apache/apache_logs"), StandardCharsets.UTF_8);
    AccessLogParser parser = AccessLogParser.apache();
    int escaped = 0;
    int unterminated = 0;
    for (String line : lines) {
      AccessEvent e = one(parser, line);
      if (line.contains("\\x")) {
        // A referrer written in a single-byte code page: its bytes are not UTF-8 and stay escaped.
        escaped++;
        assertThat(e.labels().get("http.request.referrer")).startsWith("http://\\x");
      }
      if (!line.endsWith("\"")) {
        // One line ends inside its user agent (the writer cut it): the agent runs to the end.
        unterminated++;
        assertThat(e.web().userAgent().orElseThrow()).isNotEmpty().doesNotEndWith("\"");
        assertThat(line).endsWith(e.web().userAgent().orElseThrow());
      }
    }
    assertThat(escaped).isEqualTo(3);
    assertThat(unterminated).isEqualTo(1);
  }

  /** Error-log lines start with "[Www Mmm" or a syslog header; the rest are access-log lines. */
  private static final Pattern ERROR_LOG =
      Pattern.compile("^(?:\\[[A-Z][a-z]{2} [A-Z][a-z]{2} |[A-Z][a-z]{2} [ \\d]\\d \\d\\d:)");

  /** An independent reading of the failures ApacheErrorParser reads. */
  private static final Pattern AUTH_FAILURE =
      Pattern.compile(
          "\\[(?:client|remote) (?:\\[[^\\]]*+\\])?[^\\]]*+\\] (?:AH\\d{5}: )?(?:Digest: )?user (?:`[^']*' in realm `[^']*' not found|\\S*"
              + " ?not found|\\S+: (?:authentication failure|password mismatch))");

  /** Whether the text from the first client field on is an authentication failure. */
  private static boolean authFailure(String line) {
    int client = line.indexOf("[client ");
    int remote = line.indexOf("[remote ");
    int first = client < 0 ? remote : remote < 0 ? client : Math.min(client, remote);
    return first >= 0 && AUTH_FAILURE.matcher(line).region(first, line.length()).lookingAt();
  }

  private static final Pattern STATUS_AFTER_REQUEST = Pattern.compile("\" (\\d{3}) ");

  @Test
  void fail2banApacheLines() throws IOException {
    ObjectMapper json = new ObjectMapper();
    AccessLogParser parser = AccessLogParser.apache();
    ApacheErrorParser errors = new ApacheErrorParser();
    int access = 0;
    int errorLog = 0;
    int authFailures = 0;
    try (var files = Files.list(data("web/fail2ban-apache"))) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        if (file.getFileName().toString().equals("COPYING")) {
          continue;
        }
        JsonNode expected = null;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.startsWith("# failJSON:")) {
            expected = json.readTree(line.substring("# failJSON:".length()));
            continue;
          }
          if (line.isBlank() || line.startsWith("#")) {
            continue;
          }
          AccessEvent e = one(parser, line);
          String where = file.getFileName() + ": " + line;
          if (ERROR_LOG.matcher(line).find()) {
            // Apache's error log, not an access log: stored unparsed, with the line.
            errorLog++;
            assertThat(e.isUnparsed()).as(where).isTrue();
            // Through apache_error: the authentication failures that name a user are events
            // attributed to failJSON's host; the other error lines (denied, not found, digest
            // nonce problems, ModSecurity...) are unparsed. Lines behind a syslog header are
            // not read by apache_error.
            List<AccessEvent> out = new ArrayList<>();
            errors.parse(line, CTX, out::add);
            assertThat(out).as(where).hasSize(1);
            AccessEvent auth = out.get(0);
            boolean isAuthFailure = line.startsWith("[") && authFailure(line);
            assertThat(auth.isUnparsed())
                .as("%s: %s", where, auth.labels())
                .isEqualTo(!isAuthFailure);
            if (isAuthFailure) {
              authFailures++;
              assertThat(expected.get("match").asBoolean()).as(where).isTrue();
              assertThat(auth.event().action()).isEqualTo("http_auth");
              assertThat(auth.event().outcome()).isEqualTo(Outcome.FAILURE);
              assertThat(auth.source().ip().map(Object::toString))
                  .as(where)
                  .hasValue(expected.get("host").asText());
              // failJSON gives whole seconds; the event keeps the line's microseconds.
              assertThat(
                      LocalDateTime.ofInstant(auth.timestamp(), FAIL2BAN_ZONE)
                          .truncatedTo(ChronoUnit.SECONDS))
                  .as(where)
                  .isEqualTo(LocalDateTime.parse(expected.get("time").asText()));
              auth.user().name().ifPresent(u -> assertThat(line).as(where).contains(u));
            }
            continue;
          }
          access++;
          assertThat(expected).as(where).isNotNull();
          assertThat(e.isUnparsed()).as("%s: %s", where, e.labels()).isFalse();
          assertThat(e.source().ip().map(Object::toString))
              .as(where)
              .hasValue(expected.get("host").asText());
          assertThat(LocalDateTime.ofInstant(e.timestamp(), FAIL2BAN_ZONE))
              .as(where)
              .isEqualTo(LocalDateTime.parse(expected.get("time").asText()));
          Matcher status = STATUS_AFTER_REQUEST.matcher(line);
          assertThat(status.find()).as(where).isTrue();
          assertThat(e.web().statusCode()).as(where).hasValue(Integer.parseInt(status.group(1)));
          assertThat(e.web().method()).as(where).isPresent();
          assertThat(e.web().urlPath()).as(where).isPresent();
          expected = null;
        }
      }
    }
    assertThat(access).isEqualTo(9);
    assertThat(errorLog).isGreaterThan(80);
    assertThat(authFailures).isEqualTo(16);
  }

  @Test
  void loghubApacheErrorLogIsNotAnAccessLog() throws IOException {
    List<String> lines =
        Files.readAllLines(data("web/loghub-apache-error/Apache_2k.log"), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(2_000);
    ApacheErrorParser errors = new ApacheErrorParser();
    for (String line : lines) {
      AccessEvent e = one(AccessLogParser.apache(), line);
      assertThat(e.isUnparsed()).as(line).isTrue();
      assertThat(e.labels().get(AccessEvent.PARSE_ERROR_LABEL)).startsWith("apache.access: ");
      // Through apache_error: no line of this log is an authentication failure (no "user ..."),
      // so all are unparsed, but with the line's own time (Loghub's Time column) instead of now.
      List<AccessEvent> out = new ArrayList<>();
      errors.parse(line, CTX, out::add);
      assertThat(out).hasSize(1);
      assertThat(out.get(0).isUnparsed()).as(line).isTrue();
      assertThat(out.get(0).message()).hasValue(line);
      assertThat(out.get(0).timestamp()).as(line).isBefore(Instant.parse("2006-01-01T00:00:00Z"));
    }
  }
}
