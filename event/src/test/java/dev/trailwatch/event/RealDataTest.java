package dev.trailwatch.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The codec on real third-party data from the shared folder (read in place, never copied): IP
 * addresses from real logs, Kubernetes audit and CloudTrail records through the JSON decoder, raw
 * log lines as unparsed events. Skipped, with the reason, when the folder is absent.
 */
class RealDataTest {
  private static final Path DATA =
      Path.of(System.getProperty("trailwatch.shared.data", "../shared/data"));

  private static Path data(String relative) {
    Path p = DATA.resolve(relative);
    assumeTrue(
        Files.exists(p),
        "shared test data not found at "
            + p.toAbsolutePath()
            + " (set -Dtrailwatch.shared.data=<folder>)");
    return p;
  }

  private static final Pattern IPV4 =
      Pattern.compile("(?<![\\d.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?![\\d.])");

  /** Every dotted quad in the real sshd and Apache logs parses and is already in normal form. */
  @Test
  void addressesFromRealLogs() throws IOException {
    int count = 0;
    for (String file :
        List.of("ssh/loghub-openssh/OpenSSH_2k.log", "web/elastic-examples-apache/apache_logs")) {
      for (String line : Files.readAllLines(data(file), StandardCharsets.UTF_8)) {
        Matcher m = IPV4.matcher(line);
        while (m.find()) {
          String literal = m.group(1);
          if (!validQuad(literal)) {
            continue; // version numbers and the like, not addresses
          }
          assertThat(IpAddress.parse(literal).toString()).as(line).isEqualTo(literal);
          count++;
        }
      }
    }
    assertThat(count).isGreaterThan(10_000);
  }

  private static boolean validQuad(String s) {
    for (String part : s.split("\\.")) {
      if (Integer.parseInt(part) > 255 || (part.length() > 1 && part.startsWith("0"))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Kubernetes audit events are JSON but not our schema: decoding says exactly which required
   * fields are missing, nothing else. With those fields added, every other value of the record is
   * kept as a label under its dotted path, and the event round-trips.
   */
  @Test
  void kubernetesAuditRecords() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(data("audit/falco-k8s-audit/trace_files"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    int records = 0;
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        records++;
        Decoded.Invalid invalid = (Decoded.Invalid) EventJson.decode(line);
        assertThat(invalid.errors())
            .as(file.getFileName().toString())
            .extracting(FieldError::field)
            .containsExactly("@timestamp", "event.action", "event.outcome", "user.name");
        AccessEvent e = completed(line, file);
        assertEverythingKept(line, e, file);
        CanonicalFormTest.assertRoundTrip(e, file.toString());
      }
    }
    assertThat(records).isGreaterThan(40);
  }

  /** CloudTrail files hold a JSON array of records; each record decodes like the audit lines. */
  @Test
  void cloudTrailRecords() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(data("cloud/stratus-red-team-cloudtrail/detonation-logs"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    int records = 0;
    for (Path file : files) {
      byte[] whole = Files.readAllBytes(file);
      assertThat(EventJson.decode(whole))
          .isInstanceOfSatisfying(
              Decoded.Invalid.class,
              inv ->
                  assertThat(inv.errors().get(0).reason())
                      .isEqualTo("not a JSON object at column 1: expected {...}, got an array"));
      for (String record : arrayElements(whole)) {
        records++;
        Decoded decoded = EventJson.decode(record);
        assertThat(decoded).isInstanceOf(Decoded.Invalid.class);
        assertThat(((Decoded.Invalid) decoded).errors())
            .extracting(FieldError::field)
            .containsExactly("@timestamp", "event.action", "event.outcome", "user.name");
        AccessEvent e = completed(record, file);
        assertEverythingKept(record, e, file);
        CanonicalFormTest.assertRoundTrip(e, file.toString());
      }
    }
    assertThat(records).isGreaterThan(50);
  }

  /** Raw lines of real logs stored as unparsed events survive the canonical form unchanged. */
  @Test
  void rawLinesAsUnparsedEvents() throws IOException {
    int count = 0;
    for (String file :
        List.of(
            "ssh/loghub-openssh/OpenSSH_2k.log",
            "syslog/loghub-linux/Linux_2k.log",
            "web/loghub-apache-error/Apache_2k.log",
            "audit/go-libaudit-auparse/audit-rhel7.log")) {
      byte[] bytes = Files.readAllBytes(data(file));
      // Some of these files are Latin-1; decode leniently, as a receiver would.
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
        AccessEvent e = AccessEvent.unparsed(line, "no parser for this line", Instant.EPOCH);
        CanonicalFormTest.assertRoundTrip(e, file + ": " + line);
        count++;
      }
    }
    assertThat(count).isGreaterThan(6_000);
  }

  /** The record with the required fields put in front (flat names, as a parser might). */
  private static AccessEvent completed(String json, Path file) {
    String head =
        "{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"event.action\":\"x\",\"event.outcome\":\"unknown\","
            + "\"user.name\":\"someone\",";
    String body = json.strip().substring(1);
    Decoded decoded = EventJson.decode(head + body);
    assertThat(decoded)
        .as(file + ": " + (decoded instanceof Decoded.Invalid i ? i.summary() : ""))
        .isInstanceOf(Decoded.Valid.class);
    return ((Decoded.Valid) decoded).event();
  }

  /** Every non-null top-level value of the record is in the labels, under its key or below it. */
  private static void assertEverythingKept(String json, AccessEvent e, Path file)
      throws IOException {
    for (Map.Entry<String, Boolean> key : topLevelKeys(json).entrySet()) {
      if (!key.getValue()) {
        continue; // null or an empty array/object-free null: nothing to keep
      }
      String k = key.getKey();
      boolean kept =
          e.labels().keySet().stream()
              .anyMatch(label -> label.equals(k) || label.startsWith(k + "."));
      assertThat(kept).as(file + ": " + k + " kept in labels " + e.labels().keySet()).isTrue();
    }
  }

  /** Top-level keys, each with whether its value is something other than null. */
  private static Map<String, Boolean> topLevelKeys(String json) throws IOException {
    Map<String, Boolean> keys = new java.util.LinkedHashMap<>();
    try (JsonParser p = EventJson.FACTORY.createParser(json)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        keys.put(name, v != JsonToken.VALUE_NULL);
        p.skipChildren();
      }
    }
    return keys;
  }

  /** The text of each element of a top-level JSON array. */
  private static List<String> arrayElements(byte[] json) throws IOException {
    List<String> out = new ArrayList<>();
    String text = new String(json, StandardCharsets.UTF_8);
    try (JsonParser p = EventJson.FACTORY.createParser(text)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
      while (p.nextToken() == JsonToken.START_OBJECT) {
        int start = (int) p.currentTokenLocation().getCharOffset();
        p.skipChildren();
        int end = (int) p.currentLocation().getCharOffset();
        out.add(text.substring(start, end));
      }
    }
    return out;
  }
}
