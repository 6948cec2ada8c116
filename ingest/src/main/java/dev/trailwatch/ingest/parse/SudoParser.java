package dev.trailwatch.ingest.parse;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.parse.SuParser.Pam;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The syslog messages of {@code sudo}: its own command log and pam_unix's messages for the {@code
 * sudo} (and {@code sudo-i}) service. {@code user.name} is always who invoked sudo; the user the
 * command runs as is {@code sudo.run_as}.
 *
 * <p>sudo's own line is {@code USER : [PROBLEM ; ]TTY=t ; PWD=p ; USER=target ; [GROUP=g ; ]
 * [TSID=id ; ][ENV=... ; ]COMMAND=command}. Action {@code sudo}; without a problem it ran: outcome
 * {@code success}, category {@code process}. With one, outcome {@code failure} and the problem in
 * {@code sudo.reason}: {@code N incorrect password attempt(s)} is category {@code authentication}
 * (with {@code sudo.failed_attempts}); every other problem ({@code user NOT in sudoers}, {@code
 * command not allowed}, {@code user NOT authorized on host}, {@code a password is required}...) is
 * a refusal to run a command, category {@code process}: {@code iam} is for changes to users and
 * policies, not for checks against them.
 *
 * <p>pam_unix: {@code authentication failure; logname= uid= euid= tty= ruser= rhost= user=} and
 * {@code auth could not identify password for [USER]} are action {@code sudo}, category {@code
 * authentication}, outcome {@code failure}; {@code session opened for user TARGET(uid=0) by
 * USER(uid=N)} and {@code session closed for user TARGET} are {@code sudo_session_start}/{@code
 * sudo_session_end}, category {@code session} (the close names only the target, which becomes
 * {@code user.name}).
 *
 * <p>Thread-safe and stateless; every scan is linear.
 */
public final class SudoParser implements ProgramParser {
  private static final String ACTION = "sudo";

  @Override
  public List<String> programs() {
    return List.of("sudo");
  }

  @Override
  public String dataset() {
    return "sudo";
  }

  @Override
  public Optional<AccessEvent.Builder> parse(SyslogMessage message) {
    String t = message.text().strip();
    Optional<Pam> pam = Pam.prefix(t);
    if (pam.isPresent()) {
      return pam.get().service().startsWith("sudo") ? pamBody(pam.get().body()) : Optional.empty();
    }
    return commandLog(t);
  }

  private static Optional<AccessEvent.Builder> commandLog(String t) {
    int colon = t.indexOf(" : ");
    if (colon <= 0) {
      return Optional.empty();
    }
    String user = t.substring(0, colon).strip();
    if (!SuParser.word(user)) {
      return Optional.empty();
    }
    String rest = t.substring(colon + 3).strip();
    String host = null;
    if (rest.startsWith("HOST=")) { // the sudoers log file's form: USER : HOST=h : TTY=...
      int next = rest.indexOf(" : ");
      if (next < 0) {
        return Optional.empty();
      }
      host = rest.substring("HOST=".length(), next);
      rest = rest.substring(next + 3);
    }
    AccessEvent.Builder b = AccessEvent.builder().action(ACTION).userName(user);
    String reason = null;
    boolean known = false;
    int pos = 0;
    while (pos < rest.length()) {
      if (rest.startsWith("COMMAND=", pos)) {
        b.label("sudo.command", SuParser.nonEmpty(rest.substring(pos + "COMMAND=".length())));
        known = true;
        break;
      }
      int end = rest.indexOf(" ; ", pos);
      String part = end < 0 ? rest.substring(pos) : rest.substring(pos, end);
      pos = end < 0 ? rest.length() : end + 3;
      int eq = part.indexOf('=');
      String key = eq > 0 ? part.substring(0, eq) : "";
      String value = eq > 0 ? SuParser.nonEmpty(part.substring(eq + 1).strip()) : null;
      switch (key) {
        case "TTY" -> b.label("sudo.tty", value);
        case "PWD" -> b.label("sudo.pwd", value);
        case "USER" -> b.label("sudo.run_as", value);
        case "GROUP" -> b.label("sudo.run_as_group", value);
        case "TSID" -> b.label("sudo.tsid", value);
        default -> {
          if (key.isEmpty() || !upperCase(key)) {
            if (known || reason != null) {
              return Optional.empty(); // free text after the fields: not sudo's format
            }
            reason = part.strip();
            continue;
          }
          // ENV=, CHROOT=, CWD= and the like: in message, not worth a label each
        }
      }
      known = true;
    }
    if (!known) {
      return Optional.empty();
    }
    if (host != null && !host.isEmpty()) {
      b.label("sudo.host", host);
    }
    if (reason == null) {
      return Optional.of(b.category("process").outcome(Outcome.SUCCESS));
    }
    b.outcome(Outcome.FAILURE).label("sudo.reason", reason);
    String attempts = passwordAttempts(reason);
    if (attempts != null) {
      b.category("authentication").label("sudo.failed_attempts", attempts);
    } else {
      b.category("process");
    }
    return Optional.of(b);
  }

  /** N of {@code N incorrect password attempt(s)}, else null. */
  private static String passwordAttempts(String reason) {
    int space = reason.indexOf(' ');
    if (space <= 0 || !reason.startsWith("incorrect password attempt", space + 1)) {
      return null;
    }
    for (int i = 0; i < space; i++) {
      if (reason.charAt(i) < '0' || reason.charAt(i) > '9') {
        return null;
      }
    }
    return reason.substring(0, space);
  }

  private static boolean upperCase(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(c >= 'A' && c <= 'Z') && c != '_') {
        return false;
      }
    }
    return true;
  }

  private static Optional<AccessEvent.Builder> pamBody(String body) {
    if (body.startsWith("authentication failure;")) {
      Map<String, String> f = Pam.fields(body.substring("authentication failure;".length()));
      String requester = Pam.requester(f);
      AccessEvent.Builder b =
          AccessEvent.builder()
              .action(ACTION)
              .category("authentication")
              .outcome(Outcome.FAILURE)
              // sudo asks for the invoker's own password: user= is the invoker too
              .userName(requester != null ? requester : SuParser.nonEmpty(f.get("user")))
              .userId(SuParser.nonEmpty(f.get("uid")))
              .label("sudo.tty", SuParser.nonEmpty(f.get("tty")));
      Pam.remoteHost(b, f.get("rhost"));
      return Optional.of(b);
    }
    String noPassword = "auth could not identify password for [";
    if (body.startsWith(noPassword) && body.endsWith("]")) {
      String user = body.substring(noPassword.length(), body.length() - 1);
      return SuParser.word(user)
          ? Optional.of(
              AccessEvent.builder()
                  .action(ACTION)
                  .category("authentication")
                  .outcome(Outcome.FAILURE)
                  .userName(user)
                  .label("sudo.reason", "no password given"))
          : Optional.empty();
    }
    Optional<Pam.Session> s = Pam.session(body);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Pam.Session session = s.get();
    AccessEvent.Builder b =
        AccessEvent.builder()
            .action(session.opened() ? "sudo_session_start" : "sudo_session_end")
            .category("session")
            .outcome(Outcome.SUCCESS)
            .label("sudo.run_as", session.target());
    if (session.opened()) {
      b.userName(session.by()).userId(session.byUid());
    } else {
      b.userName(session.target());
    }
    return Optional.of(b);
  }
}
