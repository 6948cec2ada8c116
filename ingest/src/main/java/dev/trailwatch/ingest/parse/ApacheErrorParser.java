package dev.trailwatch.ingest.parse;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.InvalidEventException;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ingest.Unparsed;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.function.Consumer;

/**
 * The HTTP authentication failures of Apache httpd's error log (format {@code apache_error},
 * dataset {@code apache.error}): basic and digest authentication that names a client and a user.
 *
 * <pre>
 * [Www Mmm dd HH:MM:SS[.ffffff] YYYY] [module:level] [pid N[:tid N]] [client ADDR[:PORT]]
 *     [AHnnnnn: ][Digest: ]user NAME: authentication failure for "/x": Password Mismatch
 *     ... user NAME not found[: /x]
 *     ... user NAME: password mismatch: /x
 *     ... user `NAME' in realm `R' not found: /x
 * </pre>
 *
 * <p>Each gives action {@code http_auth}, category {@code authentication}, outcome {@code failure},
 * {@code source.ip} (and {@code source.port}), {@code user.name} (absent when the client sent an
 * empty name: {@code user not found}), {@code url.path} when the line names one, the label {@code
 * apache.error_code} ({@code AH01617}); {@code @timestamp} from the line in the context's zone (the
 * error log carries none). Every other error-log line, and a line whose client is not an IP
 * address, is unparsed. Scanning with {@code indexOf}, linear; thread-safe.
 */
public final class ApacheErrorParser implements RecordParser {
  private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

  @Override
  public String format() {
    return "apache_error";
  }

  @Override
  public void parse(String record, ParseContext context, Consumer<AccessEvent> out) {
    AccessEvent e;
    try {
      e = toEvent(record, context);
    } catch (RuntimeException ex) {
      e = Unparsed.of(record, "apache.error: parser failed: " + ex, context);
    }
    out.accept(e);
  }

  private static AccessEvent toEvent(String line, ParseContext context) {
    Instant time = time(line, context.zone());
    if (time == null) {
      return Unparsed.of(
          line, "apache.error: expected [Www Mmm dd HH:MM:SS YYYY] at the start", context);
    }
    int client = line.indexOf("] [client ");
    int skip = "] [client ".length();
    if (client < 0) {
      client = line.indexOf("] [remote ");
      skip = "] [remote ".length();
    }
    if (client < 0) {
      return unparsed(line, "no [client ADDR] in the line", time, context);
    }
    int addrStart = client + skip;
    int addrEnd = line.indexOf(']', addrStart);
    if (addrStart < line.length() && line.charAt(addrStart) == '[') {
      addrEnd = line.indexOf(']', addrEnd + 1); // [client [v6]:port]
    }
    if (addrEnd < 0) {
      return unparsed(line, "unterminated [client ...]", time, context);
    }
    AccessEvent.Builder b =
        AccessEvent.builder()
            .timestamp(time)
            .action("http_auth")
            .category("authentication")
            .outcome(Outcome.FAILURE)
            .dataset("apache.error")
            .serviceName("apache")
            .message(line);
    if (!address(line.substring(addrStart, addrEnd), b)) {
      return unparsed(line, "the client is not an IP address", time, context);
    }
    int p = addrEnd + 1;
    while (p < line.length() && line.charAt(p) == ' ') {
      p++;
    }
    if (line.startsWith("AH", p) && line.indexOf(": ", p) == p + 7) {
      b.label("apache.error_code", line.substring(p, p + 7));
      p += 9;
    }
    if (line.startsWith("Digest: ", p)) {
      p += "Digest: ".length();
    }
    if (!line.startsWith("user ", p)) {
      return unparsed(
          line, "not an authentication failure (expected 'user NAME ...')", time, context);
    }
    p += "user ".length();
    String rest = line.substring(p);
    String user;
    String path = null;
    if (rest.startsWith("`")) {
      int close = rest.indexOf('\'');
      int found = rest.indexOf(" not found", close + 1);
      if (close < 0 || found < 0) {
        return unparsed(line, "expected user `NAME' in realm `R' not found", time, context);
      }
      user = rest.substring(1, close);
      path = after(rest, found + " not found".length());
    } else if (rest.indexOf(" not found") >= 0
        && (rest.indexOf(": ") < 0 || rest.indexOf(" not found") < rest.indexOf(": "))) {
      int found = rest.indexOf(" not found");
      user = rest.substring(0, found);
      path = after(rest, found + " not found".length());
    } else {
      int colon = rest.indexOf(": ");
      if (colon < 0) {
        return unparsed(line, "not an authentication failure", time, context);
      }
      user = rest.substring(0, colon);
      String reason = rest.substring(colon + 2);
      if (reason.startsWith("authentication failure for \"")) {
        int close = reason.indexOf('"', "authentication failure for \"".length());
        if (close > 0) {
          path = reason.substring("authentication failure for \"".length(), close);
        }
      } else if (reason.startsWith("password mismatch")) {
        path = after(reason, "password mismatch".length());
      } else {
        return unparsed(line, "not an authentication failure", time, context);
      }
    }
    if (!user.isBlank()) {
      b.userName(user.strip());
    }
    if (path != null && path.startsWith("/")) {
      b.urlPath(path);
    }
    try {
      return b.build();
    } catch (InvalidEventException e) {
      return unparsed(line, e.getMessage(), time, context);
    }
  }

  /** What follows {@code ": "} at {@code i} (the path), up to a comma; else null. */
  private static String after(String s, int i) {
    if (!s.startsWith(": ", i)) {
      return null;
    }
    int comma = s.indexOf(", ", i + 2);
    return s.substring(i + 2, comma < 0 ? s.length() : comma).strip();
  }

  private static boolean address(String text, AccessEvent.Builder b) {
    String host = text;
    String port = null;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        return false;
      }
      port = host.startsWith(":", close + 1) ? host.substring(close + 2) : null;
      host = host.substring(1, close);
    } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') > 0) {
      port = host.substring(host.indexOf(':') + 1);
      host = host.substring(0, host.indexOf(':'));
    }
    IpAddress ip = IpAddress.tryParse(host).orElse(null);
    if (ip == null) {
      return false;
    }
    b.sourceIp(ip);
    if (port != null
        && !port.isEmpty()
        && port.length() <= 5
        && port.chars().allMatch(Character::isDigit)) {
      int n = Integer.parseInt(port);
      if (n <= 65_535) {
        b.sourcePort(n);
      }
    }
    return true;
  }

  /** {@code [Www Mmm dd HH:MM:SS[.ffffff] YYYY]} at the start; null when not there. */
  private static Instant time(String s, ZoneId zone) {
    // [Sat Jul 20 21:39:11.978080 2013]
    if (s.length() < 26 || s.charAt(0) != '[' || s.charAt(4) != ' ' || s.charAt(8) != ' ') {
      return null;
    }
    int month = MONTHS.indexOf(s.substring(5, 8));
    if (month < 0 || month % 3 != 0) {
      return null;
    }
    int close = s.indexOf(']');
    if (close < 0 || close > 40) {
      return null;
    }
    String[] parts = s.substring(9, close).trim().split(" ");
    if (parts.length != 3 || parts[1].length() < 8 || parts[0].isEmpty()) {
      return null;
    }
    try {
      String[] hms = parts[1].split("[:.]");
      if (hms.length < 3) {
        return null;
      }
      int nanos = 0;
      if (hms.length == 4 && !hms[3].isEmpty() && hms[3].length() <= 9) {
        nanos = Integer.parseInt(hms[3]);
        for (int i = hms[3].length(); i < 9; i++) {
          nanos *= 10;
        }
      }
      return LocalDateTime.of(
              Integer.parseInt(parts[2]),
              month / 3 + 1,
              Integer.parseInt(parts[0]),
              Integer.parseInt(hms[0]),
              Integer.parseInt(hms[1]),
              Integer.parseInt(hms[2]),
              nanos)
          .atZone(zone)
          .toInstant();
    } catch (NumberFormatException | DateTimeException e) {
      return null;
    }
  }

  private static AccessEvent unparsed(
      String line, String reason, Instant time, ParseContext context) {
    return Unparsed.of(line, "apache.error: " + reason, time, null, null, java.util.Map.of());
  }
}
