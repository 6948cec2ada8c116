package dev.trailwatch.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.ingest.ParseContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every message kind of the mapping table (docs/parsers/sshd.md), with hand-written lines (our own
 * addresses and names), including user names that try to inject a fake address.
 */
class SshdParserTest {
  private static final ParseContext CTX =
      new ParseContext(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
  private static final SshdParser PARSER = new SshdParser();
  private static final SyslogFormat FORMAT =
      new SyslogFormat("sshd", List.of(PARSER), Optional.of(PARSER));

  private static AccessEvent parse(String text) {
    return parseLine("Nov 22 08:00:00 bastion sshd[4242]: " + text);
  }

  private static AccessEvent parseLine(String line) {
    List<AccessEvent> out = new ArrayList<>();
    FORMAT.parse(line, CTX, out::add);
    assertThat(out).hasSize(1);
    AccessEvent e = out.get(0);
    assertThat(e.message()).hasValue(line);
    return e;
  }

  /**
   * The fields a detection rule reads, in one line: {@code action outcome category user=... ip=...
   * port=... addr=...} (absent fields left out).
   */
  private static String summary(AccessEvent e) {
    if (e.isUnparsed()) {
      return "unparsed";
    }
    assertThat(e.event().dataset()).hasValue("sshd");
    StringBuilder s =
        new StringBuilder(e.event().action())
            .append(' ')
            .append(e.event().outcome().ecsValue())
            .append(' ')
            .append(e.event().category().orElse("-"));
    e.user().name().ifPresent(u -> s.append(" user=").append(u));
    e.user().id().ifPresent(u -> s.append(" uid=").append(u));
    e.source().ip().ifPresent(ip -> s.append(" ip=").append(ip));
    if (e.source().port().isPresent()) {
      s.append(" port=").append(e.source().port().getAsInt());
    }
    String addr = e.labels().get("source.address");
    if (addr != null) {
      s.append(" addr=").append(addr);
    }
    return s.toString();
  }

  private static String summary(String text) {
    return summary(parse(text));
  }

  // ---------------------------------------------------------------------------------------------
  // Accepted / Failed

  @Test
  void forDirectlyBeforeFromIsNotAUserName() {
    // Found by SshdParserFuzzTest: " for from " shares its space; it was read as a negative range.
    AccessEvent e = parse("Starting session: shell on pts/0 for from 192.0.2.13 port 10 id 0");
    assertThat(e.labels().getOrDefault("parse_error", "")).doesNotContain("parser failed");
  }

  @Test
  void anEmptyUserNameWithoutItsSpaceIsNotAnEvent() {
    // Found by SshdParserFuzzTest (seed 12309426201070): "user " directly before a non-address.
    AccessEvent e = parse("Disconnected from authenticating user root2.0.2.6 port 33553 [preauth]");
    assertThat(e.isUnparsed()).isTrue();
    assertThat(e.labels().get("parse_error")).doesNotContain("parser failed");
  }

  @Test
  void acceptedPublickeyWithFingerprint() {
    AccessEvent e =
        parse(
            "Accepted publickey for alice from 192.0.2.10 port 50022 ssh2: ED25519 SHA256:Zm9vYmFy");
    assertThat(summary(e))
        .isEqualTo("ssh_login success authentication user=alice ip=192.0.2.10 port=50022");
    assertThat(e.labels())
        .containsEntry("ssh.method", "publickey")
        .containsEntry("ssh.key_type", "ED25519")
        .containsEntry("ssh.key_fingerprint", "SHA256:Zm9vYmFy")
        .containsEntry("syslog.procid", "4242")
        .doesNotContainKey("ssh.invalid_user");
    assertThat(e.hostName()).hasValue("bastion");
    assertThat(e.serviceName()).hasValue("sshd");
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-22T08:00:00Z"));
  }

  @Test
  void acceptedMethods() {
    for (String method :
        List.of("password", "keyboard-interactive/pam", "hostbased", "gssapi-with-mic", "none")) {
      AccessEvent e = parse("Accepted " + method + " for bob from 2001:db8::7 port 2200 ssh2");
      assertThat(summary(e))
          .isEqualTo("ssh_login success authentication user=bob ip=2001:db8::7 port=2200");
      assertThat(e.labels()).containsEntry("ssh.method", method).doesNotContainKey("ssh.key_type");
    }
  }

  @Test
  void failedVariants() {
    AccessEvent e =
        parse("Failed password for invalid user oracle from 203.0.113.9 port 41000 ssh2");
    assertThat(summary(e))
        .isEqualTo("ssh_login failure authentication user=oracle ip=203.0.113.9 port=41000");
    assertThat(e.labels())
        .containsEntry("ssh.method", "password")
        .containsEntry("ssh.invalid_user", "true");
    assertThat(summary("Failed none for invalid user admin from 203.0.113.9 port 1 ssh2"))
        .isEqualTo("ssh_login failure authentication user=admin ip=203.0.113.9 port=1");
    assertThat(summary("Failed password for carol from 203.0.113.9 port 41001"))
        .isEqualTo("ssh_login failure authentication user=carol ip=203.0.113.9 port=41001");
    assertThat(summary("Failed password for carol from 2001:db8::1"))
        .isEqualTo("ssh_login failure authentication user=carol ip=2001:db8::1");
    assertThat(summary("Failed password for carol from ::ffff:198.51.100.3 port 5 ssh1"))
        .isEqualTo("ssh_login failure authentication user=carol ip=198.51.100.3 port=5");
    assertThat(summary("Failed password for dave from gateway.example.net port 22 ssh2"))
        .isEqualTo("ssh_login failure authentication user=dave port=22 addr=gateway.example.net");
    AccessEvent hostbased =
        parse(
            "Failed hostbased for erin from 192.0.2.4 port 7 ssh2: RSA SHA256:a1b2, client user"
                + " \"erin\", client host \"ws1.example.org\"");
    assertThat(hostbased.labels())
        .containsEntry("ssh.key_type", "RSA")
        .containsEntry("ssh.key_fingerprint", "SHA256:a1b2");
    AccessEvent solaris =
        parse(
            "[ID 800047 auth.info] Failed keyboard-interactive for <invalid username> from"
                + " 192.0.2.44 port 4000 ssh2");
    assertThat(summary(solaris))
        .isEqualTo("ssh_login failure authentication ip=192.0.2.44 port=4000");
    assertThat(solaris.labels()).containsEntry("ssh.invalid_user", "true");
    AccessEvent postponed = parse("Postponed publickey for frank from 192.0.2.5 port 6 ssh2");
    assertThat(summary(postponed))
        .isEqualTo("ssh_login unknown authentication user=frank ip=192.0.2.5 port=6");
    assertThat(postponed.labels()).containsEntry("ssh.auth_stage", "postponed");
  }

  @Test
  void userNamesThatInjectAnAddressDoNotWin() {
    AccessEvent e =
        parse(
            "Failed password for invalid user x from 198.51.100.66 port 22 ssh2 from 203.0.113.5"
                + " port 40000 ssh2");
    assertThat(summary(e))
        .isEqualTo(
            "ssh_login failure authentication user=x from 198.51.100.66 port 22 ssh2"
                + " ip=203.0.113.5 port=40000");
    // The user name ends like a whole line would, colon and all: still the right-most address.
    assertThat(
            summary(
                "Failed password for invalid user y from 198.51.100.66 port 22 ssh2: from"
                    + " 203.0.113.5 port 40000 ssh2"))
        .isEqualTo(
            "ssh_login failure authentication user=y from 198.51.100.66 port 22 ssh2:"
                + " ip=203.0.113.5 port=40000");
    assertThat(
            summary(
                "Failed password for invalid user from 198.51.100.66 from 203.0.113.5 port 9 ssh2"))
        .isEqualTo(
            "ssh_login failure authentication user=from 198.51.100.66 ip=203.0.113.5 port=9");
    // SSH-1 era auth info after a full tail: the address with a port wins.
    assertThat(
            summary(
                "Failed password for gina from 192.0.2.8 port 20 ssh1: ruser from 198.51.100.1"))
        .isEqualTo("ssh_login failure authentication user=gina ip=192.0.2.8 port=20");
    assertThat(summary("Invalid user z from 198.51.100.66 port 1 from 203.0.113.5 port 2"))
        .isEqualTo(
            "ssh_login failure authentication user=z from 198.51.100.66 port 1 ip=203.0.113.5"
                + " port=2");
    assertThat(
            summary(
                "Connection closed by authenticating user w 198.51.100.66 port 1 203.0.113.5 port"
                    + " 2 [preauth]"))
        .isEqualTo(
            "ssh_connection_closed failure network user=w 198.51.100.66 port 1 ip=203.0.113.5"
                + " port=2");
    assertThat(
            summary(
                "maximum authentication attempts exceeded for invalid user v from 198.51.100.66"
                    + " port 1 ssh2 from 203.0.113.5 port 3 ssh2 [preauth]"))
        .isEqualTo(
            "ssh_login failure authentication user=v from 198.51.100.66 port 1 ssh2"
                + " ip=203.0.113.5 port=3");
    assertThat(
            summary(
                "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser="
                    + " rhost=203.0.113.5  user=u rhost=198.51.100.66"))
        .isEqualTo("ssh_login failure authentication user=u rhost=198.51.100.66 ip=203.0.113.5");
    assertThat(
            summary(
                "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh"
                    + " ruser=t rhost=198.51.100.66 rhost=203.0.113.5"))
        .isEqualTo("ssh_login failure authentication user=t rhost=198.51.100.66 ip=203.0.113.5");
    assertThat(
            summary(
                "Bad protocol version identification 'SSH-1.0 from 198.51.100.66 port 1' from"
                    + " 203.0.113.5 port 4"))
        .isEqualTo("ssh_protocol_error failure network ip=203.0.113.5 port=4");
    assertThat(
            summary("error: PAM: Authentication failure for s from 198.51.100.66 from 203.0.113.5"))
        .isEqualTo("ssh_login failure authentication user=s from 198.51.100.66 ip=203.0.113.5");
  }

  // ---------------------------------------------------------------------------------------------
  // Refused before a password was checked

  @Test
  void invalidAndRefusedUsers() {
    AccessEvent invalid = parse("Invalid user guest from 192.0.2.20 port 3333");
    assertThat(summary(invalid))
        .isEqualTo("ssh_login failure authentication user=guest ip=192.0.2.20 port=3333");
    assertThat(invalid.labels())
        .containsEntry("ssh.invalid_user", "true")
        .containsEntry("ssh.reason", "invalid_user");
    assertThat(summary("Invalid user guest from 192.0.2.20"))
        .isEqualTo("ssh_login failure authentication user=guest ip=192.0.2.20");
    assertThat(summary("Invalid user  from 192.0.2.20 port 1"))
        .isEqualTo("ssh_login failure authentication ip=192.0.2.20 port=1");
    assertThat(summary("input_userauth_request: invalid user guest [preauth]"))
        .isEqualTo("ssh_login failure authentication user=guest");
    AccessEvent notAllowed =
        parse("User henry from 192.0.2.21 not allowed because not listed in AllowUsers");
    assertThat(summary(notAllowed))
        .isEqualTo("ssh_login failure authentication user=henry ip=192.0.2.21");
    assertThat(notAllowed.labels()).containsEntry("ssh.reason", "user_not_allowed");
    assertThat(summary("User henry from host7.example.com not allowed because not in any group"))
        .isEqualTo("ssh_login failure authentication user=henry addr=host7.example.com");
    assertThat(summary("User henry not allowed because account is locked"))
        .isEqualTo("ssh_login failure authentication user=henry");
    assertThat(summary("ROOT LOGIN REFUSED FROM 192.0.2.22 port 4444 [preauth]"))
        .isEqualTo("ssh_login failure authentication user=root ip=192.0.2.22 port=4444");
    assertThat(summary("ROOT LOGIN REFUSED FROM ::ffff:192.0.2.22"))
        .isEqualTo("ssh_login failure authentication user=root ip=192.0.2.22");
    AccessEvent refused = parse("refused connect from ident@198.51.100.40 (::ffff:198.51.100.40)");
    assertThat(summary(refused))
        .isEqualTo("ssh_connection_refused failure network ip=198.51.100.40");
    assertThat(summary("refused connect from 198.51.100.41"))
        .isEqualTo("ssh_connection_refused failure network ip=198.51.100.41");
  }

  @Test
  void pamFailures() {
    assertThat(summary("error: PAM: Authentication failure for ivan from 192.0.2.30"))
        .isEqualTo("ssh_login failure authentication user=ivan ip=192.0.2.30");
    assertThat(summary("error: PAM: authentication error for ivan from 192.0.2.30 via 10.0.0.5"))
        .isEqualTo("ssh_login failure authentication user=ivan ip=192.0.2.30");
    AccessEvent illegal =
        parse("error: PAM: Authentication failure for illegal user jack from ws.example.org");
    assertThat(summary(illegal))
        .isEqualTo("ssh_login failure authentication user=jack addr=ws.example.org");
    assertThat(illegal.labels()).containsEntry("ssh.invalid_user", "true");
    AccessEvent unknown =
        parse(
            "error: PAM: User not known to the underlying authentication module for illegal user"
                + " kim from 192.0.2.31");
    assertThat(summary(unknown))
        .isEqualTo("ssh_login failure authentication user=kim ip=192.0.2.31");
    assertThat(unknown.labels()).containsEntry("ssh.reason", "pam_user_unknown");
    AccessEvent pam =
        parse(
            "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser="
                + " rhost=192.0.2.32  user=root");
    assertThat(summary(pam)).isEqualTo("ssh_login failure authentication user=root ip=192.0.2.32");
    assertThat(pam.labels()).containsEntry("ssh.reason", "pam_auth_failure");
    assertThat(
            summary(
                "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser="
                    + " rhost=192.0.2.32"))
        .isEqualTo("ssh_login failure authentication ip=192.0.2.32");
    // A host name and no user: nothing an event may stand on.
    assertThat(
            summary(
                "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser="
                    + " rhost=dsl-7.example.net"))
        .isEqualTo("unparsed");
    assertThat(
            summary(
                "(pam_unix) authentication failure; logname= uid=0 euid=0 tty=ssh ruser="
                    + " rhost=192.0.2.33 user=lee"))
        .isEqualTo("ssh_login failure authentication user=lee ip=192.0.2.33");
    AccessEvent more =
        parse(
            "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser="
                + " rhost=192.0.2.34  user=root");
    assertThat(summary(more)).isEqualTo("ssh_login failure authentication user=root ip=192.0.2.34");
    assertThat(more.labels()).containsEntry("ssh.more_failures", "2");
    assertThat(
            summary(
                "PAM 1 more authentication failure; logname= uid=0 euid=0 tty=ssh ruser="
                    + " rhost=192.0.2.34"))
        .isEqualTo("ssh_login failure authentication ip=192.0.2.34");
    // Another service's PAM is not sshd's.
    assertThat(
            summary(
                "pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp"
                    + " ruser= rhost=192.0.2.35"))
        .isEqualTo("unparsed");
    assertThat(summary("pam_unix(sshd:auth): check pass; user unknown")).isEqualTo("unparsed");
    assertThat(summary("PAM service(sshd) ignoring max retries; 6 > 3")).isEqualTo("unparsed");
  }

  @Test
  void tooManyFailures() {
    AccessEvent max =
        parse(
            "error: maximum authentication attempts exceeded for invalid user mia from 192.0.2.36"
                + " port 5000 ssh2 [preauth]");
    assertThat(summary(max))
        .isEqualTo("ssh_login failure authentication user=mia ip=192.0.2.36 port=5000");
    assertThat(max.labels())
        .containsEntry("ssh.reason", "max_auth_attempts")
        .containsEntry("ssh.invalid_user", "true")
        .containsEntry("ssh.preauth", "true");
    AccessEvent tooMany =
        parse("Disconnecting: Too many authentication failures for root [preauth]");
    assertThat(summary(tooMany)).isEqualTo("ssh_login failure authentication user=root");
    assertThat(tooMany.labels()).containsEntry("ssh.reason", "too_many_auth_failures");
    assertThat(summary("Disconnecting: Too many authentication failures [preauth]"))
        .isEqualTo("unparsed");
    AccessEvent disconnecting =
        parse(
            "Disconnecting invalid user nina 192.0.2.37 port 5001: Too many authentication"
                + " failures [preauth]");
    assertThat(summary(disconnecting))
        .isEqualTo("ssh_disconnect failure network user=nina ip=192.0.2.37 port=5001");
    assertThat(disconnecting.labels())
        .containsEntry("ssh.invalid_user", "true")
        .containsEntry("ssh.detail", "Too many authentication failures");
    assertThat(
            summary(
                "Disconnecting authenticating user oscar 192.0.2.38 port 5002: Change of username"
                    + " or service not allowed: (oscar,ssh-connection) -> (root,ssh-connection)"
                    + " [preauth]"))
        .isEqualTo("ssh_disconnect failure network user=oscar ip=192.0.2.38 port=5002");
    assertThat(summary("Disconnecting user paul 192.0.2.39 port 5003: oops"))
        .isEqualTo("ssh_disconnect unknown network user=paul ip=192.0.2.39 port=5003");
  }

  // ---------------------------------------------------------------------------------------------
  // Disconnects and closed connections

  @Test
  void receivedDisconnect() {
    AccessEvent bye =
        parse("Received disconnect from 198.51.100.50 port 6000:11: Bye Bye [preauth]");
    assertThat(summary(bye)).isEqualTo("ssh_disconnect failure network ip=198.51.100.50 port=6000");
    assertThat(bye.labels())
        .containsEntry("ssh.disconnect_code", "11")
        .containsEntry("ssh.disconnect_reason", "Bye Bye");
    assertThat(summary("Received disconnect from 198.51.100.50: 11: disconnected by user"))
        .isEqualTo("ssh_disconnect unknown network ip=198.51.100.50");
    assertThat(summary("Received disconnect from 2001:db8::50: 11: disconnected by user"))
        .isEqualTo("ssh_disconnect unknown network ip=2001:db8::50");
    assertThat(
            summary(
                "error: Received disconnect from 198.51.100.51: 3: com.example.Client: Auth fail"))
        .isEqualTo("ssh_disconnect failure network ip=198.51.100.51");
    assertThat(
            summary(
                "Received disconnect from 198.51.100.52 port 6001:14: No supported authentication"
                    + " methods available [preauth]"))
        .isEqualTo("ssh_disconnect failure network ip=198.51.100.52 port=6001");
  }

  @Test
  void disconnectedClosedReset() {
    AccessEvent authenticating =
        parse("Disconnected from authenticating user quinn 198.51.100.53 port 6002 [preauth]");
    assertThat(summary(authenticating))
        .isEqualTo("ssh_disconnect failure network user=quinn ip=198.51.100.53 port=6002");
    assertThat(summary("Disconnected from invalid user rob 198.51.100.53 port 6003 [preauth]"))
        .isEqualTo("ssh_disconnect failure network user=rob ip=198.51.100.53 port=6003");
    assertThat(summary("Disconnected from user sara 198.51.100.53 port 6004"))
        .isEqualTo("ssh_disconnect unknown network user=sara ip=198.51.100.53 port=6004");
    assertThat(summary("Disconnected from 198.51.100.53 port 6005 [preauth]"))
        .isEqualTo("ssh_disconnect failure network ip=198.51.100.53 port=6005");
    assertThat(summary("Connection closed by 198.51.100.54 [preauth]"))
        .isEqualTo("ssh_connection_closed failure network ip=198.51.100.54");
    assertThat(summary("Connection closed by 198.51.100.54 port 6006"))
        .isEqualTo("ssh_connection_closed unknown network ip=198.51.100.54 port=6006");
    assertThat(summary("Connection closed by invalid user  198.51.100.54 port 6007 [preauth]"))
        .isEqualTo("ssh_connection_closed failure network ip=198.51.100.54 port=6007");
    assertThat(
            summary(
                "Connection closed by authenticating user tom 198.51.100.54 port 6008 [preauth]"))
        .isEqualTo("ssh_connection_closed failure network user=tom ip=198.51.100.54 port=6008");
    assertThat(summary("Connection reset by 198.51.100.55 port 6009 [preauth]"))
        .isEqualTo("ssh_connection_reset failure network ip=198.51.100.55 port=6009");
    assertThat(
            summary(
                "Connection reset by authenticating user uma 198.51.100.55 port 6010 [preauth]"))
        .isEqualTo("ssh_connection_reset failure network user=uma ip=198.51.100.55 port=6010");
    assertThat(summary("fatal: Read from socket failed: Connection reset by peer [preauth]"))
        .isEqualTo("unparsed");
    assertThat(summary("Connection reset by peer")).isEqualTo("unparsed");
    AccessEvent from =
        parse("Connection from 198.51.100.56 port 6011 on 192.0.2.1 port 22 rdomain \"\"");
    assertThat(summary(from))
        .isEqualTo("ssh_connection unknown network ip=198.51.100.56 port=6011");
    assertThat(from.destination().ip().map(Object::toString)).hasValue("192.0.2.1");
    assertThat(from.destination().port()).hasValue(22);
  }

  @Test
  void protocolErrorsAndTimeouts() {
    assertThat(summary("Did not receive identification string from 198.51.100.60"))
        .isEqualTo("ssh_protocol_error failure network ip=198.51.100.60");
    assertThat(summary("Did not receive identification string from 198.51.100.60 port 7000"))
        .isEqualTo("ssh_protocol_error failure network ip=198.51.100.60 port=7000");
    assertThat(
            summary(
                "Bad protocol version identification 'GET / HTTP/1.1' from 198.51.100.61 port 7001"))
        .isEqualTo("ssh_protocol_error failure network ip=198.51.100.61 port=7001");
    AccessEvent negotiate =
        parse(
            "Unable to negotiate with 198.51.100.62 port 7002: no matching key exchange method"
                + " found. Their offer: diffie-hellman-group1-sha1 [preauth]");
    assertThat(summary(negotiate))
        .isEqualTo("ssh_protocol_error failure network ip=198.51.100.62 port=7002");
    assertThat(negotiate.labels()).containsEntry("ssh.reason", "no_matching_algorithm");
    assertThat(summary("banner exchange: Connection from 198.51.100.63 port 7003: invalid format"))
        .isEqualTo("ssh_protocol_error failure network ip=198.51.100.63 port=7003");
    assertThat(
            summary(
                "ssh_dispatch_run_fatal: Connection from 198.51.100.64 port 7004: message"
                    + " authentication code incorrect [preauth]"))
        .isEqualTo("ssh_protocol_error failure network ip=198.51.100.64 port=7004");
    assertThat(
            summary(
                "ssh_dispatch_run_fatal: Connection from authenticating user vic 198.51.100.64"
                    + " port 7005: Connection corrupted [preauth]"))
        .isEqualTo("ssh_protocol_error failure network user=vic ip=198.51.100.64 port=7005");
    assertThat(summary("fatal: Timeout before authentication for 198.51.100.65 port 7006"))
        .isEqualTo("ssh_auth_timeout failure network ip=198.51.100.65 port=7006");
    assertThat(
            summary(
                "Timeout before authentication for connection from 198.51.100.65 to 192.0.2.1,"
                    + " pid = 1234"))
        .isEqualTo("ssh_auth_timeout failure network ip=198.51.100.65");
  }

  @Test
  void breakInAttempts() {
    AccessEvent reverse =
        parse(
            "reverse mapping checking getaddrinfo for mail.example.com [198.51.100.70] failed -"
                + " POSSIBLE BREAK-IN ATTEMPT!");
    assertThat(summary(reverse)).isEqualTo("ssh_break_in_attempt unknown network ip=198.51.100.70");
    assertThat(reverse.labels()).containsEntry("ssh.reverse_dns", "mail.example.com");
    AccessEvent maps =
        parse(
            "Address 198.51.100.71 maps to web.example.com, but this does not map back to the"
                + " address - POSSIBLE BREAK-IN ATTEMPT!");
    assertThat(summary(maps)).isEqualTo("ssh_break_in_attempt unknown network ip=198.51.100.71");
    assertThat(maps.labels()).containsEntry("ssh.reverse_dns", "web.example.com");
  }

  // ---------------------------------------------------------------------------------------------
  // Sessions

  @Test
  void sessions() {
    assertThat(summary("pam_unix(sshd:session): session opened for user wendy by (uid=0)"))
        .isEqualTo("ssh_session_start success session user=wendy");
    assertThat(
            summary("pam_unix(sshd:session): session opened for user wendy(uid=1001) by (uid=0)"))
        .isEqualTo("ssh_session_start success session user=wendy uid=1001");
    // No user at all (found by the fuzzer: it used to throw): nobody to attribute it to.
    assertThat(summary("pam_unix(sshd:session): session opened for user  by (uid=0)"))
        .isEqualTo("unparsed");
    assertThat(summary("pam_unix(sshd:session): session opened for user by (uid=0)"))
        .isEqualTo("unparsed");
    assertThat(summary("pam_unix(sshd:session): session closed for user wendy"))
        .isEqualTo("ssh_session_end success session user=wendy");
    AccessEvent start =
        parse("Starting session: shell on pts/1 for xavier from 192.0.2.80 port 8000 id 0");
    assertThat(summary(start))
        .isEqualTo("ssh_session_start success session user=xavier ip=192.0.2.80 port=8000");
    assertThat(start.labels()).containsEntry("ssh.session_type", "shell");
    assertThat(summary("Close session: user xavier from 192.0.2.80 port 8000 id 0"))
        .isEqualTo("ssh_session_end success session user=xavier ip=192.0.2.80 port=8000");
  }

  // ---------------------------------------------------------------------------------------------
  // Headers and prefixes

  @Test
  void programsPrefixesAndHeaders() {
    assertThat(
            summary(
                parseLine(
                    "Nov 22 08:00:00 bastion sshd-session[77]: Failed password for root from"
                        + " 192.0.2.90 port 1 ssh2")))
        .isEqualTo("ssh_login failure authentication user=root ip=192.0.2.90 port=1");
    AccessEvent repeated =
        parse("message repeated 3 times: [ Failed password for root from 192.0.2.91 port 2 ssh2]");
    assertThat(summary(repeated))
        .isEqualTo("ssh_login failure authentication user=root ip=192.0.2.91 port=2");
    assertThat(repeated.labels()).containsEntry("ssh.repeated", "3");
    assertThat(
            summary("kernel: [  12.000001] Failed password for root from 192.0.2.92 port 3 ssh2"))
        .isEqualTo("ssh_login failure authentication user=root ip=192.0.2.92 port=3");
    AccessEvent rfc5424 =
        parseLine(
            "<38>1 2026-03-01T10:00:00.5+01:00 gw.example.org sshd 99 - - Failed password for"
                + " invalid user yara from 192.0.2.93 port 4 ssh2");
    assertThat(summary(rfc5424))
        .isEqualTo("ssh_login failure authentication user=yara ip=192.0.2.93 port=4");
    assertThat(rfc5424.timestamp()).isEqualTo(Instant.parse("2026-03-01T09:00:00.5Z"));
    assertThat(rfc5424.hostName()).hasValue("gw.example.org");
  }

  @Test
  void messagesWithoutUserOrAddressAreUnparsed() {
    for (String text :
        List.of(
            "Server listening on 0.0.0.0 port 22.",
            "Received signal 15; terminating.",
            "error: kex_exchange_identification: Connection closed by remote host",
            "fatal: Unable to negotiate a key exchange method [preauth]",
            "Did not receive identification string from UNKNOWN port 65535",
            "",
            "Accepted",
            "Failed password for",
            "Received disconnect from",
            "Connection closed by remote host")) {
      AccessEvent e = parse(text);
      assertThat(e.isUnparsed()).as(text).isTrue();
      assertThat(e.labels().get("parse_error")).as(text).startsWith("sshd: ");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Dropbear

  private static AccessEvent dropbear(String text) {
    AccessEvent e = parseLine("Nov 22 08:00:00 router dropbear[321]: " + text);
    if (!e.isUnparsed()) {
      assertThat(e.serviceName()).hasValue("dropbear");
    }
    return e;
  }

  @Test
  void dropbearMessages() {
    AccessEvent bad = dropbear("Bad password attempt for 'zoe' from 192.0.2.100:40100");
    assertThat(summary(bad))
        .isEqualTo("ssh_login failure authentication user=zoe ip=192.0.2.100 port=40100");
    assertThat(bad.labels()).containsEntry("ssh.method", "password");
    AccessEvent nonexistent =
        dropbear("Login attempt for nonexistent user from ::ffff:192.0.2.101:40101");
    assertThat(summary(nonexistent))
        .isEqualTo("ssh_login failure authentication ip=192.0.2.101 port=40101");
    assertThat(nonexistent.labels()).containsEntry("ssh.invalid_user", "true");
    assertThat(summary(dropbear("Login attempt for nonexistent user from 2001:db8::65:40102")))
        .isEqualTo("ssh_login failure authentication ip=2001:db8::65 port=40102");
    assertThat(summary(dropbear("Password auth succeeded for 'zoe' from 192.0.2.102:40103")))
        .isEqualTo("ssh_login success authentication user=zoe ip=192.0.2.102 port=40103");
    AccessEvent pubkey =
        dropbear(
            "Pubkey auth succeeded for 'zoe' with ssh-ed25519 key SHA256:cXV4 from 192.0.2.103:40104");
    assertThat(summary(pubkey))
        .isEqualTo("ssh_login success authentication user=zoe ip=192.0.2.103 port=40104");
    assertThat(pubkey.labels())
        .containsEntry("ssh.method", "publickey")
        .containsEntry("ssh.key_fingerprint", "SHA256:cXV4");
    assertThat(
            summary(
                dropbear(
                    "Exit before auth (user 'zoe', 10 fails): Max auth tries reached - user 'zoe'"
                        + " from 192.0.2.104:40105")))
        .isEqualTo("ssh_login failure authentication user=zoe ip=192.0.2.104 port=40105");
    assertThat(
            summary(
                dropbear(
                    "[321] Nov 22 08:00:00 Exit before auth from <192.0.2.105:40106>: (user 'zoe',"
                        + " 10 fails): Max auth tries reached - user 'zoe'")))
        .isEqualTo("ssh_login failure authentication user=zoe ip=192.0.2.105 port=40106");
    AccessEvent invalid =
        dropbear(
            "Exit before auth from <192.0.2.106:40107>: Max auth tries reached - user 'is"
                + " invalid'");
    assertThat(summary(invalid))
        .isEqualTo("ssh_login failure authentication ip=192.0.2.106 port=40107");
    assertThat(invalid.labels()).containsEntry("ssh.invalid_user", "true");
    assertThat(summary(dropbear("Exit before auth from <192.0.2.107:40108>: Exited normally")))
        .isEqualTo("ssh_disconnect failure network ip=192.0.2.107 port=40108");
    assertThat(summary(dropbear("Child connection from 192.0.2.108:40109")))
        .isEqualTo("ssh_connection unknown network ip=192.0.2.108 port=40109");
    assertThat(summary(dropbear("Exit (zoe) from <192.0.2.109:40110>: Disconnect received")))
        .isEqualTo("ssh_disconnect unknown network user=zoe ip=192.0.2.109 port=40110");
    assertThat(dropbear("Running in background").isUnparsed()).isTrue();
  }
}
