package dev.trailwatch.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.ParseContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** sudo's messages, one hand-written line per kind. */
class SudoParserTest {
  static final ParseContext CTX =
      new ParseContext(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  private static final SyslogFormat SYSLOG =
      new SyslogFormat(
          "syslog",
          List.of(new SudoParser(), new SuParser(), new AuditdParser()),
          Optional.empty());

  /** The one event the syslog format makes of {@code line}. */
  static AccessEvent parse(String line) {
    List<AccessEvent> out = new ArrayList<>();
    SYSLOG.parse(line, CTX, out::add);
    assertThat(out).as(line).hasSize(1);
    return out.get(0);
  }

  @Test
  void commandRun() {
    String line =
        "Mar  3 10:00:00 web-1 sudo[4242]:   alice : TTY=pts/1 ; PWD=/home/alice ; USER=root ;"
            + " COMMAND=/usr/bin/systemctl restart nginx";
    AccessEvent e = parse(line);
    assertThat(e.isUnparsed()).isFalse();
    assertThat(e.event().dataset()).hasValue("sudo");
    assertThat(e.event().action()).isEqualTo("sudo");
    assertThat(e.event().category()).hasValue("process");
    assertThat(e.event().outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(e.user().name()).hasValue("alice");
    assertThat(e.hostName()).hasValue("web-1");
    assertThat(e.message()).hasValue(line);
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-03-03T10:00:00Z"));
    assertThat(e.labels())
        .containsEntry("sudo.run_as", "root")
        .containsEntry("sudo.command", "/usr/bin/systemctl restart nginx")
        .containsEntry("sudo.tty", "pts/1")
        .containsEntry("sudo.pwd", "/home/alice")
        .containsEntry("syslog.procid", "4242")
        .doesNotContainKey("sudo.reason");
  }

  @Test
  void commandWithSemicolonsGroupAndTsid() {
    AccessEvent e =
        parse(
            "Mar  3 10:00:01 web-1 sudo: bob : TTY=pts/2 ; PWD=/srv ; USER=postgres ; GROUP=dba ;"
                + " TSID=00A1B2 ; ENV=LANG=C ; COMMAND=/bin/sh -c psql ; echo done");
    assertThat(e.event().outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(e.labels())
        .containsEntry("sudo.run_as", "postgres")
        .containsEntry("sudo.run_as_group", "dba")
        .containsEntry("sudo.tsid", "00A1B2")
        .containsEntry("sudo.command", "/bin/sh -c psql ; echo done");
  }

  @Test
  void wrongPasswordsAreAuthenticationFailures() {
    AccessEvent three =
        parse(
            "Mar  3 10:00:02 web-1 sudo:   carol : 3 incorrect password attempts ; TTY=pts/0 ;"
                + " PWD=/home/carol ; USER=root ; COMMAND=/bin/cat /etc/shadow");
    assertThat(three.event().category()).hasValue("authentication");
    assertThat(three.event().outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(three.user().name()).hasValue("carol");
    assertThat(three.labels())
        .containsEntry("sudo.failed_attempts", "3")
        .containsEntry("sudo.reason", "3 incorrect password attempts")
        .containsEntry("sudo.command", "/bin/cat /etc/shadow");
    AccessEvent one =
        parse(
            "Mar  3 10:00:03 web-1 sudo: carol : 1 incorrect password attempt ; TTY=pts/0 ;"
                + " PWD=/ ; USER=root ; COMMAND=/bin/ls");
    assertThat(one.labels()).containsEntry("sudo.failed_attempts", "1");
    assertThat(one.event().category()).hasValue("authentication");
  }

  @Test
  void policyRefusalsAreProcessFailures() {
    for (String reason :
        List.of("user NOT in sudoers", "command not allowed", "user NOT authorized on host")) {
      AccessEvent e =
          parse(
              "Mar  3 10:00:04 web-1 sudo:   mallory : "
                  + reason
                  + " ; TTY=pts/3 ; PWD=/tmp ; USER=root ; COMMAND=/bin/bash");
      assertThat(e.event().category()).as(reason).hasValue("process");
      assertThat(e.event().outcome()).isEqualTo(Outcome.FAILURE);
      assertThat(e.user().name()).hasValue("mallory");
      assertThat(e.labels()).containsEntry("sudo.reason", reason);
    }
  }

  @Test
  void sudoersLogFileFormWithHost() {
    AccessEvent e =
        parse(
            "Mar  3 10:00:05 web-1 sudo: dave : HOST=web-2 : TTY=pts/0 ; PWD=/ ; USER=root ;"
                + " COMMAND=/usr/bin/id");
    assertThat(e.user().name()).hasValue("dave");
    assertThat(e.labels()).containsEntry("sudo.host", "web-2");
  }

  @Test
  void pamAuthenticationFailure() {
    AccessEvent e =
        parse(
            "Mar  3 10:00:06 web-1 sudo: pam_unix(sudo:auth): authentication failure;"
                + " logname=erin uid=1004 euid=0 tty=/dev/pts/4 ruser=erin rhost=  user=erin");
    assertThat(e.event().action()).isEqualTo("sudo");
    assertThat(e.event().category()).hasValue("authentication");
    assertThat(e.event().outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(e.user().name()).hasValue("erin");
    assertThat(e.user().id()).hasValue("1004");
    assertThat(e.labels()).containsEntry("sudo.tty", "/dev/pts/4");
    assertThat(e.source().ip()).isEmpty();
  }

  @Test
  void pamNoPassword() {
    AccessEvent e =
        parse(
            "Mar  3 10:00:07 web-1 sudo: pam_unix(sudo:auth): auth could not identify password"
                + " for [frank]");
    assertThat(e.user().name()).hasValue("frank");
    assertThat(e.event().outcome()).isEqualTo(Outcome.FAILURE);
  }

  @Test
  void pamSessions() {
    AccessEvent open =
        parse(
            "Mar  3 10:00:08 web-1 sudo: pam_unix(sudo:session): session opened for user"
                + " root(uid=0) by grace(uid=1005)");
    assertThat(open.event().action()).isEqualTo("sudo_session_start");
    assertThat(open.event().category()).hasValue("session");
    assertThat(open.event().outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(open.user().name()).hasValue("grace");
    assertThat(open.user().id()).hasValue("1005");
    assertThat(open.labels()).containsEntry("sudo.run_as", "root");

    AccessEvent old =
        parse(
            "Mar  3 10:00:09 web-1 sudo: pam_unix(sudo-i:session): session opened for user root"
                + " by grace(uid=0)");
    assertThat(old.user().name()).hasValue("grace");

    AccessEvent close =
        parse("Mar  3 10:00:10 web-1 sudo: pam_unix(sudo:session): session closed for user root");
    assertThat(close.event().action()).isEqualTo("sudo_session_end");
    assertThat(close.user().name()).hasValue("root");
    assertThat(close.labels()).containsEntry("sudo.run_as", "root");
  }

  @Test
  void otherMessagesAreUnparsedWithTheirHeader() {
    String line = "Mar  3 10:00:11 web-1 sudo: unable to resolve host web-1: Name not known";
    AccessEvent e = parse(line);
    assertThat(e.isUnparsed()).isTrue();
    assertThat(e.message()).hasValue(line);
    assertThat(e.labels().get(AccessEvent.PARSE_ERROR_LABEL)).startsWith("sudo:");
    assertThat(parse("Mar  3 10:00:12 web-1 sudo: pam_unix(sshd:auth): whatever").isUnparsed())
        .isTrue();
    assertThat(parse("Mar  3 10:00:13 web-1 sudo: a b : TTY=x").isUnparsed()).isTrue();
    assertThat(parse("Mar  3 10:00:14 web-1 sudo: alice : just words").isUnparsed()).isTrue();
  }
}
