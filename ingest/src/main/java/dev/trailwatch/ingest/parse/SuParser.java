package dev.trailwatch.ingest.parse;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The syslog messages of {@code su} (program {@code su}, also {@code su(pam_unix)}): shadow-utils,
 * util-linux, BSD and old Linux su, and pam_unix's messages for the {@code su} and {@code su-l}
 * services.
 *
 * <p>{@code user.name} is who asked to switch user; the user switched to is the label {@code
 * su.target_user}. Action {@code su}, category {@code authentication}, except pam_unix's session
 * messages: {@code su_session_start}/{@code su_session_end}, category {@code session}.
 *
 * <table>
 *   <caption>Messages read</caption>
 *   <tr><th>text</th><th>outcome</th></tr>
 *   <tr><td>{@code Successful su for TARGET by USER}</td><td>success</td></tr>
 *   <tr><td>{@code FAILED su for TARGET by USER}</td><td>failure</td></tr>
 *   <tr><td>{@code + TTY USER:TARGET}, {@code + TTY USER-TARGET}</td><td>success</td></tr>
 *   <tr><td>{@code - TTY USER:TARGET}, {@code - TTY USER-TARGET}</td><td>failure</td></tr>
 *   <tr><td>{@code (to TARGET) USER on TTY}</td><td>success</td></tr>
 *   <tr><td>{@code FAILED SU (to TARGET) USER on TTY}</td><td>failure</td></tr>
 *   <tr><td>{@code USER to TARGET on TTY}</td><td>success</td></tr>
 *   <tr><td>{@code BAD SU USER to TARGET on TTY}</td><td>failure</td></tr>
 *   <tr><td>{@code failed: TTY changing from USER to TARGET}</td><td>failure</td></tr>
 *   <tr><td>{@code 'su TARGET' succeeded|failed for USER on TTY}</td><td>as said</td></tr>
 *   <tr><td>{@code [pam_unix(su:auth): ]authentication failure; ... ruser=USER ...
 *       user=TARGET}</td><td>failure</td></tr>
 *   <tr><td>{@code [pam_unix(su:session): ]session opened for user TARGET by USER(uid=N)}</td>
 *       <td>success</td></tr>
 *   <tr><td>{@code [pam_unix(su:session): ]session closed for user TARGET}</td><td>success
 *       ({@code user.name} is TARGET: the message names no one else)</td></tr>
 * </table>
 *
 * <p>{@code pam_authenticate: Authentication failure} names no user at all and is left unparsed.
 * Thread-safe and stateless; every scan is linear.
 */
public final class SuParser implements ProgramParser {
  private static final String ACTION = "su";

  @Override
  public List<String> programs() {
    return List.of("su");
  }

  @Override
  public String dataset() {
    return "su";
  }

  @Override
  public Optional<AccessEvent.Builder> parse(SyslogMessage message) {
    String t = message.text().strip();
    Optional<Pam> pam = Pam.prefix(t);
    if (pam.isPresent()) {
      return pam.get().service().startsWith("su") ? pamBody(pam.get().body()) : Optional.empty();
    }
    if (t.startsWith("authentication failure;")
        || t.startsWith("session opened for user ")
        || t.startsWith("session closed for user ")) {
      return pamBody(t); // old Linux: program su(pam_unix), no prefix in the text
    }
    if (t.startsWith("Successful su for ")) {
      return forBy(t.substring("Successful su for ".length()), Outcome.SUCCESS);
    }
    if (t.startsWith("FAILED su for ")) {
      return forBy(t.substring("FAILED su for ".length()), Outcome.FAILURE);
    }
    if (t.startsWith("FAILED SU (to ")) {
      return toOn(t.substring("FAILED SU (to ".length()), Outcome.FAILURE);
    }
    if (t.startsWith("(to ")) {
      return toOn(t.substring("(to ".length()), Outcome.SUCCESS);
    }
    if (t.startsWith("+ ") || t.startsWith("- ")) {
      return plusMinus(t);
    }
    if (t.startsWith("BAD SU ")) {
      return userToTarget(t.substring("BAD SU ".length()), Outcome.FAILURE);
    }
    if (t.startsWith("failed: ")) {
      return changingFrom(t.substring("failed: ".length()));
    }
    if (t.startsWith("'su ")) {
      return quoted(t.substring("'su ".length()));
    }
    return userToTarget(t, Outcome.SUCCESS);
  }

  /** {@code TARGET by USER}. */
  private static Optional<AccessEvent.Builder> forBy(String rest, Outcome outcome) {
    int by = rest.indexOf(" by ");
    if (by <= 0) {
      return Optional.empty();
    }
    String target = rest.substring(0, by);
    String user = rest.substring(by + 4).strip();
    if (!word(target) || !word(user)) {
      return Optional.empty();
    }
    return Optional.of(su(outcome, user, target, null));
  }

  /** {@code TARGET) USER on TTY}. */
  private static Optional<AccessEvent.Builder> toOn(String rest, Outcome outcome) {
    int close = rest.indexOf(") ");
    if (close <= 0) {
      return Optional.empty();
    }
    String target = rest.substring(0, close);
    String after = rest.substring(close + 2);
    int on = after.indexOf(" on ");
    String user = on < 0 ? after.strip() : after.substring(0, on);
    String tty = on < 0 ? null : after.substring(on + 4).strip();
    if (!word(target) || !word(user)) {
      return Optional.empty();
    }
    return Optional.of(su(outcome, user, target, tty));
  }

  /** {@code + TTY USER:TARGET} or {@code - TTY USER-TARGET}. */
  private static Optional<AccessEvent.Builder> plusMinus(String t) {
    Outcome outcome = t.charAt(0) == '+' ? Outcome.SUCCESS : Outcome.FAILURE;
    String rest = t.substring(2).strip();
    int space = rest.indexOf(' ');
    if (space <= 0) {
      return Optional.empty();
    }
    String tty = rest.substring(0, space);
    String pair = rest.substring(space + 1).strip();
    int sep = pair.indexOf(':');
    if (sep < 0) {
      sep = pair.lastIndexOf('-'); // user names may hold '-', "root" and the like rarely do
    }
    if (sep <= 0 || sep == pair.length() - 1) {
      return Optional.empty();
    }
    String user = pair.substring(0, sep);
    String target = pair.substring(sep + 1);
    if (!word(user) || !word(target)) {
      return Optional.empty();
    }
    return Optional.of(su(outcome, user, target, tty));
  }

  /** {@code USER to TARGET on TTY}. */
  private static Optional<AccessEvent.Builder> userToTarget(String rest, Outcome outcome) {
    int to = rest.indexOf(" to ");
    if (to <= 0) {
      return Optional.empty();
    }
    String user = rest.substring(0, to);
    String after = rest.substring(to + 4);
    int on = after.indexOf(" on ");
    if (on <= 0) {
      return Optional.empty();
    }
    String target = after.substring(0, on);
    String tty = after.substring(on + 4).strip();
    if (!word(user) || !word(target) || !word(tty)) {
      return Optional.empty();
    }
    return Optional.of(su(outcome, user, target, tty));
  }

  /** {@code TTY changing from USER to TARGET}. */
  private static Optional<AccessEvent.Builder> changingFrom(String rest) {
    int from = rest.indexOf(" changing from ");
    if (from <= 0) {
      return Optional.empty();
    }
    String tty = rest.substring(0, from);
    String pair = rest.substring(from + " changing from ".length());
    int to = pair.indexOf(" to ");
    if (to <= 0) {
      return Optional.empty();
    }
    String user = pair.substring(0, to);
    String target = pair.substring(to + 4).strip();
    if (!word(user) || !word(target)) {
      return Optional.empty();
    }
    return Optional.of(su(Outcome.FAILURE, user, target, tty));
  }

  /** {@code TARGET' succeeded|failed for USER on TTY}. */
  private static Optional<AccessEvent.Builder> quoted(String rest) {
    int quote = rest.indexOf("' ");
    if (quote <= 0) {
      return Optional.empty();
    }
    String target = rest.substring(0, quote);
    String after = rest.substring(quote + 2);
    Outcome outcome;
    if (after.startsWith("succeeded for ")) {
      outcome = Outcome.SUCCESS;
      after = after.substring("succeeded for ".length());
    } else if (after.startsWith("failed for ")) {
      outcome = Outcome.FAILURE;
      after = after.substring("failed for ".length());
    } else {
      return Optional.empty();
    }
    int on = after.indexOf(" on ");
    String user = on < 0 ? after.strip() : after.substring(0, on);
    String tty = on < 0 ? null : after.substring(on + 4).strip();
    if (!word(target) || !word(user)) {
      return Optional.empty();
    }
    return Optional.of(su(outcome, user, target, tty));
  }

  private static Optional<AccessEvent.Builder> pamBody(String body) {
    if (body.startsWith("authentication failure;")) {
      Map<String, String> f = Pam.fields(body.substring("authentication failure;".length()));
      AccessEvent.Builder b =
          AccessEvent.builder()
              .action(ACTION)
              .category("authentication")
              .outcome(Outcome.FAILURE)
              .userName(Pam.requester(f))
              .userId(nonEmpty(f.get("uid")))
              .label("su.target_user", nonEmpty(f.get("user")))
              .label("su.tty", nonEmpty(f.get("tty")));
      Pam.remoteHost(b, f.get("rhost"));
      return Optional.of(b);
    }
    Optional<Pam.Session> s = Pam.session(body);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Pam.Session session = s.get();
    AccessEvent.Builder b =
        AccessEvent.builder()
            .action(session.opened() ? "su_session_start" : "su_session_end")
            .category("session")
            .outcome(Outcome.SUCCESS)
            .label("su.target_user", session.target());
    if (session.opened()) {
      b.userName(session.by()).userId(session.byUid());
    } else {
      b.userName(session.target());
    }
    return Optional.of(b);
  }

  private static AccessEvent.Builder su(Outcome outcome, String user, String target, String tty) {
    return AccessEvent.builder()
        .action(ACTION)
        .category("authentication")
        .outcome(outcome)
        .userName(user)
        .label("su.target_user", target)
        .label("su.tty", tty == null || tty.isEmpty() ? null : tty);
  }

  /** A user or terminal name: non-empty, no white space. */
  static boolean word(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /**
   * The parts of pam_unix's messages that sudo and su share: the {@code pam_unix(service:type): }
   * prefix, the {@code key=value} list of {@code authentication failure;} and the session lines.
   *
   * @param module {@code pam_unix}
   * @param service {@code su}, {@code sudo}, {@code su-l}...
   * @param kind {@code auth}, {@code session}, {@code account}...
   * @param body the text after the prefix
   */
  record Pam(String module, String service, String kind, String body) {
    /** {@code pam_xxx(service:kind): body}, or empty when the text does not start so. */
    static Optional<Pam> prefix(String t) {
      if (!t.startsWith("pam_")) {
        return Optional.empty();
      }
      int open = t.indexOf('(');
      int close = t.indexOf("): ");
      if (open < 0 || close < open) {
        return Optional.empty();
      }
      String inner = t.substring(open + 1, close);
      int colon = inner.indexOf(':');
      if (colon <= 0) {
        return Optional.empty();
      }
      return Optional.of(
          new Pam(
              t.substring(0, open),
              inner.substring(0, colon),
              inner.substring(colon + 1),
              t.substring(close + 3).strip()));
    }

    /**
     * The {@code key=value} pairs of {@code logname= uid=1000 euid=0 tty=/dev/pts/0 ruser=alice
     * rhost= user=alice}; values may be empty.
     */
    static Map<String, String> fields(String s) {
      Map<String, String> out = new LinkedHashMap<>();
      int i = 0;
      int n = s.length();
      while (i < n) {
        while (i < n && s.charAt(i) == ' ') {
          i++;
        }
        int end = s.indexOf(' ', i);
        if (end < 0) {
          end = n;
        }
        int eq = i;
        while (eq < end && s.charAt(eq) != '=') {
          eq++; // within the word only: searching past it would be quadratic
        }
        if (eq > i && eq < end) {
          out.putIfAbsent(s.substring(i, eq), s.substring(eq + 1, end));
        }
        i = end;
      }
      return out;
    }

    /** Who asked: {@code ruser}, else {@code logname}; null when both are empty. */
    static String requester(Map<String, String> f) {
      String ruser = nonEmpty(f.get("ruser"));
      return ruser != null ? ruser : nonEmpty(f.get("logname"));
    }

    /** {@code rhost}: an address into {@code source.ip}, a name into {@code source.address}. */
    static void remoteHost(AccessEvent.Builder b, String rhost) {
      if (rhost == null || rhost.isEmpty()) {
        return;
      }
      Optional<IpAddress> ip = IpAddress.tryParse(rhost);
      if (ip.isPresent()) {
        b.sourceIp(ip.get());
      } else {
        b.label("source.address", rhost);
      }
    }

    /**
     * {@code session opened for user T(uid=0) by U(uid=1000)} (the target's uid and the requester
     * are optional) or {@code session closed for user T}.
     *
     * @param by the requester, null when not named
     * @param byUid the requester's uid, null when not given
     */
    record Session(boolean opened, String target, String by, String byUid) {}

    static Optional<Session> session(String body) {
      boolean opened = body.startsWith("session opened for user ");
      if (!opened && !body.startsWith("session closed for user ")) {
        return Optional.empty();
      }
      String rest = body.substring("session opened for user ".length());
      int space = rest.indexOf(' ');
      String target = space < 0 ? rest : rest.substring(0, space);
      int paren = target.indexOf('(');
      if (paren >= 0) {
        target = target.substring(0, paren); // root(uid=0)
      }
      if (!word(target)) {
        return Optional.empty();
      }
      String by = null;
      String byUid = null;
      if (opened && space > 0 && rest.startsWith(" by ", space)) {
        String who = rest.substring(space + 4).strip();
        int open = who.indexOf("(uid=");
        if (open >= 0) {
          int close = who.indexOf(')', open);
          if (close > open + 5) {
            byUid = digits(who.substring(open + 5, close));
          }
          who = who.substring(0, open);
        }
        by = word(who) ? who : null;
      }
      return Optional.of(new Session(opened, target, by, byUid));
    }

    private static String digits(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) < '0' || s.charAt(i) > '9') {
          return null;
        }
      }
      return s.isEmpty() ? null : s;
    }
  }
}
