package dev.trailwatch.ingest.parse;

import static dev.trailwatch.ingest.parse.JsonSourceTesting.CTX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.ingest.RecordParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@link RecordParser} contract for the JSON source parsers under random input: random bytes,
 * random mutations (insert, delete, duplicate, swap runs) of real records (when the shared data is
 * there) and hand-written ones, and adversarial long inputs. No exception, at least one event,
 * every event valid, unparsed events keep their input (or, for an item of a wrapper, the item's
 * slice of it) in {@code message}.
 *
 * <p>Seeded: the seed is printed; {@code -Dtrailwatch.seed=N} replays a run.
 */
class JsonSourcesFuzzTest {
  private static final long SEED = seed();
  private static final List<String> CORPUS = new ArrayList<>();

  private static final List<RecordParser> PARSERS =
      List.of(
          new K8sAuditParser(),
          new CloudTrailParser(),
          new OktaParser(),
          new MappedJsonParser(
              "app",
              "app",
              Map.of(
                  "ts", "@timestamp",
                  "who.name", "user.name",
                  "ip", "source.ip",
                  "port", "source.port",
                  "act", "event.action",
                  "ok", "event.outcome",
                  "roles", "user.roles",
                  "a.0.b", "labels.deep")));

  private static long seed() {
    String given = System.getProperty("trailwatch.seed");
    long seed =
        given != null && !given.isBlank()
            ? Long.parseLong(given.strip())
            : new SplittableRandom().nextLong();
    System.out.println(
        "JsonSourcesFuzzTest seed=" + seed + " (replay: -Dtrailwatch.seed=" + seed + ")");
    return seed;
  }

  private static String replay() {
    return "replay with -Dtrailwatch.seed=" + SEED;
  }

  @BeforeAll
  static void corpus() throws IOException {
    CORPUS.add(
        "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"auditID\":\"f-1\",\"stage\":\"ResponseComplete\","
            + "\"verb\":\"create\",\"user\":{\"username\":\"zoe\",\"groups\":[\"g\"]},\"sourceIPs\":[\"192.0.2.1\"],"
            + "\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"n\",\"name\":\"p\",\"subresource\":\"exec\"},"
            + "\"responseStatus\":{\"code\":201},\"requestReceivedTimestamp\":\"2026-01-01T00:00:00.1Z\","
            + "\"annotations\":{\"authorization.k8s.io/decision\":\"allow\"}}");
    CORPUS.add(
        "{\"Records\":[{\"eventTime\":\"2026-01-01T00:00:00Z\",\"eventName\":\"ConsoleLogin\","
            + "\"eventSource\":\"signin.amazonaws.com\",\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"yan\","
            + "\"arn\":\"arn:aws:iam::1:user/yan\"},\"sourceIPAddress\":\"198.51.100.2\","
            + "\"responseElements\":{\"ConsoleLogin\":\"Failure\"},\"additionalEventData\":{\"MFAUsed\":\"No\"}}]}");
    CORPUS.add(
        "[{\"uuid\":\"o-1\",\"published\":\"2026-01-01T00:00:00Z\",\"eventType\":\"user.session.start\","
            + "\"actor\":{\"id\":\"00u1\",\"alternateId\":\"xena@example.test\"},\"client\":{\"ipAddress\":\"203.0.113.3\","
            + "\"userAgent\":{\"rawUserAgent\":\"ua\"}},\"outcome\":{\"result\":\"DENY\"},"
            + "\"target\":[{\"type\":\"User\",\"alternateId\":\"w@example.test\"}]}]");
    CORPUS.add(
        "{\"ts\":\"2026-01-01T00:00:00Z\",\"who\":{\"name\":\"will\"},\"ip\":\"2001:db8::1\",\"port\":22,"
            + "\"act\":\"login\",\"ok\":true,\"roles\":[\"r\"],\"a\":[{\"b\":\"c\"}]}");
    Path data = Path.of(System.getProperty("trailwatch.shared.data", "../shared/data"));
    Path falco = data.resolve("audit/falco-k8s-audit/trace_files");
    if (Files.isDirectory(falco)) {
      try (Stream<Path> files = Files.list(falco)) {
        for (Path f : files.sorted().toList()) {
          for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
              CORPUS.add(line);
            }
          }
        }
      }
    }
    Path stratus = data.resolve("cloud/stratus-red-team-cloudtrail/detonation-logs");
    if (Files.isDirectory(stratus)) {
      try (Stream<Path> files = Files.list(stratus)) {
        for (Path f : files.sorted().toList()) {
          String text = Files.readString(f, StandardCharsets.UTF_8);
          if (text.length() < 5_000) {
            CORPUS.add(text); // whole arrays, pretty-printed
          }
          for (AccessEvent e : JsonSourceTesting.parse(new CloudTrailParser(), text)) {
            CORPUS.add(e.message().orElseThrow());
          }
        }
      }
    }
    Path panther = data.resolve("identity/panther-analysis-tests");
    if (Files.isDirectory(panther)) {
      ObjectMapper json = new ObjectMapper();
      YAMLMapper yaml = new YAMLMapper();
      try (Stream<Path> files = Files.list(panther)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
          for (JsonNode test : yaml.readTree(f.toFile()).path("Tests")) {
            CORPUS.add(json.writeValueAsString(test.path("Log")));
          }
        }
      }
    }
    System.out.println("JsonSourcesFuzzTest corpus: " + CORPUS.size() + " records");
  }

  /** Parses and checks the contract; returns the events. */
  private static List<AccessEvent> check(RecordParser parser, String input) {
    List<AccessEvent> events = new ArrayList<>();
    try {
      parser.parse(input, CTX, events::add);
    } catch (RuntimeException e) {
      fail(parser.format() + " threw on " + preview(input) + "; " + replay(), e);
    }
    assertThat(events).as("%s on %s; %s", parser.format(), preview(input), replay()).isNotEmpty();
    for (AccessEvent e : events) {
      assertThat(e.toBuilder().problems())
          .as("%s made an invalid event of %s; %s", parser.format(), preview(input), replay())
          .isEmpty();
      assertThat(e.event().dataset()).isPresent();
      String message = e.message().orElseThrow();
      if (e.isUnparsed()) {
        assertThat(message.equals(input) || input.contains(message))
            .as("unparsed message is the input or its slice; %s", replay())
            .isTrue();
        assertThat(e.labels().get(AccessEvent.PARSE_ERROR_LABEL)).isNotBlank();
      } else {
        assertThat(input).contains(message);
      }
    }
    return events;
  }

  private static String preview(String s) {
    String p = s.length() > 200 ? s.substring(0, 200) + "... (" + s.length() + " chars)" : s;
    return "'" + p.replace("\n", "\\n") + "'";
  }

  @Test
  void realAndHandWrittenRecordsKeepTheContract() {
    int parsed = 0;
    for (String record : CORPUS) {
      for (RecordParser p : PARSERS) {
        parsed += (int) check(p, record).stream().filter(e -> !e.isUnparsed()).count();
      }
    }
    assertThat(parsed).isGreaterThanOrEqualTo(4);
  }

  @Test
  void randomBytes() {
    SplittableRandom r = new SplittableRandom(SEED);
    String alphabet = "{}[]\",:0123456789.eE+-tfnul \\/\n\tabcZ\u00e9\u20ac";
    for (int i = 0; i < 5_000; i++) {
      int n = r.nextInt(200);
      StringBuilder s = new StringBuilder(n);
      for (int k = 0; k < n; k++) {
        s.append(
            r.nextInt(4) == 0
                ? (char) r.nextInt(0x10000)
                : alphabet.charAt(r.nextInt(alphabet.length())));
      }
      for (RecordParser p : PARSERS) {
        check(p, s.toString());
      }
    }
  }

  @Test
  void mutationsOfRealAndHandWrittenRecords() {
    SplittableRandom r = new SplittableRandom(SEED ^ 0x5eed);
    for (int i = 0; i < 20_000; i++) {
      String s = CORPUS.get(r.nextInt(CORPUS.size()));
      int rounds = 1 + r.nextInt(4);
      for (int k = 0; k < rounds; k++) {
        s = mutate(s, r);
      }
      check(PARSERS.get(r.nextInt(PARSERS.size())), s);
    }
  }

  private static String mutate(String s, SplittableRandom r) {
    if (s.isEmpty()) {
      return "{";
    }
    int a = r.nextInt(s.length());
    int b = Math.min(s.length(), a + 1 + r.nextInt(20));
    String tokens = "{}[]\",:null0-1e9\\u00";
    return switch (r.nextInt(6)) {
      case 0 -> s.substring(0, a) + tokens.charAt(r.nextInt(tokens.length())) + s.substring(a);
      case 1 -> s.substring(0, a) + s.substring(b);
      case 2 -> s.substring(0, b) + s.substring(a, b) + s.substring(b);
      case 3 -> {
        int c = r.nextInt(s.length());
        int d = Math.min(s.length(), c + 1 + r.nextInt(20));
        if (c < a) {
          int t = a;
          a = c;
          c = t;
          t = b;
          b = d;
          d = t;
        }
        yield b <= c
            ? s.substring(0, a)
                + s.substring(c, d)
                + s.substring(b, c)
                + s.substring(a, b)
                + s.substring(d)
            : s;
      }
      case 4 -> s.substring(0, a) + "\"eventName\":\"X\"," + s.substring(a);
      default -> s.substring(0, a) + (char) r.nextInt(0x10000) + s.substring(a);
    };
  }

  @Test
  void adversarialLongInputs() {
    int n = 100_000;
    List<String> inputs =
        List.of(
            "[".repeat(n),
            "{\"a\":".repeat(n / 5),
            "{\"Records\":" + "[".repeat(n),
            "{\"items\":[" + "{},".repeat(n / 3) + "{}]",
            "[" + "1,".repeat(n / 2) + "1]",
            "\"" + "\\\\".repeat(n / 2) + "\"",
            "\"" + "\\u00e9".repeat(n / 6) + "\"",
            "{\"eventName\":\""
                + "a".repeat(n)
                + "\",\"eventTime\":\"2026-01-01T00:00:00Z\",\"userIdentity\":{\"arn\":\""
                + "/".repeat(n)
                + "\"}}",
            "{\"eventType\":\"x\",\"published\":\"2026-01-01T00:00:00."
                + "9".repeat(n)
                + "\",\"actor\":{\"alternateId\":\"a\"}}",
            "{\"ts\":\"2026-01-01 00:00:00"
                + " ".repeat(n)
                + "\",\"who\":{\"name\":\"a\"},\"act\":\"b\"}",
            "{\"ts\":\"2026-01-01T00:00:00Z\",\"act\":\"b\",\"who\":{\"name\":\"a\"},\"a\":["
                + "{\"b\":1},".repeat(n / 8)
                + "{}]}",
            "{\"who.name.x.y\":" + "{\"who\":".repeat(100) + "1" + "}".repeat(100) + "}",
            "{\"n\":" + "1".repeat(n) + "}",
            "{\"n\":1e" + "9".repeat(n) + "}",
            "{" + "\"k\":1,".repeat(1) + "\"" + "x".repeat(n) + "\":1}",
            "{\"kind\":\"Event\",\"verb\":\"get\",\"auditID\":\""
                + "%".repeat(n)
                + "\",\"requestURI\":\""
                + "?".repeat(n)
                + "\",\"sourceIPs\":["
                + "\"1\",".repeat(n / 5)
                + "\"192.0.2.1\"],"
                + "\"requestReceivedTimestamp\":\"2026-01-01T00:00:00Z\"}",
            "{\"eventtype\":\"x\","
                + "\"EVENTTYPE"
                + "\":1,".repeat(1)
                + "\"published\":\"2026-01-01T00:00:00Z\","
                + "\"actor\":{"
                + "\"a\":1,".repeat(n / 7)
                + "\"alternateId\":\"q\"}}",
            " ".repeat(n),
            "\u0000".repeat(n));
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (String input : inputs) {
            for (RecordParser p : PARSERS) {
              check(p, input);
            }
          }
        },
        "adversarial inputs took too long; " + replay());
  }
}
