package dev.trailwatch.ingest.parse;

import static dev.trailwatch.ingest.parse.SudoParserTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import org.junit.jupiter.api.Test;

/** su's messages, one hand-written line per kind. */
class SuParserTest {
  private static void assertSu(
      String text, Outcome outcome, String user, String target, String tty) {
    AccessEvent e = parse("Apr  5 09:00:00 db-3 su[777]: " + text);
    assertThat(e.isUnparsed()).as(text).isFalse();
    assertThat(e.event().dataset()).hasValue("su");
    assertThat(e.event().action()).as(text).isEqualTo("su");
    assertThat(e.event().category()).as(text).hasValue("authentication");
    assertThat(e.event().outcome()).as(text).isEqualTo(outcome);
    assertThat(e.user().name()).as(text).hasValue(user);
    assertThat(e.labels().get("su.target_user")).as(text).isEqualTo(target);
    assertThat(e.labels().get("su.tty")).as(text).isEqualTo(tty);
  }

  @Test
  void shadowUtils() {
    assertSu("Successful su for root by alice", Outcome.SUCCESS, "alice", "root", null);
    assertSu("FAILED su for root by bob", Outcome.FAILURE, "bob", "root", null);
    assertSu("+ /dev/pts/3 alice:root", Outcome.SUCCESS, "alice", "root", "/dev/pts/3");
    assertSu("- /dev/pts/3 bob:root", Outcome.FAILURE, "bob", "root", "/dev/pts/3");
  }

  @Test
  void oldDashSeparatedPairs() {
    assertSu("+ pts/5 carol-root", Outcome.SUCCESS, "carol", "root", "pts/5");
    assertSu("- pts/6 dev-ops-postgres", Outcome.FAILURE, "dev-ops", "postgres", "pts/6");
  }

  @Test
  void utilLinux() {
    assertSu("(to root) dave on pts/0", Outcome.SUCCESS, "dave", "root", "pts/0");
    assertSu("(to nobody) dave on none", Outcome.SUCCESS, "dave", "nobody", "none");
    assertSu("FAILED SU (to root) erin on pts/1", Outcome.FAILURE, "erin", "root", "pts/1");
  }

  @Test
  void bsdAndOldLinux() {
    assertSu("frank to root on /dev/ttyp2", Outcome.SUCCESS, "frank", "root", "/dev/ttyp2");
    assertSu(
        "BAD SU gina to backup on /dev/ttyp3", Outcome.FAILURE, "gina", "backup", "/dev/ttyp3");
    assertSu("failed: ttyq9 changing from hank to root", Outcome.FAILURE, "hank", "root", "ttyq9");
    assertSu(
        "'su root' failed for ivan on /dev/pts/7", Outcome.FAILURE, "ivan", "root", "/dev/pts/7");
    assertSu(
        "'su root' succeeded for ivan on /dev/pts/7",
        Outcome.SUCCESS,
        "ivan",
        "root",
        "/dev/pts/7");
  }

  @Test
  void pamAuthenticationFailure() {
    AccessEvent e =
        parse(
            "Apr  5 09:00:01 db-3 su: pam_unix(su:auth): authentication failure; logname=judy"
                + " uid=1010 euid=0 tty=/dev/pts/2 ruser=judy rhost=  user=root");
    assertThat(e.event().action()).isEqualTo("su");
    assertThat(e.event().outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(e.user().name()).hasValue("judy");
    assertThat(e.user().id()).hasValue("1010");
    assertThat(e.labels()).containsEntry("su.target_user", "root");

    // Old Linux: the program is su(pam_unix), the text has no prefix, logname is empty.
    AccessEvent old =
        parse(
            "Apr  5 09:00:02 db-3 su(pam_unix)[900]: authentication failure; logname= uid=1011"
                + " euid=0 tty= ruser=karl rhost=  user=backup");
    assertThat(old.user().name()).hasValue("karl");
    assertThat(old.labels()).containsEntry("su.target_user", "backup").doesNotContainKey("su.tty");

    AccessEvent remote =
        parse(
            "Apr  5 09:00:03 db-3 su: pam_unix(su-l:auth): authentication failure; logname="
                + " uid=1012 euid=0 tty=ssh ruser= rhost=192.0.2.44  user=root");
    assertThat(remote.user().name()).isEmpty();
    assertThat(remote.user().id()).hasValue("1012");
    assertThat(remote.source().ip().map(Object::toString)).hasValue("192.0.2.44");
  }

  @Test
  void pamSessions() {
    AccessEvent open =
        parse(
            "Apr  5 09:00:04 db-3 su: pam_unix(su:session): session opened for user root(uid=0)"
                + " by lena(uid=1013)");
    assertThat(open.event().action()).isEqualTo("su_session_start");
    assertThat(open.event().category()).hasValue("session");
    assertThat(open.user().name()).hasValue("lena");
    assertThat(open.user().id()).hasValue("1013");
    assertThat(open.labels()).containsEntry("su.target_user", "root");

    AccessEvent old =
        parse(
            "Apr  5 09:00:05 db-3 su(pam_unix)[901]: session opened for user news by" + " (uid=0)");
    // Only the requester's uid is named: user.id 0, no name.
    assertThat(old.user().name()).isEmpty();
    assertThat(old.user().id()).hasValue("0");

    AccessEvent close =
        parse("Apr  5 09:00:06 db-3 su: pam_unix(su:session): session closed for user root");
    assertThat(close.event().action()).isEqualTo("su_session_end");
    assertThat(close.user().name()).hasValue("root");
  }

  @Test
  void messagesWithoutAUserAreUnparsed() {
    AccessEvent e = parse("Apr  5 09:00:07 db-3 su[778]: pam_authenticate: Authentication failure");
    assertThat(e.isUnparsed()).isTrue();
    assertThat(e.labels().get(AccessEvent.PARSE_ERROR_LABEL)).startsWith("su:");
    assertThat(parse("Apr  5 09:00:08 db-3 su: No passwd entry for user 'x y'").isUnparsed())
        .isTrue();
    assertThat(parse("Apr  5 09:00:09 db-3 su: Successful su for root by").isUnparsed()).isTrue();
  }
}
