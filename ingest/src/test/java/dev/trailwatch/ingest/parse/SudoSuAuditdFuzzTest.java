package dev.trailwatch.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.ingest.RecordParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The parser contract under random and hostile input, one test per parser: random bytes, random
 * mutations (insert, delete, duplicate, swap runs) of real and hand-written lines, and long
 * adversarial inputs. Each input gives at least one event, every event is valid, an unparsed event
 * keeps the input. Seeded: the seed is printed, {@code -Dtrailwatch.seed=N} replays a run.
 */
class SudoSuAuditdFuzzTest {
  private static final long SEED =
      Long.getLong("trailwatch.seed", new SplittableRandom().nextLong());
  private static final int MUTATIONS = 3000;
  private static final Path DATA =
      Path.of(System.getProperty("trailwatch.shared.data", "../shared/data"));

  private static final List<String> SUDO_LINES =
      List.of(
          "Mar  3 10:00:00 web-1 sudo:   alice : TTY=pts/1 ; PWD=/home/alice ; USER=root ;"
              + " COMMAND=/usr/bin/systemctl restart nginx",
          "Mar  3 10:00:02 web-1 sudo: carol : 3 incorrect password attempts ; TTY=pts/0 ;"
              + " PWD=/ ; USER=root ; COMMAND=/bin/ls",
          "Mar  3 10:00:04 web-1 sudo: mallory : user NOT in sudoers ; TTY=pts/3 ; PWD=/tmp ;"
              + " USER=root ; COMMAND=/bin/bash",
          "Mar  3 10:00:05 web-1 sudo: dave : HOST=web-2 : TTY=pts/0 ; PWD=/ ; USER=root ;"
              + " TSID=00A1B2 ; COMMAND=/usr/bin/id",
          "Mar  3 10:00:06 web-1 sudo: pam_unix(sudo:auth): authentication failure;"
              + " logname=erin uid=1004 euid=0 tty=/dev/pts/4 ruser=erin rhost=192.0.2.5 user=erin",
          "Mar  3 10:00:08 web-1 sudo: pam_unix(sudo:session): session opened for user"
              + " root(uid=0) by grace(uid=1005)",
          "Mar  3 10:00:10 web-1 sudo: pam_unix(sudo:session): session closed for user root");

  private static final List<String> SU_LINES =
      List.of(
          "Apr  5 09:00:00 db-3 su[777]: Successful su for root by alice",
          "Apr  5 09:00:00 db-3 su[777]: FAILED su for root by bob",
          "Apr  5 09:00:00 db-3 su[777]: + /dev/pts/3 alice:root",
          "Apr  5 09:00:00 db-3 su[777]: - pts/6 dev-ops-postgres",
          "Apr  5 09:00:00 db-3 su[777]: (to root) dave on pts/0",
          "Apr  5 09:00:00 db-3 su[777]: FAILED SU (to root) erin on pts/1",
          "Apr  5 09:00:00 db-3 su[777]: BAD SU gina to backup on /dev/ttyp3",
          "Apr  5 09:00:00 db-3 su[777]: failed: ttyq9 changing from hank to root",
          "Apr  5 09:00:00 db-3 su[777]: 'su root' failed for ivan on /dev/pts/7",
          "Apr  5 09:00:01 db-3 su: pam_unix(su:auth): authentication failure; logname=judy"
              + " uid=1010 euid=0 tty=/dev/pts/2 ruser=judy rhost=  user=root",
          "Apr  5 09:00:04 db-3 su: pam_unix(su:session): session opened for user root(uid=0)"
              + " by lena(uid=1013)");

  private static final List<String> AUDIT_LINES =
      List.of(
          "type=USER_LOGIN msg=audit(1700000000.250:10): pid=2001 uid=0 auid=4294967295"
              + " ses=4294967295 msg='op=login acct=28756E6B6E6F776E207573657229"
              + " exe=\"/usr/sbin/sshd\" hostname=? addr=203.0.113.9 terminal=sshd res=failed'",
          "type=USER_CMD msg=audit(1700000001.000:30): pid=2100 uid=1400 auid=1400 ses=9"
              + " msg='cwd=\"/home/nora\" cmd=2F7573722F62696E2F7669202F6574632F686F737473"
              + " terminal=pts/0 res=success'",
          "type=SYSCALL msg=audit(1700000004.000:80): arch=c000003e syscall=59 success=yes"
              + " exit=0 ppid=1 pid=13 auid=1900 uid=0 euid=0 ses=2 comm=\"ls\""
              + " exe=\"/usr/bin/ls\" key=(null)\u001dAUID=\"pat\" UID=\"root\"",
          "type=LOGIN msg=audit(1170000000.100:61): login pid=2201 uid=0 old auid=4294967295"
              + " new auid=500",
          "node=web-7 type=USER_START msg=audit(1170000001.344:90): user pid=15 uid=0 auid=0"
              + " msg='PAM: session open acct=root : exe=\"/usr/sbin/crond\" (hostname=?,"
              + " addr=?, terminal=cron res=success)'",
          "type=1112 audit(1700000005.000:101): pid=1 uid=0 auid=1950 ses=3 msg='op=login"
              + " id=1950 addr=192.0.2.101 terminal=ssh res=success'",
          "Nov 14 22:13:27 web-8 audit[3001]: USER_ACCT pid=3001 uid=0 auid=4294967295"
              + " msg='op=PAM:accounting acct=\"sam\" addr=192.0.2.103 res=success'",
          "type=EXECVE msg=audit(1700000003.000:70): argc=2 a0=\"cat\" a1=2F746D702F61");

  private static final List<String> ADVERSARIAL_FRAGMENTS =
      List.of(
          " : ",
          "TTY=",
          " ; ",
          "a=",
          "=\"",
          "msg='",
          "audit(",
          "type=",
          "x=1 ",
          "41",
          "(to ",
          " to ",
          " on ",
          "+ ",
          "- a:",
          "pam_unix(",
          "session opened for user ",
          "(uid=",
          " by ",
          "old ",
          "\u001d",
          "'",
          "\"",
          " ");

  private static final List<String> ADVERSARIAL_PREFIXES =
      List.of(
          "",
          "Mar  3 10:00:00 h sudo: alice : ",
          "Mar  3 10:00:00 h sudo: ",
          "Mar  3 10:00:00 h su: ",
          "Mar  3 10:00:00 h su: pam_unix(su:auth): authentication failure;",
          "Mar  3 10:00:00 h su: pam_unix(su:session): session opened for user ",
          "type=USER_LOGIN msg=audit(1.1:1): ",
          "type=USER_LOGIN msg=audit(1.1:1): msg='",
          "type=USER_LOGIN msg=audit(1.1:1): acct=",
          "Mar  3 10:00:00 h audispd: node=x type=SYSCALL msg=audit(1.1:1): ");

  private record Target(String name, RecordParser parser, List<String> seeds) {}

  @Test
  void sudo() throws IOException {
    SudoParser p = new SudoParser();
    List<String> seeds = new ArrayList<>(SUDO_LINES);
    seeds.addAll(realLines("syslog/wazuh-ruleset-sudo-su/tests/sudo.ini"));
    fuzz(new Target("sudo", new SyslogFormat("sudo", List.of(p), Optional.of(p)), seeds));
  }

  @Test
  void su() throws IOException {
    SuParser p = new SuParser();
    List<String> seeds = new ArrayList<>(SU_LINES);
    seeds.addAll(realLines("syslog/wazuh-ruleset-sudo-su/tests/su.ini"));
    fuzz(new Target("su", new SyslogFormat("su", List.of(p), Optional.of(p)), seeds));
  }

  @Test
  void auditd() throws IOException {
    List<String> seeds = new ArrayList<>(AUDIT_LINES);
    Path folder = DATA.resolve("audit/go-libaudit-auparse");
    if (Files.isDirectory(folder)) {
      try (Stream<Path> files = Files.list(folder)) {
        for (Path log : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
          seeds.addAll(Files.readAllLines(log, StandardCharsets.UTF_8));
        }
      }
    } else {
      System.out.println("auditd fuzz: no shared data at " + folder + ", hand-written lines only");
    }
    AuditdParser raw = new AuditdParser();
    fuzz(new Target("auditd", raw, seeds));
    // The same records through syslog, where the parser is a program parser.
    fuzz(new Target("audit", new SyslogFormat("audit", List.of(raw), Optional.of(raw)), seeds));
  }

  /** The test lines of a Wazuh ini file, none when the shared data is absent. */
  private static List<String> realLines(String relative) throws IOException {
    Path ini = DATA.resolve(relative);
    if (!Files.exists(ini)) {
      System.out.println("fuzz: no shared data at " + ini + ", hand-written lines only");
      return List.of();
    }
    return SudoSuWazuhTest.cases(ini).stream().map(SudoSuWazuhTest.Case::line).toList();
  }

  private static void fuzz(Target t) {
    long seed = SEED ^ t.name().hashCode();
    System.out.println(
        t.name() + " fuzz: seed " + SEED + " (replay with -Dtrailwatch.seed=" + SEED + ")");
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 500; i++) {
      byte[] bytes = new byte[random.nextInt(0, 300)];
      for (int j = 0; j < bytes.length; j++) {
        bytes[j] = (byte) random.nextInt(256);
      }
      check(t, new String(bytes, StandardCharsets.UTF_8));
    }
    for (String s : t.seeds()) {
      check(t, s);
    }
    for (int i = 0; i < MUTATIONS; i++) {
      String s = t.seeds().get(random.nextInt(t.seeds().size()));
      int rounds = random.nextInt(1, 4);
      for (int r = 0; r < rounds; r++) {
        s = mutate(s, random, t.seeds());
      }
      check(t, s);
    }
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          for (String prefix : ADVERSARIAL_PREFIXES) {
            for (String fragment : ADVERSARIAL_FRAGMENTS) {
              check(t, prefix + fragment.repeat(100_000 / fragment.length()));
            }
          }
        },
        () -> t.name() + ": adversarial inputs too slow (seed " + SEED + ")");
  }

  private static String mutate(String s, SplittableRandom random, List<String> seeds) {
    int n = s.length();
    int a = n == 0 ? 0 : random.nextInt(n + 1);
    int len = random.nextInt(0, 20);
    int b = Math.min(n, a + len);
    return switch (random.nextInt(5)) {
      case 0 -> { // insert random characters, or a run of another seed
        String other = seeds.get(random.nextInt(seeds.size()));
        int o = random.nextInt(other.length() + 1);
        String insert =
            random.nextBoolean()
                ? other.substring(o, Math.min(other.length(), o + len))
                : randomText(random, len);
        yield s.substring(0, a) + insert + s.substring(a);
      }
      case 1 -> s.substring(0, a) + s.substring(b); // delete a run
      case 2 -> s.substring(0, b) + s.substring(a, b) + s.substring(b); // duplicate a run
      case 3 -> { // swap two runs
        int c = n == 0 ? 0 : random.nextInt(n + 1);
        int d = Math.min(n, c + len);
        if (d <= a) {
          yield s.substring(0, c)
              + s.substring(a, b)
              + s.substring(d, a)
              + s.substring(c, d)
              + s.substring(b);
        } else if (c >= b) {
          yield s.substring(0, a)
              + s.substring(c, d)
              + s.substring(b, c)
              + s.substring(a, b)
              + s.substring(d);
        } else {
          yield s; // overlapping runs: leave it
        }
      }
      default -> s.substring(0, a) + randomText(random, 1) + s.substring(Math.min(n, a + 1));
    };
  }

  private static String randomText(SplittableRandom random, int len) {
    String alphabet = " =:;'\"()[]+-,.x0A9\u001d\t\u00e9";
    StringBuilder sb = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      sb.append(
          random.nextInt(4) == 0
              ? (char) random.nextInt(0x20, 0x3000)
              : alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static void check(Target t, String input) {
    List<AccessEvent> out = new ArrayList<>();
    try {
      t.parser().parse(input, SudoParserTest.CTX, out::add);
    } catch (RuntimeException e) {
      throw new AssertionError(t.name() + " threw on " + show(input) + " (seed " + SEED + ")", e);
    }
    assertThat(out).as("%s: events of %s (seed %d)", t.name(), show(input), SEED).isNotEmpty();
    for (AccessEvent e : out) {
      AccessEvent rebuilt = e.toBuilder().build(); // throws if invalid
      assertThat(rebuilt).isEqualTo(e);
      if (e.isUnparsed()) {
        assertThat(e.message()).as("%s: %s (seed %d)", t.name(), show(input), SEED).hasValue(input);
      } else {
        assertThat(e.event().dataset()).isPresent();
        assertThat(e.message()).hasValue(input);
      }
    }
  }

  private static String show(String input) {
    return input.length() <= 200 ? "'" + input + "'" : "'" + input.substring(0, 200) + "...'";
  }
}
