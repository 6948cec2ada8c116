package dev.trailwatch.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** auditd records, hand-written in the style of real ones. */
class AuditdParserTest {
  private static final AuditdParser PARSER = new AuditdParser();

  static AccessEvent parse(String line) {
    List<AccessEvent> out = new ArrayList<>();
    PARSER.parse(line, SudoParserTest.CTX, out::add);
    assertThat(out).as(line).hasSize(1);
    AccessEvent e = out.get(0);
    assertThat(e.message()).hasValue(line);
    return e;
  }

  /** What a record must map to; null fields must be absent. */
  private record Expect(
      String action,
      String category,
      Outcome outcome,
      String userName,
      String userId,
      String sourceIp,
      String session) {}

  private static AccessEvent check(String line, Expect x) {
    AccessEvent e = parse(line);
    assertThat(e.isUnparsed()).as("%s: %s", line, e.labels()).isFalse();
    assertThat(e.event().dataset()).hasValue("auditd");
    assertThat(e.event().action()).as(line).isEqualTo(x.action());
    assertThat(e.event().category().orElse(null)).as(line).isEqualTo(x.category());
    assertThat(e.event().outcome()).as(line).isEqualTo(x.outcome());
    assertThat(e.user().name().orElse(null)).as(line).isEqualTo(x.userName());
    assertThat(e.user().id().orElse(null)).as(line).isEqualTo(x.userId());
    assertThat(e.source().ip().map(Object::toString).orElse(null)).as(line).isEqualTo(x.sourceIp());
    assertThat(e.correlation().sessionId().orElse(null)).as(line).isEqualTo(x.session());
    return e;
  }

  private static String user(String type, long serial, String outer, String inner) {
    return "type="
        + type
        + " msg=audit(1700000000.250:"
        + serial
        + "): pid=2001 "
        + outer
        + " subj=system_u:system_r:sshd_t:s0 msg='"
        + inner
        + "'";
  }

  @Test
  void aHugeNumericTypeIsUnknownNotAnOverflow() {
    // Found by SudoSuAuditdFuzzTest (seed 7986853001801371077).
    AccessEvent e =
        parse(
            "type=4294967295 msg=audit(1170021601.343:296): login pid=13015 uid=0 old auid=1"
                + " new auid=0");
    assertThat(e.labels().getOrDefault("parse_error", "")).doesNotContain("parser failed");
  }

  @Test
  void failedSshLoginWithHexAccount() {
    // acct=28756E6B6E6F776E207573657229 is "(unknown user)": not a name, kept as a label.
    AccessEvent e =
        check(
            user(
                "USER_LOGIN",
                10,
                "uid=0 auid=4294967295 ses=4294967295",
                "op=login acct=28756E6B6E6F776E207573657229 exe=\"/usr/sbin/sshd\" hostname=?"
                    + " addr=203.0.113.9 terminal=sshd res=failed"),
            new Expect(
                "user_login", "authentication", Outcome.FAILURE, null, null, "203.0.113.9", null));
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2023-11-14T22:13:20.250Z"));
    assertThat(e.serviceName()).hasValue("sshd");
    assertThat(e.labels())
        .containsEntry("auditd.serial", "10")
        .containsEntry("auditd.acct", "(unknown user)")
        .containsEntry("auditd.terminal", "sshd")
        .containsEntry("auditd.op", "login")
        .containsEntry("process.executable", "/usr/sbin/sshd")
        .doesNotContainKey("auditd.hostname");
  }

  @Test
  void successfulLoginById() {
    AccessEvent e =
        check(
            user(
                "USER_LOGIN",
                11,
                "uid=0 auid=1201 ses=7",
                "op=login id=1201 exe=\"/usr/sbin/sshd\" hostname=client.example.org"
                    + " addr=2001:db8::7 terminal=/dev/pts/1 res=success"),
            new Expect(
                "user_login", "authentication", Outcome.SUCCESS, null, "1201", "2001:db8::7", "7"));
    assertThat(e.labels()).containsEntry("auditd.hostname", "client.example.org");
  }

  @Test
  void pamRecords() {
    String pam = " exe=\"/usr/sbin/sshd\" hostname=198.51.100.4 addr=198.51.100.4 terminal=ssh";
    check(
        user(
            "USER_AUTH",
            20,
            "uid=0 auid=4294967295 ses=4294967295",
            "op=PAM:authentication grantors=? acct=\"mia\"" + pam + " res=failed"),
        new Expect(
            "user_auth", "authentication", Outcome.FAILURE, "mia", null, "198.51.100.4", null));
    check(
        user(
            "USER_ACCT",
            21,
            "uid=0 auid=4294967295 ses=4294967295",
            "op=PAM:accounting grantors=pam_unix acct=\"mia\"" + pam + " res=success"),
        new Expect(
            "user_acct", "authentication", Outcome.SUCCESS, "mia", null, "198.51.100.4", null));
    check(
        user(
            "CRED_ACQ",
            22,
            "uid=0 auid=4294967295 ses=4294967295",
            "op=PAM:setcred grantors=pam_unix acct=\"mia\"" + pam + " res=success"),
        new Expect(
            "cred_acq", "authentication", Outcome.SUCCESS, "mia", null, "198.51.100.4", null));
    check(
        user(
            "USER_START",
            23,
            "uid=0 auid=1300 ses=12",
            "op=PAM:session_open grantors=pam_unix acct=\"mia\"" + pam + " res=success"),
        new Expect("user_start", "session", Outcome.SUCCESS, "mia", "1300", "198.51.100.4", "12"));
    check(
        user(
            "USER_END",
            24,
            "uid=0 auid=1300 ses=12",
            "op=PAM:session_close grantors=pam_unix acct=\"mia\"" + pam + " res=success"),
        new Expect("user_end", "session", Outcome.SUCCESS, "mia", "1300", "198.51.100.4", "12"));
    check(
        user(
            "CRED_DISP",
            25,
            "uid=0 auid=1300 ses=12",
            "op=PAM:setcred grantors=pam_unix acct=\"mia\"" + pam + " res=success"),
        new Expect(
            "cred_disp", "authentication", Outcome.SUCCESS, "mia", "1300", "198.51.100.4", "12"));
    check(
        user(
            "CRED_REFR",
            26,
            "uid=0 auid=0 ses=3",
            "op=PAM:setcred grantors=pam_unix acct=\"root\" exe=\"/usr/sbin/crond\" hostname=?"
                + " addr=? terminal=cron res=success"),
        new Expect("cred_refr", "authentication", Outcome.SUCCESS, "root", "0", null, "3"));
    check(
        user(
            "USER_LOGOUT",
            27,
            "uid=0 auid=1300 ses=12",
            "op=login id=1300 exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=/dev/pts/2"
                + " res=success"),
        new Expect("user_logout", "session", Outcome.SUCCESS, null, "1300", null, "12"));
    check(
        user(
            "ANOM_LOGIN_FAILURES",
            28,
            "uid=0 auid=4294967295 ses=4294967295",
            "op=max-failed-logins acct=\"mia\" exe=\"/usr/sbin/sshd\" hostname=? addr=?"
                + " terminal=ssh res=success"),
        new Expect(
            "anom_login_failures", "authentication", Outcome.FAILURE, "mia", null, null, null));
  }

  @Test
  void userCmdDecodesHexCommand() {
    // cmd is "/usr/bin/vi /etc/hosts" hex-encoded (it holds a space).
    AccessEvent e =
        check(
            "type=USER_CMD msg=audit(1700000001.000:30): pid=2100 uid=1400 auid=1400 ses=9"
                + " msg='cwd=\"/home/nora\" cmd=2F7573722F62696E2F7669202F6574632F686F737473"
                + " exe=\"/usr/bin/sudo\" terminal=pts/0 res=success'",
            new Expect("user_cmd", "process", Outcome.SUCCESS, null, "1400", null, "9"));
    assertThat(e.labels())
        .containsEntry("auditd.cmd", "/usr/bin/vi /etc/hosts")
        .containsEntry("auditd.cwd", "/home/nora");
    assertThat(e.serviceName()).hasValue("sudo");
  }

  @Test
  void accountManagementNamesActorAndTarget() {
    String tail = " exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/0 res=success";
    AccessEvent add =
        check(
            user("ADD_USER", 40, "uid=0 auid=1500 ses=4", "op=add-user acct=\"oscar\"" + tail),
            new Expect("add_user", "iam", Outcome.SUCCESS, null, "1500", null, "4"));
    assertThat(add.resource().type()).hasValue("user");
    assertThat(add.resource().id()).hasValue("oscar");
    assertThat(add.labels()).containsEntry("auditd.uid", "0");

    AccessEvent group =
        check(
            user(
                "ADD_GROUP",
                41,
                "uid=0 auid=4294967295 ses=4294967295",
                "op=add-group id=2001" + tail),
            new Expect("add_group", "iam", Outcome.SUCCESS, null, "0", null, null));
    assertThat(group.resource().type()).hasValue("group");
    assertThat(group.resource().id()).hasValue("2001");

    for (String type : List.of("DEL_USER", "USER_MGMT", "USER_CHAUTHTOK")) {
      AccessEvent e =
          check(
              user(type, 42, "uid=0 auid=1500 ses=4", "op=x acct=\"oscar\"" + tail),
              new Expect(
                  type.toLowerCase(java.util.Locale.ROOT),
                  "iam",
                  Outcome.SUCCESS,
                  null,
                  "1500",
                  null,
                  "4"));
      assertThat(e.resource().type()).hasValue("user");
    }
    for (String type : List.of("DEL_GROUP", "GRP_MGMT")) {
      AccessEvent e =
          check(
              user(type, 43, "uid=0 auid=1500 ses=4", "op=x acct=\"staff\"" + tail),
              new Expect(
                  type.toLowerCase(java.util.Locale.ROOT),
                  "iam",
                  Outcome.SUCCESS,
                  null,
                  "1500",
                  null,
                  "4"));
      assertThat(e.resource().type()).hasValue("group");
      assertThat(e.resource().id()).hasValue("staff");
    }
  }

  @Test
  void roleChange() {
    AccessEvent e =
        check(
            user(
                "USER_ROLE_CHANGE",
                50,
                "uid=0 auid=1600 ses=5",
                "pam: default-context=user_u:user_r:user_t:s0 selected-context=staff_u:staff_r:"
                    + "staff_t:s0 exe=\"/usr/sbin/sshd\" hostname=? addr=192.0.2.60 terminal=ssh"
                    + " res=success"),
            new Expect(
                "user_role_change", "iam", Outcome.SUCCESS, null, "1600", "192.0.2.60", "5"));
    assertThat(e.labels()).containsEntry("auditd.selected_context", "staff_u:staff_r:staff_t:s0");
  }

  @Test
  void loginRecordsNewAndOld() {
    AccessEvent now =
        check(
            "type=LOGIN msg=audit(1700000002.100:60): pid=2200 uid=0 subj=system_u:system_r:"
                + "sshd_t:s0 old-auid=4294967295 auid=1700 tty=(none) old-ses=4294967295 ses=15"
                + " res=1",
            new Expect("login", "session", Outcome.SUCCESS, null, "1700", null, "15"));
    assertThat(now.labels()).containsEntry("auditd.old_auid", "4294967295");
    check(
        "type=LOGIN msg=audit(1170000000.100:61): login pid=2201 uid=0 old auid=4294967295 new"
            + " auid=500",
        new Expect("login", "session", Outcome.UNKNOWN, null, "500", null, null));
  }

  @Test
  void syscallIsAProcessEventOfTheAuditUser() {
    AccessEvent e =
        check(
            "type=SYSCALL msg=audit(1700000003.000:70): arch=c000003e syscall=59 success=yes"
                + " exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=10 pid=11 auid=1800 uid=0 gid=0"
                + " euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts1 ses=21 comm=\"id\""
                + " exe=\"/usr/bin/id\" key=\"priv_esc\"",
            new Expect("syscall", "process", Outcome.SUCCESS, null, "1800", null, "21"));
    assertThat(e.labels())
        .containsEntry("auditd.syscall", "59")
        .containsEntry("auditd.uid", "0")
        .containsEntry("auditd.euid", "0")
        .containsEntry("auditd.comm", "id")
        .containsEntry("auditd.key", "priv_esc")
        .containsEntry("process.executable", "/usr/bin/id");
    assertThat(e.serviceName()).isEmpty();

    // Hex exe and key (two keys separated by 0x01), no audit uid: the uid acts.
    AccessEvent hex =
        check(
            "type=SYSCALL msg=audit(1700000003.000:71): arch=c000003e syscall=2 success=no"
                + " exit=-13 a0=1 items=1 ppid=1 pid=12 auid=4294967295 uid=33 gid=33 euid=33"
                + " ses=4294967295 comm=\"sh\" exe=2F746D702F6D7920736372697074"
                + " key=6F6E650174776F",
            new Expect("syscall", "process", Outcome.FAILURE, null, "33", null, null));
    assertThat(hex.labels())
        .containsEntry("process.executable", "/tmp/my script")
        .containsEntry("auditd.key", "one,two");
  }

  @Test
  void enrichedNames() {
    check(
        "type=SYSCALL msg=audit(1700000004.000:80): arch=c000003e syscall=59 success=yes exit=0"
            + " ppid=1 pid=13 auid=1900 uid=0 euid=0 ses=2 comm=\"ls\" exe=\"/usr/bin/ls\""
            + " key=(null)\u001dARCH=x86_64 SYSCALL=execve AUID=\"pat\" UID=\"root\" EUID=\"root\"",
        new Expect("syscall", "process", Outcome.SUCCESS, "pat", "1900", null, "2"));
    check(
        "type=USER_LOGIN msg=audit(1700000004.000:81): pid=14 uid=0 auid=1900 ses=2"
            + " msg='op=login id=1900 exe=\"/usr/sbin/sshd\" hostname=? addr=192.0.2.81"
            + " terminal=/dev/pts/0 res=success'\u001dUID=\"root\" AUID=\"pat\" ID=\"pat\"",
        new Expect(
            "user_login", "authentication", Outcome.SUCCESS, "pat", "1900", "192.0.2.81", "2"));
  }

  @Test
  void oldPamFormatWithParentheses() {
    check(
        "type=USER_START msg=audit(1170000001.344:90): user pid=15 uid=0 auid=0"
            + " subj=system_u:system_r:crond_t:s0 msg='PAM: session open acct=root :"
            + " exe=\"/usr/sbin/crond\" (hostname=?, addr=?, terminal=cron res=success)'",
        new Expect("user_start", "session", Outcome.SUCCESS, "root", "0", null, null));
  }

  @Test
  void recordsWithoutActorAreUnparsedWithTheirSerial() {
    AccessEvent execve =
        parse(
            "type=EXECVE msg=audit(1700000003.000:70): argc=3 a0=\"cat\" a1=\"-n\""
                + " a2=2F746D702F6120622E747874");
    assertThat(execve.isUnparsed()).isTrue();
    assertThat(execve.timestamp()).isEqualTo(Instant.parse("2023-11-14T22:13:23Z"));
    assertThat(execve.labels())
        .containsEntry("auditd.serial", "70")
        .containsEntry("auditd.record_type", "EXECVE")
        .containsEntry("auditd.argv", "cat -n /tmp/a b.txt");
    assertThat(execve.labels().get(AccessEvent.PARSE_ERROR_LABEL)).contains("no actor");
    AccessEvent path =
        parse(
            "type=PATH msg=audit(1700000003.000:70): item=0 name=\"/usr/bin/cat\" inode=5"
                + " dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL");
    assertThat(path.isUnparsed()).isTrue();
    assertThat(path.labels()).containsEntry("auditd.serial", "70");
  }

  @Test
  void brokenRecordsAreUnparsed() {
    for (String line :
        List.of(
            "type=UNKNOWN[1329] msg=?",
            "type=USER_LOGIN msg=audit(abc:1): uid=0",
            "type=USER_LOGIN msg=audit(1700000000.000): uid=0",
            "hello world",
            "",
            "type=")) {
      AccessEvent e = parse(line);
      assertThat(e.isUnparsed()).as(line).isTrue();
      assertThat(e.labels().get(AccessEvent.PARSE_ERROR_LABEL)).as(line).startsWith("auditd:");
    }
  }

  @Test
  void nodePrefixKernelFormAndSyslogForwarding() {
    AccessEvent node =
        check(
            "node=web-7 type=USER_AUTH msg=audit(1700000005.000:100): pid=1 uid=0 auid=4294967295"
                + " ses=4294967295 msg='op=PAM:authentication acct=\"quinn\""
                + " exe=\"/usr/bin/login\" hostname=? addr=? terminal=tty1 res=success'",
            new Expect("user_auth", "authentication", Outcome.SUCCESS, "quinn", null, null, null));
    assertThat(node.hostName()).hasValue("web-7");

    check(
        "type=1112 audit(1700000005.000:101): pid=1 uid=0 auid=1950 ses=3 msg='op=login"
            + " id=1950 exe=\"/usr/sbin/sshd\" hostname=? addr=192.0.2.101 terminal=ssh"
            + " res=success'",
        new Expect(
            "user_login", "authentication", Outcome.SUCCESS, null, "1950", "192.0.2.101", "3"));

    // audisp-syslog through syslog, to the auditd format and to the syslog format.
    String forwarded =
        "Nov 14 22:13:26 web-8 audisp-syslog: type=USER_AUTH msg=audit(1700000006.000:102):"
            + " pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication"
            + " acct=\"rose\" exe=\"/usr/sbin/sshd\" hostname=? addr=192.0.2.102 terminal=ssh"
            + " res=failed'";
    for (AccessEvent e : List.of(parse(forwarded), SudoParserTest.parse(forwarded))) {
      assertThat(e.isUnparsed()).isFalse();
      assertThat(e.event().dataset()).hasValue("auditd");
      assertThat(e.user().name()).hasValue("rose");
      assertThat(e.event().outcome()).isEqualTo(Outcome.FAILURE);
      assertThat(e.timestamp()).isEqualTo(Instant.parse("2023-11-14T22:13:26Z"));
      assertThat(e.hostName()).hasValue("web-8");
      assertThat(e.labels()).containsEntry("auditd.serial", "102");
    }

    // journald: the type, then the fields, no header; the syslog header gives the time.
    AccessEvent journald =
        SudoParserTest.parse(
            "Nov 14 22:13:27 web-8 audit[3001]: USER_ACCT pid=3001 uid=0 auid=4294967295"
                + " ses=4294967295 msg='op=PAM:accounting grantors=pam_unix acct=\"sam\""
                + " exe=\"/usr/sbin/sshd\" hostname=192.0.2.103 addr=192.0.2.103 terminal=ssh"
                + " res=success'");
    assertThat(journald.event().action()).isEqualTo("user_acct");
    assertThat(journald.user().name()).hasValue("sam");
    assertThat(journald.timestamp()).isEqualTo(Instant.parse("2026-11-14T22:13:27Z"));
    assertThat(journald.labels()).doesNotContainKey("auditd.serial");
  }
}
