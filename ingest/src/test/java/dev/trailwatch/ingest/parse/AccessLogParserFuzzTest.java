package dev.trailwatch.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.ingest.ParseContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The parser contract under random and adversarial input: no exception, one event per line, every
 * event valid and keeping the line in {@code message}, linear time. Seeded: the seed is printed;
 * {@code -Dtrailwatch.seed=N} replays a run.
 */
class AccessLogParserFuzzTest {
  private static final long SEED = seed();
  private static final ParseContext CTX =
      new ParseContext(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
  private static final AccessLogParser NGINX = AccessLogParser.nginx();
  private static final AccessLogParser APACHE = AccessLogParser.apache();
  private static final SyslogFormat SYSLOG =
      new SyslogFormat("syslog", List.of(NGINX, APACHE), Optional.empty());

  private static final List<String> SAMPLES =
      List.of(
          "192.0.2.10 - - [22/Nov/2026:10:15:32 +0100] \"GET /index.html HTTP/1.1\" 200 5120",
          "198.51.100.23 - alice [03/Feb/2026:23:59:01 -0530] \"POST /login?next=%2F HTTP/2.0\""
              + " 302 0 \"https://shop.example.com/\" \"Mozilla/5.0 (X11; Linux x86_64)\"",
          "www.example.org:443 2001:db8::1 - - [22/Nov/2026:10:15:32 +0000] \"GET /a\\\"b\\\\c"
              + " HTTP/1.1\" 404 - \"-\" \"curl/8.5.0\" \"203.0.113.9\" 0.012 0.010",
          "203.0.113.66 - - [22/Nov/2026:10:15:32 +0000] \"\\x16\\x03\\x01\\x02\\x00\" 400 157"
              + " \"-\" \"-\"",
          "192.0.2.8 - - [22/Nov/2026:10:15:32 ] shop.example.com \"GET /x\"y HTTP/1.0\" 200 1"
              + " \"-\" \"caf\\xC3\\xA9 \\xe4\\xe5\" + 1 2",
          "<190>Nov 22 10:00:00 web1 nginx: 192.0.2.21 - - [22/Nov/2026:10:00:00 +0000] \"GET"
              + " / HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\"",
          "[Sun Nov 22 10:15:32.1 2026] [auth_basic:error] [pid 1] [client [2001:db8::5]:4431]"
              + " AH01617: user carol: authentication failure for \"/x\": Password Mismatch",
          "[Sun Nov 22 10:15:32 2026] [error] [client 192.0.2.4] Digest: user `erin' in realm"
              + " `r' not found: /d/");

  private static long seed() {
    String given = System.getProperty("trailwatch.seed");
    long seed =
        given != null && !given.isBlank()
            ? Long.parseLong(given.strip())
            : new SplittableRandom().nextLong();
    System.out.println("AccessLogParserFuzzTest trailwatch.seed=" + seed);
    return seed;
  }

  private static String replay() {
    return "replay with -Dtrailwatch.seed=" + SEED;
  }

  /** Every way in: both plain formats and the syslog route. */
  private static void check(String input) {
    for (AccessLogParser parser : List.of(NGINX, APACHE)) {
      List<AccessEvent> out = new ArrayList<>();
      parser.parse(input, CTX, out::add);
      assertContract(input, out);
    }
    List<AccessEvent> errorOut = new ArrayList<>();
    new ApacheErrorParser().parse(input, CTX, errorOut::add);
    assertContract(input, errorOut);
    String syslogLine = "<14>Nov 22 10:00:00 h nginx: " + input;
    List<AccessEvent> out = new ArrayList<>();
    SYSLOG.parse(syslogLine, CTX, out::add);
    assertContract(syslogLine, out);
  }

  private static void assertContract(String input, List<AccessEvent> out) {
    String shown = input.length() > 200 ? input.substring(0, 200) + "..." : input;
    assertThat(out).as("%s; %s", shown, replay()).hasSize(1);
    AccessEvent e = out.get(0);
    // The event is already built, so it passed validation; re-validating a copy checks the
    // builder agrees.
    assertThat(e.toBuilder().problems()).as("%s; %s", shown, replay()).isEmpty();
    assertThat(e.message()).as("%s; %s", shown, replay()).hasValue(input);
    if (!e.isUnparsed()) {
      assertThat(e.event().action()).isIn("http_request", "http_auth");
      assertThat(e.source().ip().isPresent() || e.user().name().isPresent()).isTrue();
    }
  }

  @Test
  void randomText() {
    SplittableRandom r = new SplittableRandom(SEED);
    String alphabet = "\"\\[]x/: -+0123456789AGETHPx.?\t\u00e9\ud83d\ude00\ud800";
    for (int i = 0; i < 3_000; i++) {
      int len = r.nextInt(200);
      StringBuilder sb = new StringBuilder(len);
      for (int k = 0; k < len; k++) {
        sb.append(
            r.nextInt(4) == 0
                ? (char) r.nextInt(0x10000)
                : alphabet.charAt(r.nextInt(alphabet.length())));
      }
      check(sb.toString());
    }
  }

  @Test
  void mutationsOfHandWrittenAndRealLines() throws IOException {
    List<String> seeds = new ArrayList<>(SAMPLES);
    Path real =
        Path.of(System.getProperty("trailwatch.shared.data", "../shared/data"))
            .resolve("web/elastic-examples-apache/apache_logs");
    if (Files.exists(real)) {
      List<String> lines = Files.readAllLines(real, StandardCharsets.UTF_8);
      seeds.addAll(lines.subList(0, 200)); // read in place, mutated in memory only
    } else {
      System.out.println("AccessLogParserFuzzTest: no shared data at " + real + ", samples only");
    }
    SplittableRandom r = new SplittableRandom(SEED + 1);
    for (int i = 0; i < 20_000; i++) {
      String s = seeds.get(r.nextInt(seeds.size()));
      int rounds = 1 + r.nextInt(4);
      for (int k = 0; k < rounds; k++) {
        s = mutate(s, r);
      }
      check(s);
    }
  }

  private static String mutate(String s, SplittableRandom r) {
    if (s.isEmpty()) {
      return "\"";
    }
    int a = r.nextInt(s.length());
    int b = Math.min(s.length(), a + 1 + r.nextInt(20));
    String run = s.substring(a, b);
    String specials = "\"\\[] -x";
    return switch (r.nextInt(6)) {
      case 0 -> s.substring(0, a) + specials.charAt(r.nextInt(specials.length())) + s.substring(a);
      case 1 -> s.substring(0, a) + s.substring(b);
      case 2 -> s.substring(0, b) + run + s.substring(b);
      case 3 -> {
        int c = r.nextInt(s.length());
        int d = Math.min(s.length(), c + 1 + r.nextInt(20));
        if (c >= b) {
          yield s.substring(0, a) + s.substring(c, d) + s.substring(b, c) + run + s.substring(d);
        }
        yield s.substring(0, a) + run.toUpperCase(java.util.Locale.ROOT) + s.substring(b);
      }
      case 4 -> s.substring(0, a) + (char) r.nextInt(0x10000) + s.substring(b);
      default -> s.substring(0, a) + run.repeat(1 + r.nextInt(50)) + s.substring(b);
    };
  }

  @Test
  void adversarialLongInputs() {
    String time = "[22/Nov/2026:10:15:32 +0000]";
    String head = "192.0.2.1 - - " + time + " ";
    int n = 100_000;
    List<String> inputs =
        List.of(
            "\"".repeat(n),
            "\\".repeat(n),
            head + "\"" + "\\".repeat(n),
            head + "\"" + "\\\"".repeat(n / 2) + "\" 200 1",
            head + "\"GET /" + "a".repeat(n) + " HTTP/1.1\" 200 1 \"-\" \"-\"",
            head + "\"GET /" + "a b ".repeat(n / 4) + " HTTP/1.1\" 200 1",
            head + "\"" + "\" 20".repeat(n / 4),
            head + "\"" + "\" 200x".repeat(n / 6),
            head + "\"x\" 200 1 " + "\"".repeat(n),
            head + "\"x\" 200 1 " + "\"a\" ".repeat(n / 4),
            head + "\"x\" 200 1 \"" + "\\x".repeat(n / 2),
            head + "\"x\" 200 1 \"" + "\\xe0\\xa0".repeat(n / 8),
            head + "\"" + "\\xC3\\xA9".repeat(n / 8) + "\" 200 1",
            "[".repeat(n),
            " [".repeat(n / 2),
            "192.0.2.1 " + " [22/Nov/2026:10:15:32".repeat(n / 22),
            "192.0.2.1 " + " [22/Nov/2026:10:15:32 +0000".repeat(n / 28),
            "192.0.2.1 " + " [99/Nov/2026:99:99:99 +0000]".repeat(n / 28),
            "- ".repeat(n / 2) + time + " \"GET / HTTP/1.1\" 200 1",
            "a ".repeat(n / 2) + time + " \"GET / HTTP/1.1\" 200 1",
            head + "\"GET / HTTP/1.1\" 200 " + "1".repeat(n),
            head + "\"GET / HTTP/1.1\" 200 1" + " x".repeat(n / 2),
            head + " ".repeat(n) + "\"GET / HTTP/1.1\" 200 1",
            head + "x ".repeat(n / 2),
            " ".repeat(n),
            head + "\"" + "GET ".repeat(n / 4) + "\" 200 1",
            head + "\"GET " + "?".repeat(n) + " HTTP/1.1\" 200 1",
            head + "\"GET http://" + "a".repeat(n) + " HTTP/1.1\" 200 1",
            "[" + "2001:db8::".repeat(n / 10) + "]:1 - - " + time + " \"GET / HTTP/1.1\" 200 1",
            "[Sun Nov 22 10:15:32 2026] [client 192.0.2.1] user " + "x".repeat(n),
            "[Sun Nov 22 10:15:32 2026]" + " [client [".repeat(n / 10),
            "[Sun Nov 22 10:15:32 2026] [client 192.0.2.1] user `" + "' not found".repeat(n / 11),
            "[Sun Nov 22 10:15:32 2026] [client 192.0.2.1] user a" + ": ".repeat(n / 2));
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (String input : inputs) {
            check(input);
          }
        },
        AccessLogParserFuzzTest::replay);
  }

  @Test
  void adversarialInputsStillParseWhenWellFormed() {
    String request = "GET /" + "a".repeat(100_000) + " HTTP/1.1";
    String line = "192.0.2.1 - - [22/Nov/2026:10:15:32 +0000] \"" + request + "\" 200 1";
    List<AccessEvent> out = new ArrayList<>();
    NGINX.parse(line, CTX, out::add);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).isUnparsed()).isFalse();
    assertThat(out.get(0).web().urlPath().orElseThrow()).hasSize(100_001);
  }
}
