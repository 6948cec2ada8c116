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
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The {@code RecordParser} contract for the sshd format under random and hostile input: random
 * bytes, mutations (insert, delete, duplicate, swap runs) of hand-written lines and, when the
 * shared folder is present, of the real sshd logs read in place, and 100,000-character inputs built
 * from the fragments the parser scans for. Seeded: the seed is printed, {@code -Dtrailwatch.seed=N}
 * replays it.
 */
class SshdParserFuzzTest {
  private static final ParseContext CTX =
      new ParseContext(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
  private static final SshdParser PARSER = new SshdParser();
  private static final SyslogFormat FORMAT =
      new SyslogFormat("sshd", List.of(PARSER), Optional.of(PARSER));

  private static final List<String> SEEDS =
      List.of(
          "Nov 22 08:00:00 h sshd[1]: Accepted publickey for a from 192.0.2.1 port 2 ssh2: RSA"
              + " SHA256:x",
          "Nov 22 08:00:00 h sshd[1]: Failed password for invalid user b from 2001:db8::1 port 3"
              + " ssh2",
          "Nov 22 08:00:00 h sshd[1]: Invalid user c from 192.0.2.2 port 4",
          "Nov 22 08:00:00 h sshd[1]: User d from host.example not allowed because listed in"
              + " DenyUsers",
          "Nov 22 08:00:00 h sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0"
              + " euid=0 tty=ssh ruser= rhost=192.0.2.3  user=e",
          "Nov 22 08:00:00 h sshd[1]: PAM 2 more authentication failures; logname= uid=0 euid=0"
              + " tty=ssh ruser= rhost=192.0.2.3",
          "Nov 22 08:00:00 h sshd[1]: Received disconnect from 192.0.2.4 port 5:11: Bye [preauth]",
          "Nov 22 08:00:00 h sshd[1]: Connection closed by authenticating user f 192.0.2.5 port 6"
              + " [preauth]",
          "Nov 22 08:00:00 h sshd[1]: Disconnecting invalid user g 192.0.2.6 port 7: Too many"
              + " authentication failures [preauth]",
          "Nov 22 08:00:00 h sshd[1]: refused connect from x@192.0.2.7 (192.0.2.7)",
          "Nov 22 08:00:00 h sshd[1]: error: PAM: Authentication failure for h from 192.0.2.8 via"
              + " 10.0.0.1",
          "Nov 22 08:00:00 h sshd[1]: message repeated 2 times: [ Failed password for root from"
              + " 192.0.2.9 port 8 ssh2]",
          "Nov 22 08:00:00 h sshd[1]: reverse mapping checking getaddrinfo for a.example [192.0.2.10]"
              + " failed - POSSIBLE BREAK-IN ATTEMPT!",
          "Nov 22 08:00:00 h sshd[1]: Connection from 192.0.2.11 port 9 on 192.0.2.12 port 22",
          "Nov 22 08:00:00 h sshd[1]: pam_unix(sshd:session): session opened for user i(uid=5) by"
              + " (uid=0)",
          "Nov 22 08:00:00 h sshd[1]: Starting session: shell on pts/0 for j from 192.0.2.13 port"
              + " 10 id 0",
          "Nov 22 08:00:00 h dropbear[2]: Exit before auth from <192.0.2.14:11>: (user 'k', 10"
              + " fails): Max auth tries reached - user 'k'",
          "Nov 22 08:00:00 h dropbear[2]: [2] Nov 22 08:00:00 Bad password attempt for 'l' from"
              + " ::ffff:192.0.2.15:12",
          "<38>1 2026-11-22T08:00:00Z h sshd 1 - [a b=\"c\"] Unable to negotiate with 192.0.2.16"
              + " port 13: no matching cipher found");

  /** The fragments the parser scans for, repeated to 100,000 characters. */
  private static final List<String> FRAGMENTS =
      List.of(
          " from 192.0.2.1",
          " from ",
          " from 192.0.2.1 port 22 ssh2:",
          " from 192.0.2.1 port 99999999999",
          " port ",
          " port 1:",
          "rhost=",
          " rhost=192.0.2.1",
          " user=",
          "'",
          "' from ",
          " 192.0.2.1 port 1",
          "user ",
          ":",
          "1:",
          " [preauth]",
          "[",
          "(uid=",
          " not allowed because ",
          "a",
          " ",
          "9");

  private static final List<String> PREFIXES =
      List.of(
          "Failed password for ",
          "Failed password for invalid user ",
          "Accepted publickey for ",
          "Invalid user ",
          "User ",
          "maximum authentication attempts exceeded for ",
          "Disconnecting invalid user ",
          "Disconnected from ",
          "Connection closed by authenticating user ",
          "Connection reset by ",
          "Connection from ",
          "Received disconnect from ",
          "pam_unix(sshd:auth): authentication failure; ruser=",
          "PAM 1 more authentication failures; ",
          "error: PAM: Authentication failure for ",
          "Bad protocol version identification '",
          "Unable to negotiate with ",
          "ssh_dispatch_run_fatal: Connection from ",
          "refused connect from ",
          "reverse mapping checking getaddrinfo for ",
          "Address ",
          "pam_unix(sshd:session): session opened for user ",
          "Starting session: shell for ",
          "message repeated 1 times: [ ",
          "kernel:[",
          "[ID ",
          "Bad password attempt for '",
          "Exit before auth from <",
          "Exit (",
          "Login attempt for nonexistent user from ");

  private static long seed() {
    String s = System.getProperty("trailwatch.seed");
    long seed = s == null || s.isBlank() ? System.nanoTime() : Long.parseLong(s.strip());
    System.out.println(
        "SshdParserFuzzTest seed: " + seed + " (replay: -Dtrailwatch.seed=" + seed + ")");
    return seed;
  }

  private static void check(String record) {
    List<AccessEvent> out = new ArrayList<>();
    FORMAT.parse(record, CTX, out::add);
    assertThat(out).as(record).isNotEmpty();
    for (AccessEvent e : out) {
      assertThat(e.event().dataset()).as(record).isPresent();
      if (e.isUnparsed()) {
        assertThat(e.message()).as(record).hasValue(record);
        assertThat(e.labels().get(AccessEvent.PARSE_ERROR_LABEL))
            .as("a parser exception turned into an unparsed event: %s", record)
            .doesNotContain("parser failed");
      } else {
        assertThat(e.message()).as(record).hasValue(record);
        assertThat(e.user().name().isPresent() || e.source().ip().isPresent()).isTrue();
      }
    }
  }

  /** The parser alone, on a message text without a header. */
  private static void checkText(String text) {
    SyslogMessage m =
        new SyslogMessage(
            text,
            SyslogMessage.Format.RFC3164,
            OptionalInt.empty(),
            Optional.empty(),
            Optional.of("h"),
            Optional.of("sshd"),
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            text);
    PARSER.parse(m); // throws on a parser bug, which SyslogFormat would hide
    AccessEvent e = FORMAT.toEvent(m, CTX);
    assertThat(e.labels().getOrDefault(AccessEvent.PARSE_ERROR_LABEL, ""))
        .doesNotContain("parser failed");
  }

  private static List<String> corpus() throws IOException {
    List<String> lines = new ArrayList<>(SEEDS);
    Path data = Path.of(System.getProperty("trailwatch.shared.data", "../shared/data"));
    for (String f :
        List.of(
            "ssh/loghub-openssh/OpenSSH_2k.log",
            "ssh/fail2ban/sshd",
            "ssh/fail2ban/sshd-journal",
            "ssh/fail2ban/dropbear")) {
      Path p = data.resolve(f);
      if (Files.exists(p)) {
        for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
          if (!l.isBlank() && !l.startsWith("#")) {
            lines.add(l);
          }
        }
      }
    }
    return lines;
  }

  @Test
  void randomBytesAndMutations() throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed());
    List<String> corpus = corpus();
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < 3_000; i++) {
            byte[] bytes = new byte[rnd.nextInt(200)];
            for (int k = 0; k < bytes.length; k++) {
              bytes[k] = (byte) rnd.nextInt(256);
            }
            String s = new String(bytes, StandardCharsets.UTF_8);
            check(s);
            checkText(s);
          }
          for (int i = 0; i < 30_000; i++) {
            String base = corpus.get(rnd.nextInt(corpus.size()));
            String s = mutate(base, rnd, corpus);
            check(s);
            if (i % 4 == 0) {
              int colon = s.indexOf("]: ");
              checkText(colon >= 0 ? s.substring(colon + 3) : s);
            }
          }
        });
  }

  private static String mutate(String base, SplittableRandom rnd, List<String> corpus) {
    StringBuilder s = new StringBuilder(base);
    int n = 1 + rnd.nextInt(4);
    for (int k = 0; k < n; k++) {
      int len = s.length();
      int at = len == 0 ? 0 : rnd.nextInt(len + 1);
      int run = len == 0 ? 0 : rnd.nextInt(Math.min(len - Math.min(at, len), 20) + 1);
      switch (rnd.nextInt(6)) {
        case 0 -> { // insert random characters
          for (int c = rnd.nextInt(8); c >= 0; c--) {
            s.insert(at, (char) (rnd.nextBoolean() ? 32 + rnd.nextInt(95) : rnd.nextInt(0x3000)));
          }
        }
        case 1 -> s.delete(at, Math.min(len, at + run)); // delete a run
        case 2 -> s.insert(at, s.substring(at, Math.min(len, at + run))); // duplicate a run
        case 3 -> { // swap two runs
          int at2 = len == 0 ? 0 : rnd.nextInt(len);
          int run2 = Math.min(run, len - Math.max(at, at2));
          if (run2 > 0 && Math.abs(at - at2) >= run2) {
            String a = s.substring(at, at + run2);
            String b = s.substring(at2, at2 + run2);
            s.replace(at, at + run2, b);
            s.replace(at2, at2 + run2, a);
          }
        }
        case 4 -> s.insert(at, FRAGMENTS.get(rnd.nextInt(FRAGMENTS.size()))); // a known fragment
        default -> { // splice in a piece of another line
          String other = corpus.get(rnd.nextInt(corpus.size()));
          int from = other.isEmpty() ? 0 : rnd.nextInt(other.length());
          s.insert(at, other, from, Math.min(other.length(), from + 1 + rnd.nextInt(40)));
        }
      }
    }
    return s.toString();
  }

  @Test
  void longAdversarialInputs() {
    List<String> texts = new ArrayList<>();
    for (String fragment : FRAGMENTS) {
      String body = fragment.repeat(100_000 / fragment.length() + 1);
      for (String prefix : PREFIXES) {
        texts.add(prefix + body);
        texts.add(prefix + body + " from 192.0.2.1 port 22 ssh2");
        texts.add(prefix + "x" + body + " 192.0.2.1 port 22 [preauth]");
      }
    }
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (String text : texts) {
            checkText(text);
          }
          for (int i = 0; i < texts.size(); i += 7) {
            check("Nov 22 08:00:00 h sshd[1]: " + texts.get(i));
          }
        });
    // A long user name with an injected address still parses, to the real address.
    String user = " from 198.51.100.1 port 1 ssh2".repeat(3_000);
    List<AccessEvent> out = new ArrayList<>();
    FORMAT.parse(
        "Nov 22 08:00:00 h sshd[1]: Failed password for invalid user x"
            + user
            + " from 203.0.113.1 port 2 ssh2",
        CTX,
        out::add);
    assertThat(out.get(0).source().ip().map(Object::toString)).hasValue("203.0.113.1");
  }
}
