package dev.trailwatch.ingest.parse;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Field;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Outcome;
import java.util.List;
import java.util.Optional;

/**
 * The messages of the OpenSSH server ({@code sshd}, and {@code sshd-session} since OpenSSH 9.8) and
 * of Dropbear: logins accepted and failed, logins refused before a password was checked (invalid
 * users, AllowUsers/DenyUsers, root login), PAM failures, disconnects and closed connections,
 * protocol errors, sessions. The table of every message, with its action, outcome and fields, is
 * {@code docs/parsers/sshd.md}.
 *
 * <p>Actions: {@code ssh_login} (category {@code authentication}: an attempt to authenticate that
 * was accepted, failed or refused), {@code ssh_session_start} and {@code ssh_session_end} (category
 * {@code session}), and, in category {@code network}, {@code ssh_connection}, {@code
 * ssh_connection_refused}, {@code ssh_disconnect}, {@code ssh_connection_closed}, {@code
 * ssh_connection_reset}, {@code ssh_protocol_error}, {@code ssh_auth_timeout} and {@code
 * ssh_break_in_attempt}. A network event's outcome is {@code failure} when the connection ended
 * before authentication ({@code [preauth]}, an SSH disconnect code other than 10 and 11, a protocol
 * error), else {@code unknown}.
 *
 * <p>Injection: user names are chosen by the client and may contain text such as {@code " from
 * 192.0.2.1 port 22 ssh2"}. Every message is read from the right where sshd's format allows: the
 * address is the last {@code from ADDR port N} (or {@code ADDR port N}) that only the protocol, the
 * auth info or {@code [preauth]} follows. Where two client-chosen fields surround the address (the
 * auth info of SSH-1 era {@code Failed} lines, the reason of {@code Disconnecting} lines) the
 * right-most well-formed address wins; the class documentation of each reader says so.
 *
 * <p>Stateless and thread-safe. Linear in the length of the message: only {@code indexOf} and
 * {@code lastIndexOf} scans, each candidate position checked in bounded time.
 */
public final class SshdParser implements ProgramParser {
  static final String LOGIN = "ssh_login";
  static final String SESSION_START = "ssh_session_start";
  static final String SESSION_END = "ssh_session_end";
  static final String CONNECTION = "ssh_connection";
  static final String CONNECTION_REFUSED = "ssh_connection_refused";
  static final String DISCONNECT = "ssh_disconnect";
  static final String CONNECTION_CLOSED = "ssh_connection_closed";
  static final String CONNECTION_RESET = "ssh_connection_reset";
  static final String PROTOCOL_ERROR = "ssh_protocol_error";
  static final String AUTH_TIMEOUT = "ssh_auth_timeout";
  static final String BREAK_IN_ATTEMPT = "ssh_break_in_attempt";

  static final String AUTHENTICATION = "authentication";
  static final String SESSION = "session";
  static final String NETWORK = "network";

  /** The longest {@code ADDR port N sshV} (or host name) read after {@code from}. */
  private static final int MAX_TAIL_HEAD = 300;

  /** The longest host name (RFC 1035), the bound of an address token. */
  private static final int MAX_HOST = 253;

  @Override
  public List<String> programs() {
    return List.of("sshd", "sshd-session", "dropbear");
  }

  @Override
  public String dataset() {
    return "sshd";
  }

  @Override
  public Optional<AccessEvent.Builder> parse(SyslogMessage message) {
    AccessEvent.Builder b = AccessEvent.builder();
    String text = stripPrefixes(message.text().strip(), b);
    boolean preauth = text.endsWith(" [preauth]");
    if (preauth) {
      text = text.substring(0, text.length() - " [preauth]".length()).stripTrailing();
      b.label("ssh.preauth", "true");
    }
    boolean dropbear = message.program().equals("dropbear");
    b.serviceName(dropbear ? "dropbear" : "sshd");
    boolean ours = message.program().equals("sshd") || message.program().equals("sshd-session");
    if (ours && message.appName().orElse("").endsWith("(pam_unix)") && !text.startsWith("(pam_")) {
      // Old Linux-PAM in the tag rather than the text ("sshd(pam_unix)[42]: authentication
      // failure; ..."): the same message as "(pam_unix) authentication failure; ...".
      text = "(pam_unix) " + text;
    }
    boolean known = openssh(text, preauth, ours || dropbear || message.program().isEmpty(), b);
    if (!known) {
      known = dropbear(text, b);
      if (known) {
        b.serviceName("dropbear");
      }
    }
    if (!known || !(b.has(Field.USER_NAME) || b.has(Field.USER_ID) || b.has(Field.SOURCE_IP))) {
      return Optional.empty();
    }
    return Optional.of(b);
  }

  // ---------------------------------------------------------------------------------------------
  // Prefixes other programs and platforms put before sshd's text

  private static String stripPrefixes(String text, AccessEvent.Builder b) {
    String t = text;
    // Solaris: "[ID 800047 auth.info] Failed ..."
    if (t.startsWith("[ID ")) {
      int close = t.indexOf("] ");
      if (close > 0) {
        t = t.substring(close + 2);
      }
    }
    // journald with a kernel-style stamp: "kernel:[  970.699396]: Failed ..."
    if (t.startsWith("kernel:")) {
      int close = t.indexOf(']');
      if (close > 0) {
        int i = close + 1;
        if (i < t.length() && t.charAt(i) == ':') {
          i++;
        }
        t = t.substring(i).stripLeading();
      }
    }
    // Dropbear in the journal: "[825] Jul 10 23:53:52 Bad password attempt ..."
    if (t.startsWith("[")) {
      int close = t.indexOf("] ");
      if (close > 1 && allDigits(t, 1, close)) {
        String rest = t.substring(close + 2);
        if (rest.length() > 16 && rest.charAt(15) == ' ' && rest.charAt(9) == ':') {
          rest = rest.substring(16);
        }
        t = rest;
      }
    }
    // rsyslog's "message repeated 2 times: [ Failed password for ...]"
    if (t.startsWith("message repeated ")) {
      int times = t.indexOf(" times: [");
      if (times > 0 && t.endsWith("]") && allDigits(t, "message repeated ".length(), times)) {
        b.label("ssh.repeated", t.substring("message repeated ".length(), times));
        t = t.substring(times + " times: [".length(), t.length() - 1).strip();
      }
    }
    if (t.startsWith("error: ") || t.startsWith("fatal: ")) {
      t = t.substring(7);
    }
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // OpenSSH

  private static boolean openssh(
      String t, boolean preauth, boolean sshdProgram, AccessEvent.Builder b) {
    if (t.startsWith("Accepted ")) {
      return authResult(t, "Accepted ".length(), Outcome.SUCCESS, b);
    }
    if (t.startsWith("Failed ")) {
      return authResult(t, "Failed ".length(), Outcome.FAILURE, b);
    }
    if (t.startsWith("Postponed ") || t.startsWith("Partial ")) {
      int sp = t.indexOf(' ');
      b.label("ssh.auth_stage", t.substring(0, sp).toLowerCase(java.util.Locale.ROOT));
      return authResult(t, sp + 1, Outcome.UNKNOWN, b);
    }
    if (t.startsWith("Invalid user ") || t.startsWith("Illegal user ")) {
      login(b, Outcome.FAILURE)
          .label("ssh.invalid_user", "true")
          .label("ssh.reason", "invalid_user");
      return userFromTail(t, "Invalid user ".length(), b);
    }
    if (t.startsWith("input_userauth_request: invalid user ")) {
      login(b, Outcome.FAILURE)
          .label("ssh.invalid_user", "true")
          .label("ssh.reason", "invalid_user");
      user(b, t.substring("input_userauth_request: invalid user ".length()));
      return true;
    }
    if (t.startsWith("User ") && t.contains(" not allowed because ")) {
      return notAllowed(t, b);
    }
    if (t.startsWith("ROOT LOGIN REFUSED FROM ")) {
      login(b, Outcome.FAILURE).label("ssh.reason", "root_login_refused").userName("root");
      Tail tail = tail(t, "ROOT LOGIN REFUSED FROM ".length());
      if (tail != null) {
        tail.applyTo(b);
      }
      return true;
    }
    if (t.startsWith("refused connect from ")) {
      return refusedConnect(t, b);
    }
    if (t.startsWith("PAM: ")) {
      return pamError(t.substring("PAM: ".length()), b);
    }
    if (t.startsWith("maximum authentication attempts exceeded for ")) {
      login(b, Outcome.FAILURE).label("ssh.reason", "max_auth_attempts");
      int u = "maximum authentication attempts exceeded for ".length();
      if (t.startsWith("invalid user ", u)) {
        b.label("ssh.invalid_user", "true");
        u += "invalid user ".length();
      }
      return userFromTail(t, u, b);
    }
    if (t.startsWith("Disconnecting: Too many authentication failures for ")) {
      login(b, Outcome.FAILURE).label("ssh.reason", "too_many_auth_failures");
      String u = t.substring("Disconnecting: Too many authentication failures for ".length());
      if (u.startsWith("invalid user ")) {
        b.label("ssh.invalid_user", "true");
        u = u.substring("invalid user ".length());
      }
      user(b, u);
      return true;
    }
    if (t.startsWith("Disconnecting ") && !t.startsWith("Disconnecting: ")) {
      // "Disconnecting invalid user U ADDR port N: REASON" (OpenSSH >= 7.5)
      network(b, DISCONNECT, preauth ? Outcome.FAILURE : Outcome.UNKNOWN);
      return userAddressPortReason(t, "Disconnecting ".length(), true, b);
    }
    int pam = t.indexOf("authentication failure; ");
    if (pam >= 0 && pamService(t, pam, sshdProgram)) {
      login(b, Outcome.FAILURE).label("ssh.reason", "pam_auth_failure");
      return pamFields(t, pam + "authentication failure; ".length(), b);
    }
    if (t.startsWith("PAM ") && t.contains(" more authentication failure")) {
      int more = t.indexOf(' ', 4);
      if (more < 0 || !allDigits(t, 4, more)) {
        return false;
      }
      int semi = t.indexOf("; ", more);
      login(b, Outcome.FAILURE)
          .label("ssh.reason", "pam_more_auth_failures")
          .label("ssh.more_failures", t.substring(4, more));
      return semi > 0 && pamFields(t, semi + 2, b);
    }
    if (t.startsWith("Received disconnect from ")) {
      return receivedDisconnect(t, preauth, b);
    }
    if (t.startsWith("Disconnected from ")) {
      network(b, DISCONNECT, preauth ? Outcome.FAILURE : Outcome.UNKNOWN);
      return userAddressPort(t, "Disconnected from ".length(), b);
    }
    if (t.startsWith("Connection closed by ")) {
      network(b, CONNECTION_CLOSED, preauth ? Outcome.FAILURE : Outcome.UNKNOWN);
      return userAddressPort(t, "Connection closed by ".length(), b);
    }
    if (t.startsWith("Connection reset by ")) {
      if (t.equals("Connection reset by peer")) {
        return false;
      }
      network(b, CONNECTION_RESET, preauth ? Outcome.FAILURE : Outcome.UNKNOWN);
      return userAddressPort(t, "Connection reset by ".length(), b);
    }
    if (t.startsWith("Connection from ")) {
      return connectionFrom(t, b);
    }
    if (t.startsWith("Did not receive identification string from ")) {
      network(b, PROTOCOL_ERROR, Outcome.FAILURE).label("ssh.reason", "no_identification_string");
      return addressTail(t, "Did not receive identification string from ".length(), b);
    }
    if (t.startsWith("Bad protocol version identification ")) {
      network(b, PROTOCOL_ERROR, Outcome.FAILURE).label("ssh.reason", "bad_protocol_version");
      int from = t.lastIndexOf(" from ");
      return from > 0 && addressTail(t, from + " from ".length(), b);
    }
    if (t.startsWith("Unable to negotiate with ")) {
      network(b, PROTOCOL_ERROR, Outcome.FAILURE).label("ssh.reason", "no_matching_algorithm");
      return userAddressPortReason(t, "Unable to negotiate with ".length(), false, b);
    }
    if (t.startsWith("banner exchange: Connection from ")) {
      network(b, PROTOCOL_ERROR, Outcome.FAILURE).label("ssh.reason", "banner_exchange");
      return userAddressPortReason(t, "banner exchange: Connection from ".length(), false, b);
    }
    if (t.startsWith("ssh_dispatch_run_fatal: Connection from ")) {
      network(b, PROTOCOL_ERROR, Outcome.FAILURE).label("ssh.reason", "dispatch_fatal");
      return userAddressPortReason(t, "ssh_dispatch_run_fatal: Connection from ".length(), true, b);
    }
    if (t.startsWith("Timeout before authentication for ")) {
      return timeout(t, b);
    }
    if (t.startsWith("reverse mapping checking getaddrinfo for ")) {
      return reverseMapping(t, b);
    }
    if (t.startsWith("Address ") && t.contains(" maps to ")) {
      return addressMaps(t, b);
    }
    int session = t.indexOf("(sshd:session): session ");
    if (session >= 0 && t.startsWith("pam_")) {
      return pamSession(t, session + "(sshd:session): session ".length(), b);
    }
    if (sshdProgram && t.startsWith("(pam_unix) session ")) {
      return pamSession(t, "(pam_unix) session ".length(), b); // old Linux-PAM
    }
    if (t.startsWith("Starting session: ")) {
      return startingSession(t, b);
    }
    if (t.startsWith("Close session: user ")) {
      b.action(SESSION_END).outcome(Outcome.SUCCESS).category(SESSION);
      int id = t.lastIndexOf(" id ");
      String s = id > 0 && allDigits(t, id + " id ".length(), t.length()) ? t.substring(0, id) : t;
      return userFromTail(s, "Close session: user ".length(), b);
    }
    return false;
  }

  private static AccessEvent.Builder login(AccessEvent.Builder b, Outcome outcome) {
    return b.action(LOGIN).outcome(outcome).category(AUTHENTICATION);
  }

  private static AccessEvent.Builder network(
      AccessEvent.Builder b, String action, Outcome outcome) {
    return b.action(action).outcome(outcome).category(NETWORK);
  }

  /**
   * {@code METHOD for [invalid user ]USER from ADDR [port N] [sshV][: INFO]}, from {@code start}
   * (after "Accepted ", "Failed "...). The user is client-chosen and may contain whole fake tails:
   * of the candidate {@code from}s, the right-most whose tail has a port wins, else the right-most
   * well-formed one (SSH-1 era lines have no port, and then auth info such as {@code ruser from
   * 1.2.3.4} must not win over {@code from 127.0.0.1 port 20000 ssh1}).
   */
  private static boolean authResult(String t, int start, Outcome outcome, AccessEvent.Builder b) {
    int methodEnd = t.indexOf(' ', start);
    if (methodEnd <= start || !t.startsWith(" for ", methodEnd)) {
      return false;
    }
    String method = t.substring(start, methodEnd);
    login(b, outcome).label("ssh.method", method);
    int userStart = methodEnd + " for ".length();
    if (t.startsWith("invalid user ", userStart)) {
      b.label("ssh.invalid_user", "true");
      userStart += "invalid user ".length();
    } else if (t.startsWith("illegal user ", userStart)) {
      b.label("ssh.invalid_user", "true");
      userStart += "illegal user ".length();
    }
    int chosen = -1;
    Tail chosenTail = null;
    for (int p = t.lastIndexOf(" from "); p >= userStart; p = t.lastIndexOf(" from ", p - 1)) {
      Tail tail = tail(t, p + " from ".length());
      if (tail == null) {
        continue;
      }
      if (tail.port >= 0) {
        chosen = p;
        chosenTail = tail;
        break;
      }
      if (chosenTail == null) {
        chosen = p;
        chosenTail = tail;
      }
      if (p == 0) {
        break;
      }
    }
    if (chosenTail == null) {
      return false;
    }
    String user = t.substring(userStart, chosen);
    if (user.equals("<invalid username>")) {
      b.label("ssh.invalid_user", "true"); // Solaris and macOS hide the name
    } else {
      user(b, user);
    }
    chosenTail.applyTo(b);
    if (chosenTail.info != null
        && (method.startsWith("publickey") || method.startsWith("hostbased"))) {
      String[] key = chosenTail.info.split(" ", 3);
      b.label("ssh.key_type", key[0]);
      if (key.length > 1 && !key[1].isEmpty()) {
        String fp = key[1].endsWith(",") ? key[1].substring(0, key[1].length() - 1) : key[1];
        if (!fp.isEmpty()) {
          b.label("ssh.key_fingerprint", fp);
        }
      }
    }
    return true;
  }

  /** {@code USER from ADDR [port N] [sshV]} from {@code start}: the last well-formed tail. */
  private static boolean userFromTail(String t, int start, AccessEvent.Builder b) {
    for (int p = t.lastIndexOf(" from "); p >= start; p = t.lastIndexOf(" from ", p - 1)) {
      Tail tail = tail(t, p + " from ".length());
      if (tail != null && tail.info == null) {
        user(b, t.substring(start, p));
        tail.applyTo(b);
        return true;
      }
      if (p == 0) {
        break;
      }
    }
    return false;
  }

  /** {@code ADDR [port N]} from {@code start} to the end. */
  private static boolean addressTail(String t, int start, AccessEvent.Builder b) {
    Tail tail = tail(t, start);
    if (tail == null || tail.info != null) {
      return false;
    }
    tail.applyTo(b);
    return true;
  }

  /**
   * {@code User USER [from ADDR] not allowed because REASON}: the reason is sshd's own text, so the
   * last {@code " not allowed because "} ends the user and address.
   */
  private static boolean notAllowed(String t, AccessEvent.Builder b) {
    int because = t.lastIndexOf(" not allowed because ");
    if (because < "User ".length()) {
      return false;
    }
    login(b, Outcome.FAILURE).label("ssh.reason", "user_not_allowed");
    String head = t.substring("User ".length(), because);
    int from = head.lastIndexOf(" from ");
    if (from >= 0) {
      String addr = head.substring(from + " from ".length());
      if (addr.indexOf(' ') < 0 && address(b, addr)) {
        user(b, head.substring(0, from));
        return true;
      }
    }
    user(b, head);
    return true;
  }

  /**
   * libwrap: {@code refused connect from CLIENT (ADDR)}; CLIENT may be {@code user@host} as the
   * client's ident service claims, so the address in parentheses is taken.
   */
  private static boolean refusedConnect(String t, AccessEvent.Builder b) {
    network(b, CONNECTION_REFUSED, Outcome.FAILURE).label("ssh.reason", "tcp_wrappers");
    String rest = t.substring("refused connect from ".length());
    if (rest.endsWith(")")) {
      int open = rest.lastIndexOf(" (");
      if (open >= 0) {
        return address(b, rest.substring(open + 2, rest.length() - 1));
      }
    }
    return rest.indexOf(' ') < 0 && address(b, rest);
  }

  /**
   * OpenSSH's PAM errors: {@code Authentication failure for [illegal user ]USER from HOST[ via
   * LOCAL]}, {@code authentication error for ...}, {@code User not known to the underlying
   * authentication module for illegal user USER from HOST}.
   */
  private static boolean pamError(String t, AccessEvent.Builder b) {
    int start;
    if (startsWithIgnoreFirst(t, "authentication failure for ")
        || startsWithIgnoreFirst(t, "authentication error for ")) {
      start = t.indexOf(" for ") + " for ".length();
      login(b, Outcome.FAILURE).label("ssh.reason", "pam_auth_failure");
    } else if (t.startsWith("User not known to the underlying authentication module for ")) {
      start = "User not known to the underlying authentication module for ".length();
      login(b, Outcome.FAILURE)
          .label("ssh.reason", "pam_user_unknown")
          .label("ssh.invalid_user", "true");
    } else {
      return false;
    }
    if (t.startsWith("illegal user ", start) || t.startsWith("invalid user ", start)) {
      b.label("ssh.invalid_user", "true");
      start += "illegal user ".length();
    }
    return userFromTail(t, start, b);
  }

  private static boolean startsWithIgnoreFirst(String t, String prefix) {
    return t.regionMatches(true, 0, prefix, 0, 1) && t.startsWith(prefix.substring(1), 1);
  }

  /**
   * Whether the "authentication failure;" at {@code at} is sshd's PAM: {@code pam_X(sshd:auth): }
   * or, from Linux-PAM before 0.99 and only in sshd's own messages, {@code (pam_unix) }.
   */
  private static boolean pamService(String t, int at, boolean sshdProgram) {
    String head = t.substring(0, at);
    if (head.startsWith("pam_") && head.endsWith("(sshd:auth): ")) {
      return head.indexOf(' ') == head.length() - 1;
    }
    return sshdProgram && head.equals("(pam_unix) ");
  }

  /**
   * PAM's {@code logname= uid=0 euid=0 tty=ssh ruser=RUSER rhost=RHOST[ user=USER]} from {@code
   * start}. RUSER and USER are client-chosen and may hold a fake {@code rhost=}: the real one is
   * the first {@code rhost=} token followed by the end or by {@code user=}.
   */
  private static boolean pamFields(String t, int start, AccessEvent.Builder b) {
    int n = t.length();
    for (int i = t.indexOf("rhost=", start); i >= 0; i = t.indexOf("rhost=", i + 1)) {
      if (t.charAt(i - 1) != ' ') {
        continue;
      }
      int v = i + "rhost=".length();
      int e = v;
      while (e < n && t.charAt(e) != ' ') {
        e++;
      }
      int k = e;
      while (k < n && t.charAt(k) == ' ') {
        k++;
      }
      boolean userFollows = k > e && t.startsWith("user=", k);
      if (k != n && !userFollows) {
        continue;
      }
      if (e > v) {
        address(b, t.substring(v, e));
      }
      if (userFollows) {
        user(b, t.substring(k + "user=".length()));
      } else {
        int ruser = t.lastIndexOf(" ruser=", i);
        if (ruser >= start - 1 && ruser + " ruser=".length() < i - 1) {
          user(b, t.substring(ruser + " ruser=".length(), i - 1));
        }
      }
      return true;
    }
    return false;
  }

  /**
   * {@code Received disconnect from ADDR[ port N]:CODE: TEXT}; older versions write {@code ADDR:
   * CODE: TEXT}. Failure when before authentication or when the code is not 10 (connection lost) or
   * 11 (by application).
   */
  private static boolean receivedDisconnect(String t, boolean preauth, AccessEvent.Builder b) {
    int start = "Received disconnect from ".length();
    int sp = t.indexOf(' ', start);
    String addr;
    int codeStart;
    if (sp > start && t.startsWith(" port ", sp)) {
      addr = t.substring(start, sp);
      int digits = sp + " port ".length();
      int end = digitsEnd(t, digits);
      if (end == digits || end >= t.length() || t.charAt(end) != ':') {
        return false;
      }
      port(b, t.substring(digits, end));
      codeStart = end + 1;
    } else if (sp > start && t.charAt(sp - 1) == ':') {
      addr = t.substring(start, sp - 1);
      codeStart = sp + 1;
    } else {
      return false;
    }
    while (codeStart < t.length() && t.charAt(codeStart) == ' ') {
      codeStart++;
    }
    int codeEnd = digitsEnd(t, codeStart);
    if (codeEnd == codeStart || codeEnd - codeStart > 3 || !address(b, addr)) {
      return false;
    }
    String code = t.substring(codeStart, codeEnd);
    boolean normal = code.equals("10") || code.equals("11");
    network(b, DISCONNECT, preauth || !normal ? Outcome.FAILURE : Outcome.UNKNOWN)
        .label("ssh.disconnect_code", code);
    if (t.startsWith(":", codeEnd)) {
      String reason = t.substring(codeEnd + 1).strip();
      if (!reason.isEmpty()) {
        b.label("ssh.disconnect_reason", reason);
      }
    }
    return true;
  }

  /**
   * {@code [authenticating |invalid ]user USER ADDR port N} or {@code ADDR [port N]} from {@code
   * start} to the end (after "Connection closed by ", "Disconnected from "...), read from the
   * right.
   */
  private static boolean userAddressPort(String t, int start, AccessEvent.Builder b) {
    int end = t.length();
    int portAt = t.lastIndexOf(" port ");
    if (portAt >= start && digitsEnd(t, portAt + " port ".length()) == end && end > portAt + 6) {
      port(b, t.substring(portAt + " port ".length()));
      end = portAt;
    }
    return userAndAddress(t, start, end, b);
  }

  /** {@code [KIND user USER ]ADDR} in {@code t[start, end)}, the address the last token. */
  private static boolean userAndAddress(String t, int start, int end, AccessEvent.Builder b) {
    int sp = t.lastIndexOf(' ', end - 1);
    if (sp < start) {
      return address(b, t.substring(start, end));
    }
    if (end - sp - 1 > MAX_HOST) {
      return false;
    }
    String head = t.substring(start, sp + 1);
    String user;
    if (head.startsWith("authenticating user ")) {
      user = head.substring("authenticating user ".length());
    } else if (head.startsWith("invalid user ")) {
      b.label("ssh.invalid_user", "true");
      user = head.substring("invalid user ".length());
    } else if (head.startsWith("user ")) {
      user = head.substring("user ".length());
    } else {
      return false;
    }
    if (user.isEmpty() || !address(b, t.substring(sp + 1, end))) {
      return false; // no space left between the user name and the address
    }
    user(b, user.substring(0, user.length() - 1)); // the space before the address
    return true;
  }

  /**
   * {@code [KIND user USER ]ADDR port N[: REASON]} from {@code start}. Both USER and REASON may be
   * client-chosen ({@code Change of username ... -> (USER2,...)}); the right-most {@code ADDR port
   * N:} whose ADDR is an address is taken, as user names are client-chosen in every message.
   */
  private static boolean userAddressPortReason(
      String t, int start, boolean userAllowed, AccessEvent.Builder b) {
    boolean userFirst =
        userAllowed
            && (t.startsWith("authenticating user ", start)
                || t.startsWith("invalid user ", start)
                || t.startsWith("user ", start));
    for (int p = t.lastIndexOf(" port "); p > start; p = t.lastIndexOf(" port ", p - 1)) {
      int digits = p + " port ".length();
      int end = digitsEnd(t, digits);
      if (end == digits || end - digits > 5 || (end != t.length() && !t.startsWith(":", end))) {
        continue;
      }
      int sp = t.lastIndexOf(' ', p - 1);
      if (p - sp - 1 > MAX_HOST || IpAddress.tryParse(t.substring(sp + 1, p)).isEmpty()) {
        continue;
      }
      if (sp >= start ? !userFirst : userFirst) {
        continue;
      }
      if (!userAndAddress(t, start, p, b)) {
        return false;
      }
      port(b, t.substring(digits, end));
      if (end < t.length()) {
        String reason = t.substring(end + 1).strip();
        if (!reason.isEmpty()) {
          b.label("ssh.detail", reason.length() > 200 ? reason.substring(0, 200) : reason);
        }
      }
      return true;
    }
    return false;
  }

  /** {@code Connection from ADDR port N on LADDR port LPORT[ rdomain "X"]}. */
  private static boolean connectionFrom(String t, AccessEvent.Builder b) {
    b.action(CONNECTION).outcome(Outcome.UNKNOWN).category(NETWORK);
    int start = "Connection from ".length();
    int on = t.indexOf(" on ", start);
    String remote = on < 0 ? t.substring(start) : t.substring(start, on);
    Tail tail = tail(remote, 0);
    if (tail == null || tail.info != null || tail.proto != null) {
      return false;
    }
    tail.applyTo(b);
    if (on >= 0) {
      String local = t.substring(on + " on ".length());
      int rdomain = local.indexOf(" rdomain ");
      if (rdomain >= 0) {
        local = local.substring(0, rdomain);
      }
      Tail dest = tail(local, 0);
      if (dest != null && dest.info == null) {
        IpAddress.tryParse(dest.addr).ifPresent(b::destinationIp);
        if (dest.port >= 0) {
          b.destinationPort(dest.port);
        }
      }
    }
    return true;
  }

  /**
   * {@code Timeout before authentication for ADDR port N}, or (OpenSSH 9.8+ listener) {@code
   * Timeout before authentication for connection from ADDR to LADDR, pid = N}.
   */
  private static boolean timeout(String t, AccessEvent.Builder b) {
    network(b, AUTH_TIMEOUT, Outcome.FAILURE);
    int start = "Timeout before authentication for ".length();
    if (t.startsWith("connection from ", start)) {
      start += "connection from ".length();
      int sp = t.indexOf(' ', start);
      return address(b, sp < 0 ? t.substring(start) : t.substring(start, sp));
    }
    return addressTail(t, start, b);
  }

  /** {@code reverse mapping checking getaddrinfo for HOST [ADDR] failed - POSSIBLE BREAK-IN...}. */
  private static boolean reverseMapping(String t, AccessEvent.Builder b) {
    network(b, BREAK_IN_ATTEMPT, Outcome.UNKNOWN).label("ssh.reason", "reverse_mapping_failed");
    int start = "reverse mapping checking getaddrinfo for ".length();
    int open = t.indexOf(" [", start);
    int close = open < 0 ? -1 : t.indexOf(']', open);
    if (close < 0) {
      return false;
    }
    b.label("ssh.reverse_dns", t.substring(start, open));
    return IpAddress.tryParse(t.substring(open + 2, close)).map(b::sourceIp).isPresent();
  }

  /** {@code Address ADDR maps to HOST, but this does not map back to the address - ...}. */
  private static boolean addressMaps(String t, AccessEvent.Builder b) {
    network(b, BREAK_IN_ATTEMPT, Outcome.UNKNOWN).label("ssh.reason", "address_maps_elsewhere");
    int maps = t.indexOf(" maps to ");
    int comma = t.indexOf(", but this does not map back", maps);
    if (comma < 0) {
      return false;
    }
    b.label("ssh.reverse_dns", t.substring(maps + " maps to ".length(), comma));
    return IpAddress.tryParse(t.substring("Address ".length(), maps)).map(b::sourceIp).isPresent();
  }

  /**
   * {@code pam_unix(sshd:session): session opened for user USER[(uid=N)] by [X](uid=M)} and {@code
   * session closed for user USER}.
   */
  private static boolean pamSession(String t, int at, AccessEvent.Builder b) {
    String user;
    if (t.startsWith("opened for user ", at)) {
      b.action(SESSION_START);
      int start = at + "opened for user ".length();
      // No user ("opened for user  by (uid=0)"): " by " then starts at the space before it.
      int by = t.lastIndexOf(" by ");
      user = by >= start ? t.substring(start, by) : "";
    } else if (t.startsWith("closed for user ", at)) {
      b.action(SESSION_END);
      user = t.substring(at + "closed for user ".length());
    } else {
      return false;
    }
    b.outcome(Outcome.SUCCESS).category(SESSION);
    if (user.endsWith(")")) {
      int uid = user.lastIndexOf("(uid=");
      if (uid > 0 && allDigits(user, uid + "(uid=".length(), user.length() - 1)) {
        b.userId(user.substring(uid + "(uid=".length(), user.length() - 1));
        user = user.substring(0, uid);
      }
    }
    user(b, user);
    return true;
  }

  /** {@code Starting session: TYPE... for USER from ADDR port N id N}. */
  private static boolean startingSession(String t, AccessEvent.Builder b) {
    b.action(SESSION_START).outcome(Outcome.SUCCESS).category(SESSION);
    int start = "Starting session: ".length();
    int typeEnd = t.indexOf(' ', start);
    if (typeEnd > start) {
      b.label("ssh.session_type", t.substring(start, typeEnd));
    }
    int from = t.lastIndexOf(" from ");
    // " for " must end before " from " begins ("for from" shares a space).
    int forAt = from < 0 ? -1 : t.lastIndexOf(" for ", from - " for ".length());
    if (forAt < start) {
      return false;
    }
    String rest = t.substring(from + " from ".length());
    int id = rest.lastIndexOf(" id ");
    Tail tail = tail(id < 0 ? rest : rest.substring(0, id), 0);
    if (tail == null || tail.info != null) {
      return false;
    }
    tail.applyTo(b);
    user(b, t.substring(forAt + " for ".length(), from));
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Dropbear

  private static boolean dropbear(String t, AccessEvent.Builder b) {
    if (t.startsWith("Bad password attempt for '") || t.startsWith("bad password attempt for '")) {
      login(b, Outcome.FAILURE).label("ssh.method", "password");
      return quotedUserFrom(t, "Bad password attempt for '".length(), b);
    }
    if (t.startsWith("Login attempt for nonexistent user")
        || t.startsWith("login attempt for nonexistent user")) {
      login(b, Outcome.FAILURE)
          .label("ssh.invalid_user", "true")
          .label("ssh.reason", "invalid_user");
      int from = t.lastIndexOf(" from ");
      return from > 0 && hostPort(t.substring(from + " from ".length()), b);
    }
    if (t.startsWith("Password auth succeeded for '")) {
      login(b, Outcome.SUCCESS).label("ssh.method", "password");
      return quotedUserFrom(t, "Password auth succeeded for '".length(), b);
    }
    if (t.startsWith("Pubkey auth succeeded for '")) {
      login(b, Outcome.SUCCESS).label("ssh.method", "publickey");
      int start = "Pubkey auth succeeded for '".length();
      int from = t.lastIndexOf(" from ");
      int with = from < 0 ? -1 : t.lastIndexOf("' with ", from);
      if (with >= start) {
        String key = t.substring(with + "' with ".length(), from);
        int sp = key.lastIndexOf(' ');
        if (sp >= 0 && sp + 1 < key.length()) {
          b.label("ssh.key_fingerprint", key.substring(sp + 1));
        }
        user(b, t.substring(start, with));
        return hostPort(t.substring(from + " from ".length()), b);
      }
      return false;
    }
    if (t.startsWith("Exit before auth")) {
      return exitBeforeAuth(t, b);
    }
    if (t.startsWith("Child connection from ")) {
      b.action(CONNECTION).outcome(Outcome.UNKNOWN).category(NETWORK);
      return hostPort(t.substring("Child connection from ".length()), b);
    }
    if (t.startsWith("Exit (")) {
      // "Exit (USER) from <ADDR:PORT>: REASON" after a session
      int close = t.indexOf(") from <");
      int gt = close < 0 ? -1 : t.indexOf(">", close);
      if (gt < 0) {
        return false;
      }
      network(b, DISCONNECT, Outcome.UNKNOWN);
      user(b, t.substring("Exit (".length(), close));
      return hostPort(t.substring(close + ") from <".length(), gt), b);
    }
    return false;
  }

  /** {@code USER' from ADDR:PORT}, the user from {@code start}. */
  private static boolean quotedUserFrom(String t, int start, AccessEvent.Builder b) {
    int from = t.lastIndexOf("' from ");
    if (from < start) {
      return false;
    }
    user(b, t.substring(start, from));
    return hostPort(t.substring(from + "' from ".length()), b);
  }

  /**
   * {@code Exit before auth (user 'U', N fails): REASON from ADDR:PORT} (older) and {@code Exit
   * before auth from <ADDR:PORT>: [(user 'U', N fails): ]REASON[ - user 'U']} (2022+). "Max auth
   * tries reached" is a login failure, any other reason a disconnect before authentication.
   */
  private static boolean exitBeforeAuth(String t, AccessEvent.Builder b) {
    if (t.contains("Max auth tries reached")) {
      login(b, Outcome.FAILURE).label("ssh.reason", "too_many_auth_failures");
    } else {
      network(b, DISCONNECT, Outcome.FAILURE);
    }
    boolean addr;
    if (t.startsWith("Exit before auth from <")) {
      int gt = t.indexOf('>');
      addr = gt > 0 && hostPort(t.substring("Exit before auth from <".length(), gt), b);
    } else {
      int from = t.lastIndexOf(" from ");
      addr = from > 0 && hostPort(t.substring(from + " from ".length()), b);
    }
    int u = t.indexOf("(user '");
    String user = null;
    if (u >= 0) {
      int q = t.indexOf("', ", u + "(user '".length());
      if (q > 0) {
        user = t.substring(u + "(user '".length(), q);
      }
    }
    if (user == null) {
      int dash = t.lastIndexOf(" - user '");
      int q = dash < 0 ? -1 : t.indexOf('\'', dash + " - user '".length());
      if (q > 0) {
        user = t.substring(dash + " - user '".length(), q);
      }
    }
    if (user != null && user.equals("is invalid")) {
      b.label("ssh.invalid_user", "true");
    } else if (user != null) {
      user(b, user);
    }
    return addr || user != null;
  }

  /** Dropbear's {@code ADDR:PORT} (IPv6 too: the port follows the last colon). */
  private static boolean hostPort(String s, AccessEvent.Builder b) {
    String hp = s.strip();
    if (hp.startsWith("<") && hp.endsWith(">")) {
      hp = hp.substring(1, hp.length() - 1);
    }
    if (hp.indexOf(' ') >= 0) {
      return false;
    }
    int colon = hp.lastIndexOf(':');
    if (colon > 0
        && colon + 1 < hp.length()
        && allDigits(hp, colon + 1, hp.length())
        && address(b, hp.substring(0, colon))) {
      port(b, hp.substring(colon + 1));
      return true;
    }
    return address(b, hp);
  }

  // ---------------------------------------------------------------------------------------------
  // Pieces

  /** {@code ADDR[ via X][ port N][ on X][ sshV][: INFO]}, read from {@code start} to the end. */
  private record Tail(String addr, int port, String proto, String info) {
    void applyTo(AccessEvent.Builder b) {
      address(b, addr);
      if (port >= 0) {
        b.sourcePort(port);
      }
    }
  }

  /**
   * The tail after {@code from} at {@code start}, or null when the text from there is not exactly a
   * tail. Looks at most {@value #MAX_TAIL_HEAD} characters before the optional info.
   */
  private static Tail tail(String t, int start) {
    int n = t.length();
    int limit = Math.min(n, start + MAX_TAIL_HEAD);
    int i = start;
    while (i < limit && t.charAt(i) != ' ') {
      i++;
    }
    if (i == start || (i == limit && limit < n) || i - start > MAX_HOST) {
      return null;
    }
    String addr = t.substring(start, i);
    if (!plausibleAddress(addr)) {
      return null;
    }
    if (t.startsWith(" via ", i)) {
      int j = i + " via ".length();
      while (j < limit && t.charAt(j) != ' ') {
        j++;
      }
      i = j;
    }
    int port = -1;
    if (t.startsWith(" port ", i)) {
      int d = i + " port ".length();
      int e = digitsEnd(t, d);
      if (e == d || e - d > 5 || Integer.parseInt(t.substring(d, e)) > 65535) {
        return null;
      }
      port = Integer.parseInt(t.substring(d, e));
      i = e;
    }
    String proto = null;
    if (t.startsWith(" ssh", i)) {
      int e = digitsEnd(t, i + 4);
      if (e - i > 8) {
        return null;
      }
      proto = t.substring(i + 1, e);
      i = e;
    }
    if (i == n) {
      return new Tail(addr, port, proto, null);
    }
    if (t.startsWith(": ", i)) {
      return new Tail(addr, port, proto, t.substring(i + 2));
    }
    return null;
  }

  /** Sets {@code source.ip}, or the label {@code source.address} for a host name. */
  private static boolean address(AccessEvent.Builder b, String s) {
    String a = s;
    int zone = a.indexOf('%');
    if (zone > 0 && a.indexOf(':') >= 0) {
      a = a.substring(0, zone); // fe80::1%eth0: the zone is local to the server
    }
    Optional<IpAddress> ip = IpAddress.tryParse(a);
    if (ip.isPresent()) {
      b.sourceIp(ip.get());
      return true;
    }
    if (plausibleAddress(s) && !s.equals("UNKNOWN") && s.indexOf(':') < 0) {
      b.label("source.address", s);
      return true;
    }
    return false;
  }

  /** An IP literal or a host name: letters, digits, {@code . - _ :}, at most 253 characters. */
  private static boolean plausibleAddress(String s) {
    if (s.isEmpty() || s.length() > MAX_HOST) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '-'
              || c == '_'
              || c == ':'
              || c == '%';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Sets {@code user.name} unless the name is empty (sshd logs an empty name as such). */
  private static void user(AccessEvent.Builder b, String name) {
    if (!name.isEmpty()) {
      b.userName(name);
    }
  }

  private static void port(AccessEvent.Builder b, String digits) {
    if (!digits.isEmpty() && digits.length() <= 5) {
      int p = Integer.parseInt(digits);
      if (p <= 65535) {
        b.sourcePort(p);
      }
    }
  }

  /**
   * The end of the run of digits at {@code from}, looking at most 7 digits ahead (ports and codes
   * are shorter), so that a long run costs nothing per candidate position.
   */
  private static int digitsEnd(String t, int from) {
    int i = from;
    int limit = Math.min(t.length(), from + 7);
    while (i < limit && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  private static boolean allDigits(String t, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
