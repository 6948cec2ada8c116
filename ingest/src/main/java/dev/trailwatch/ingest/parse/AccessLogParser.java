package dev.trailwatch.ingest.parse;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Field;
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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Web server access logs (nginx, Apache httpd) in the common and combined formats and their usual
 * extensions, one line per request:
 *
 * <pre>
 * [VHOST[:PORT] ]HOST IDENT AUTHUSER [DD/Mon/YYYY:HH:MM:SS +ZZZZ] "REQUEST" STATUS BYTES
 *     ["REFERER" "USER-AGENT" [EXTRA...]]
 * </pre>
 *
 * <p>The same class reads plain lines (as the {@link RecordParser} of the formats {@code nginx} and
 * {@code apache}) and the text of syslog messages (as the {@link ProgramParser} of the programs
 * {@code nginx}, and {@code apache}, {@code apache2}, {@code httpd}: nginx's {@code access_log
 * syslog:server=...} and Apache's {@code CustomLog "|logger"} send the line as the text).
 *
 * <p>One event per line, action {@code http_request}, category {@code web}, outcome {@code success}
 * for a status below 400 and {@code failure} from 400 on (as ECS does: 401 and 403 are what
 * brute-force rules count). The fields: {@code @timestamp} from the bracketed time and its offset
 * (the context's zone when the offset is missing), {@code source.ip} from HOST (a host name goes to
 * the label {@code source.address}), {@code user.name} from AUTHUSER, {@code http.request.method},
 * {@code url.path} (the query goes to the label {@code url.query}), {@code
 * http.response.status_code}, {@code user_agent.original}; labels {@code http.version}, {@code
 * http.response.body.bytes}, {@code http.request.referrer}, {@code url.domain} (the vhost, whose
 * port is {@code destination.port}), {@code http.extra.1}... for the fields after the user agent
 * (at most {@value #MAX_EXTRAS}). A request line that is not {@code METHOD TARGET [PROTOCOL]} (a
 * TLS handshake sent to the HTTP port, garbage, {@code -}) keeps the event, with the request in the
 * label {@code http.request.line}.
 *
 * <p>Quoted fields are read as nginx and Apache escape them: {@code \"} and {@code \\} are a quote
 * and a backslash; {@code \xHH} bytes that are printable ASCII or valid UTF-8 are decoded, other
 * bytes (control characters, binary) and Apache's {@code \n}, {@code \t}... stay escaped as
 * written, so that a field never holds a control character. Quotes that old Apache versions left
 * unescaped are tolerated: a quoted field ends at a quote followed by a space or the end of the
 * line, the request at a quote followed by a status.
 *
 * <p>What is unparsed: a line without the bracketed time, without a client before it, without a
 * quoted request or a three-digit status after it, and a line that names neither a client address
 * nor a user (a host name with no user: an event needs {@code source.ip} or {@code user.name}).
 *
 * <p>One hand-written pass over the line, linear in its length; no regular expressions. Immutable
 * and thread-safe.
 */
public final class AccessLogParser implements RecordParser, ProgramParser {
  /** At most this many fields after the user agent are kept as labels; the rest only in message. */
  static final int MAX_EXTRAS = 8;

  private final String format;
  private final String dataset;
  private final List<String> programs;

  /**
   * @param format the format's name ({@code nginx})
   * @param dataset the {@code event.dataset} of its events ({@code nginx.access})
   * @param programs the syslog programs whose messages it reads, the first also naming the {@code
   *     service.name} of plain lines
   */
  public AccessLogParser(String format, String dataset, List<String> programs) {
    this.format = requireNonNull(format, "format");
    this.dataset = requireNonNull(dataset, "dataset");
    this.programs = List.copyOf(programs);
    if (this.programs.isEmpty()) {
      throw new IllegalArgumentException("an access log parser needs at least one program");
    }
  }

  /** Format {@code nginx}, dataset {@code nginx.access}, program {@code nginx}. */
  public static AccessLogParser nginx() {
    return new AccessLogParser("nginx", "nginx.access", List.of("nginx"));
  }

  /**
   * Format {@code apache}, dataset {@code apache.access}, programs {@code apache}, {@code apache2}
   * (Debian's name) and {@code httpd} (Red Hat's).
   */
  public static AccessLogParser apache() {
    return new AccessLogParser("apache", "apache.access", List.of("apache", "apache2", "httpd"));
  }

  @Override
  public String format() {
    return format;
  }

  @Override
  public String dataset() {
    return dataset;
  }

  @Override
  public List<String> programs() {
    return programs;
  }

  @Override
  public void parse(String record, ParseContext context, Consumer<AccessEvent> out) {
    out.accept(toEvent(record, context));
  }

  private AccessEvent toEvent(String record, ParseContext context) {
    Scan scan;
    try {
      scan = scan(record, context.zone());
    } catch (RuntimeException e) {
      // A bug here must not lose the line.
      return Unparsed.of(record, dataset + ": parser failed: " + e, context);
    }
    if (scan.failure() != null) {
      return scan.unparsed(record, dataset, context);
    }
    AccessEvent.Builder b = scan.event();
    b.dataset(dataset).message(record).serviceName(programs.get(0));
    try {
      return b.build();
    } catch (InvalidEventException e) {
      return Unparsed.of(record, dataset + ": " + e.getMessage(), context);
    }
  }

  @Override
  public Optional<AccessEvent.Builder> parse(SyslogMessage message) {
    Scan scan = scan(message.text(), ZoneOffset.UTC);
    if (scan.failure() != null) {
      return Optional.empty();
    }
    String program = message.program();
    return Optional.of(scan.event().serviceName(program.isEmpty() ? programs.get(0) : program));
  }

  /**
   * What a line gave: the event without dataset and message, or why it is not an access log line
   * with what was understood before the failure.
   */
  private record Scan(
      AccessEvent.Builder event, String failure, Instant time, Map<String, String> labels) {
    static Scan ok(AccessEvent.Builder event) {
      return new Scan(event, null, null, Map.of());
    }

    static Scan failed(String reason) {
      return new Scan(null, reason, null, Map.of());
    }

    AccessEvent unparsed(String record, String dataset, ParseContext context) {
      String reason = dataset + ": " + failure;
      if (time == null && labels.isEmpty()) {
        return Unparsed.of(record, reason, context);
      }
      return Unparsed.of(
          record, reason, time == null ? context.receivedAt() : time, null, null, labels);
    }
  }

  // ---- the scanner ----

  /** Reads one line; {@code zone} is for a time without an offset. */
  static Scan scan(String line, ZoneId zone) {
    int n = line.length();
    int start = 0;
    while (start < n && isBlank(line.charAt(start))) {
      start++;
    }
    while (n > start && isBlank(line.charAt(n - 1))) {
      n--;
    }
    // The time: the first " [" followed by a readable time. Each try reads a bounded number of
    // characters, so the search stays linear.
    Time time = null;
    int open = start;
    while (time == null) {
      open = line.indexOf('[', open + 1);
      if (open < 0 || open >= n) {
        return Scan.failed(
            "expected the time as [dd/Mon/yyyy:HH:mm:ss +zzzz] after the client and user");
      }
      if (line.charAt(open - 1) == ' ') {
        time = Time.parse(line, open + 1, n, zone);
      }
    }
    List<String> prefix = tokens(line, start, open - 1);
    if (prefix.isEmpty()) {
      return new Scan(
          null, "expected the client address before the time", time.instant(), Map.of());
    }
    AccessEvent.Builder b =
        AccessEvent.builder().timestamp(time.instant()).action("http_request").category("web");

    // Before the time: [VHOST[:PORT]] HOST IDENT AUTHUSER (the user may hold spaces).
    int first = 0;
    if (prefix.size() >= 4 && isVhost(prefix.get(0), prefix.get(1))) {
      vhost(prefix.get(0), b);
      first = 1;
    }
    String host = prefix.get(first);
    Map<String, String> known = host(host, b);
    if (prefix.size() - first >= 3) {
      String user = String.join(" ", prefix.subList(first + 2, prefix.size()));
      if (!isDashes(user)) {
        b.userName(user);
      }
    }

    // After the time: [bare fields] "REQUEST" STATUS [BYTES] ["REFERER" ["USER-AGENT"]] [extras].
    // Bare fields before the request (a vhost some formats put there) count as extras.
    List<String> extras = new ArrayList<>();
    String request = null;
    int pos = time.end();
    while (request == null) {
      pos = skipSpaces(line, pos, n);
      if (pos >= n) {
        return new Scan(
            null, "expected the quoted request line after the time", time.instant(), known);
      }
      if (line.charAt(pos) == '"') {
        int end = requestEnd(line, pos + 1, n);
        request = unescape(line, pos + 1, end);
        pos = Math.min(end + 1, n);
      } else {
        int end = bareEnd(line, pos, n);
        if (extras.size() < MAX_EXTRAS) {
          extras.add(line.substring(pos, end));
        }
        pos = end;
      }
    }
    pos = skipSpaces(line, pos, n);
    int statusEnd = bareEnd(line, pos, n);
    if (statusEnd - pos != 3 || !isDigits(line, pos, statusEnd)) {
      return new Scan(
          null,
          "expected the three-digit status after the request, found "
              + Unparsed.quote(line.substring(pos, statusEnd)),
          time.instant(),
          known);
    }
    int status = Integer.parseInt(line, pos, statusEnd, 10);
    if (status >= 100 && status <= 599) {
      b.httpStatusCode(status).outcome(status < 400 ? Outcome.SUCCESS : Outcome.FAILURE);
    } else {
      // nginx logs 000 (and 009 for HTTP/0.9) when it sent no response: not an HTTP status.
      b.outcome(Outcome.UNKNOWN).label("http.response.status", line.substring(pos, statusEnd));
    }
    request(request, b);

    pos = skipSpaces(line, statusEnd, n);
    if (pos < n && line.charAt(pos) != '"') {
      int end = bareEnd(line, pos, n);
      if (isDigits(line, pos, end)) {
        b.label("http.response.body.bytes", line.substring(pos, end));
        pos = end;
      } else if (end - pos == 1 && line.charAt(pos) == '-') {
        pos = end;
      }
    }
    int fieldsAfter = 0;
    boolean combined = true;
    while (extras.size() < MAX_EXTRAS) {
      pos = skipSpaces(line, pos, n);
      if (pos >= n) {
        break;
      }
      boolean quoted = line.charAt(pos) == '"';
      String value;
      if (quoted) {
        int end = quotedEnd(line, pos + 1, n);
        value = unescape(line, pos + 1, end);
        pos = Math.min(end + 1, n);
      } else {
        int end = bareEnd(line, pos, n);
        value = line.substring(pos, end);
        pos = end;
      }
      // The referrer and the user agent are the first two fields, quoted, or not there at all.
      combined &= quoted && fieldsAfter < 2;
      if (combined) {
        if (!value.isEmpty() && !value.equals("-")) {
          if (fieldsAfter == 0) {
            b.label("http.request.referrer", value);
          } else {
            b.userAgent(value);
          }
        }
      } else {
        extras.add(value);
      }
      fieldsAfter++;
    }
    for (int i = 0; i < extras.size(); i++) {
      if (!extras.get(i).isEmpty()) {
        b.label("http.extra." + (i + 1), extras.get(i));
      }
    }
    if (!b.has(Field.SOURCE_IP) && !b.has(Field.USER_NAME)) {
      return new Scan(
          null,
          "the client "
              + Unparsed.quote(host)
              + " is not an IP address and the line names no user; an event needs a source IP or"
              + " a user",
          time.instant(),
          known);
    }
    return Scan.ok(b);
  }

  /** The time in brackets, and the index after its closing bracket. */
  private record Time(Instant instant, int end) {
    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

    /**
     * Reads {@code dd/Mon/yyyy:HH:mm:ss[.fraction][ +zzzz]]} at {@code p}; null when it is not
     * there. Reads at most a few dozen characters.
     */
    static Time parse(String s, int p, int n, ZoneId zone) {
      int dayEnd = p;
      while (dayEnd < n && dayEnd - p < 2 && isDigit(s.charAt(dayEnd))) {
        dayEnd++;
      }
      if (dayEnd == p
          || dayEnd + 18 > n
          || s.charAt(dayEnd) != '/'
          || s.charAt(dayEnd + 4) != '/') {
        return null;
      }
      int month = month(s, dayEnd + 1);
      int y = dayEnd + 5;
      if (month < 0
          || !isDigits(s, y, y + 4)
          || s.charAt(y + 4) != ':'
          || !twoDigits(s, y + 5)
          || s.charAt(y + 7) != ':'
          || !twoDigits(s, y + 8)
          || s.charAt(y + 10) != ':'
          || !twoDigits(s, y + 11)) {
        return null;
      }
      int q = y + 13;
      int nanos = 0;
      if (q < n && s.charAt(q) == '.') {
        int digits = 0;
        q++;
        while (q < n && digits < 9 && isDigit(s.charAt(q))) {
          nanos = nanos * 10 + (s.charAt(q) - '0');
          digits++;
          q++;
        }
        if (digits == 0) {
          return null;
        }
        for (int i = digits; i < 9; i++) {
          nanos *= 10;
        }
      }
      q = skipAtMost(s, q, n, 3);
      ZoneId offset = zone;
      if (q < n && (s.charAt(q) == '+' || s.charAt(q) == '-')) {
        if (q + 5 > n || !isDigits(s, q + 1, q + 5)) {
          return null;
        }
        int sign = s.charAt(q) == '-' ? -1 : 1;
        int hours = num(s, q + 1);
        int minutes = num(s, q + 3);
        if (hours > 18 || minutes > 59) {
          return null;
        }
        offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        q = skipAtMost(s, q + 5, n, 3);
      }
      if (q >= n || s.charAt(q) != ']') {
        return null;
      }
      try {
        LocalDateTime local =
            LocalDateTime.of(
                Integer.parseInt(s, y, y + 4, 10),
                month,
                Integer.parseInt(s, p, dayEnd, 10),
                num(s, y + 5),
                num(s, y + 8),
                num(s, y + 11),
                nanos);
        return new Time(local.atZone(offset).toInstant(), q + 1);
      } catch (DateTimeException e) {
        return null; // 31/Feb, 25:00 and the like
      }
    }

    private static int month(String s, int p) {
      for (int m = 0; m < 12; m++) {
        if (s.regionMatches(true, p, MONTHS, m * 3, 3)) {
          return m + 1;
        }
      }
      return -1;
    }

    private static boolean twoDigits(String s, int p) {
      return isDigit(s.charAt(p)) && isDigit(s.charAt(p + 1));
    }

    private static int num(String s, int p) {
      return (s.charAt(p) - '0') * 10 + (s.charAt(p + 1) - '0');
    }

    private static int skipAtMost(String s, int p, int n, int max) {
      int q = p;
      while (q < n && q - p < max && s.charAt(q) == ' ') {
        q++;
      }
      return q;
    }
  }

  /** Whether the first of the fields before the time is a vhost ({@code vhost_combined}). */
  private static boolean isVhost(String first, String second) {
    if (IpAddress.tryParse(first).isPresent()) {
      return false;
    }
    int colon = first.lastIndexOf(':');
    boolean withPort = colon > 0 && isDigits(first, colon + 1, first.length());
    return withPort || hostAddress(second) != null;
  }

  /** {@code url.domain} and {@code destination.port} from {@code VHOST[:PORT]}. */
  private static void vhost(String vhost, AccessEvent.Builder b) {
    int colon = vhost.lastIndexOf(':');
    String name = vhost;
    if (colon > 0
        && colon + 1 < vhost.length()
        && vhost.length() - colon <= 6
        && isDigits(vhost, colon + 1, vhost.length())) {
      int port = Integer.parseInt(vhost, colon + 1, vhost.length(), 10);
      if (port <= 65_535) {
        b.destinationPort(port);
        name = vhost.substring(0, colon);
      }
    }
    if (!name.isEmpty() && !name.equals("-")) {
      b.label("url.domain", name);
    }
  }

  /**
   * Sets {@code source.ip} (and {@code source.port} for {@code [v6]:port} and {@code v4:port}), or
   * the label {@code source.address} for a host name; returns the labels to keep if the line turns
   * out unparsed.
   */
  private static Map<String, String> host(String host, AccessEvent.Builder b) {
    IpAddress ip = IpAddress.tryParse(host).orElse(null);
    if (ip != null) {
      b.sourceIp(ip);
      return Map.of();
    }
    String[] split = hostAndPort(host);
    if (split != null) {
      ip = IpAddress.tryParse(split[0]).orElse(null);
      if (ip != null) {
        b.sourceIp(ip);
        if (split[1] != null) {
          b.sourcePort(Integer.parseInt(split[1]));
        }
        return Map.of();
      }
    }
    if (host.equals("-")) {
      return Map.of();
    }
    b.label("source.address", host);
    return Map.of("source.address", host);
  }

  /** The address of a host field that is an IP, maybe with brackets or a port; else null. */
  private static IpAddress hostAddress(String host) {
    IpAddress ip = IpAddress.tryParse(host).orElse(null);
    if (ip == null) {
      String[] split = hostAndPort(host);
      ip = split == null ? null : IpAddress.tryParse(split[0]).orElse(null);
    }
    return ip;
  }

  /** {@code [addr]}, {@code [addr]:port} or {@code a.b.c.d:port} split; null for other text. */
  private static String[] hostAndPort(String host) {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        return null;
      }
      if (close == host.length() - 1) {
        return new String[] {host.substring(1, close), null};
      }
      return validPort(host, close + 1)
          ? new String[] {host.substring(1, close), host.substring(close + 2)}
          : null;
    }
    int colon = host.indexOf(':');
    if (colon > 0 && host.indexOf(':', colon + 1) < 0 && validPort(host, colon)) {
      return new String[] {host.substring(0, colon), host.substring(colon + 1)};
    }
    return null;
  }

  /** Whether {@code host} has {@code :PORT} (1-5 digits, at most 65535) from {@code colon} on. */
  private static boolean validPort(String host, int colon) {
    int len = host.length() - colon - 1;
    return host.charAt(colon) == ':'
        && len >= 1
        && len <= 5
        && isDigits(host, colon + 1, host.length())
        && Integer.parseInt(host, colon + 1, host.length(), 10) <= 65_535;
  }

  /**
   * The method, path, query and version of a request line; a line that is not {@code METHOD TARGET
   * [HTTP/x]} keeps what is known, with the whole line in {@code http.request.line}.
   */
  private static void request(String request, AccessEvent.Builder b) {
    int sp1 = request.indexOf(' ');
    String method = sp1 < 0 ? request : request.substring(0, sp1);
    if (!isMethod(method)) {
      if (!request.isEmpty()) {
        b.label("http.request.line", request);
      }
      return;
    }
    b.httpMethod(method);
    if (sp1 < 0) {
      b.label("http.request.line", request);
      return;
    }
    int sp2 = request.lastIndexOf(' ');
    String target;
    if (sp2 > sp1 && request.startsWith("HTTP/", sp2 + 1)) {
      String version = request.substring(sp2 + 6);
      if (!version.isEmpty()) {
        b.label("http.version", version);
      }
      target = request.substring(sp1 + 1, sp2).strip();
    } else {
      target = request.substring(sp1 + 1).strip(); // HTTP/0.9, or a line cut short
    }
    if (target.isEmpty()) {
      b.label("http.request.line", request);
      return;
    }
    if (method.equals("CONNECT")) {
      b.label("url.original", target); // host:port, no path
      return;
    }
    String pathAndQuery = target;
    int scheme = target.indexOf("://");
    if (scheme > 0 && isScheme(target, scheme)) {
      // Absolute form, as sent to a proxy: keep the whole target, the path is what follows the
      // authority.
      b.label("url.original", target);
      int authorityEnd = scheme + 3;
      while (authorityEnd < target.length()
          && target.charAt(authorityEnd) != '/'
          && target.charAt(authorityEnd) != '?') {
        authorityEnd++;
      }
      pathAndQuery = target.substring(authorityEnd);
    }
    int question = pathAndQuery.indexOf('?');
    String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
    if (!path.isEmpty()) {
      b.urlPath(path);
    }
    if (question >= 0 && question + 1 < pathAndQuery.length()) {
      b.label("url.query", pathAndQuery.substring(question + 1));
    }
  }

  /** An HTTP method as servers log them: upper-case letters, {@code -} and {@code _}. */
  private static boolean isMethod(String s) {
    if (s.isEmpty() || s.length() > 32 || s.charAt(0) < 'A' || s.charAt(0) > 'Z') {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'A' && c <= 'Z') && c != '-' && c != '_') {
        return false;
      }
    }
    return true;
  }

  private static boolean isScheme(String s, int end) {
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!letter && (i == 0 || !(isDigit(c) || c == '+' || c == '-' || c == '.'))) {
        return false;
      }
    }
    return true;
  }

  // ---- fields ----

  /**
   * Where the quoted request that starts at {@code from} ends (the index of its closing quote, or
   * {@code n} when unterminated): at the first quote followed by a space and a three-digit status,
   * so that a quote left unescaped inside the request does not end it; when there is none, at the
   * first quote followed by a space or the end.
   */
  private static int requestEnd(String s, int from, int n) {
    int fallback = -1;
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c == '"') {
        if (statusFollows(s, i + 1, n)) {
          return i;
        }
        if (fallback < 0 && s.charAt(i - 1) != '\\' && (i + 1 == n || s.charAt(i + 1) == ' ')) {
          fallback = i;
        }
      }
    }
    return fallback >= 0 ? fallback : n;
  }

  /** Whether {@code " DDD"} followed by a space or the end is at {@code p}. */
  private static boolean statusFollows(String s, int p, int n) {
    return p + 4 <= n
        && s.charAt(p) == ' '
        && isDigits(s, p + 1, p + 4)
        && (p + 4 == n || s.charAt(p + 4) == ' ');
  }

  /**
   * Where the quoted field that starts at {@code from} ends: the first unescaped quote followed by
   * a space or the end of the line ({@code n} when there is none).
   */
  private static int quotedEnd(String s, int from, int n) {
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++; // skips the escaped character
      } else if (c == '"' && (i + 1 == n || s.charAt(i + 1) == ' ')) {
        return i;
      }
    }
    return n;
  }

  /**
   * The text of a quoted field: {@code \"} and {@code \\} unescaped, {@code \xHH} decoded where it
   * is printable ASCII or valid UTF-8, everything else as written.
   */
  static String unescape(String s, int from, int to) {
    int backslash = s.indexOf('\\', from);
    if (backslash < 0 || backslash >= to) {
      return s.substring(from, to);
    }
    StringBuilder out = new StringBuilder(to - from);
    out.append(s, from, backslash);
    int i = backslash;
    while (i < to) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= to) {
        out.append(c);
        i++;
        continue;
      }
      char d = s.charAt(i + 1);
      if (d == '"' || d == '\\') {
        out.append(d);
        i += 2;
        continue;
      }
      int v = hexByte(s, i, to);
      if (v < 0) {
        out.append(c); // \n, \t, a lone backslash: as written
        i++;
      } else if (v >= 0x20 && v < 0x7f) {
        out.append((char) v);
        i += 4;
      } else {
        int len = utf8Sequence(s, i, to, v);
        if (len > 0) {
          out.appendCodePoint(codePoint(s, i, len, v));
          i += 4 * len;
        } else {
          out.append(s, i, i + 4); // a control character or a byte that is not UTF-8
          i += 4;
        }
      }
    }
    return out.toString();
  }

  /** The byte of {@code \xHH} at {@code i}, or -1. */
  private static int hexByte(String s, int i, int to) {
    if (i + 4 > to || s.charAt(i) != '\\' || s.charAt(i + 1) != 'x') {
      return -1;
    }
    int hi = hexDigit(s.charAt(i + 2));
    int lo = hexDigit(s.charAt(i + 3));
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  /**
   * The number of {@code \xHH} escapes from {@code i} that form one valid UTF-8 character starting
   * with the byte {@code lead}; 0 when they do not.
   */
  private static int utf8Sequence(String s, int i, int to, int lead) {
    int len;
    int min2 = 0x80;
    int max2 = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      len = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      len = 3;
      if (lead == 0xe0) {
        min2 = 0xa0; // no overlong forms
      } else if (lead == 0xed) {
        max2 = 0x9f; // no surrogates
      }
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      len = 4;
      if (lead == 0xf0) {
        min2 = 0x90;
      } else if (lead == 0xf4) {
        max2 = 0x8f; // nothing above U+10FFFF
      }
    } else {
      return 0;
    }
    for (int k = 1; k < len; k++) {
      int v = hexByte(s, i + 4 * k, to);
      int min = k == 1 ? min2 : 0x80;
      int max = k == 1 ? max2 : 0xbf;
      if (v < min || v > max) {
        return 0;
      }
    }
    return len;
  }

  private static int codePoint(String s, int i, int len, int lead) {
    int cp = lead & (0xff >> (len + 1));
    for (int k = 1; k < len; k++) {
      cp = (cp << 6) | (hexByte(s, i + 4 * k, s.length()) & 0x3f);
    }
    return cp;
  }

  private static List<String> tokens(String s, int from, int to) {
    List<String> out = new ArrayList<>(4);
    int i = from;
    while (i < to) {
      i = skipSpaces(s, i, to);
      if (i >= to) {
        break;
      }
      int end = bareEnd(s, i, to);
      out.add(s.substring(i, end));
      i = end;
    }
    return out;
  }

  private static int skipSpaces(String s, int p, int n) {
    int i = p;
    while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static int bareEnd(String s, int p, int n) {
    int i = p;
    while (i < n && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
      i++;
    }
    return i;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Whether {@code s[from, to)} is non-empty and all ASCII digits. */
  private static boolean isDigits(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether a user field is only dashes and spaces: no user. */
  private static boolean isDashes(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != '-' && s.charAt(i) != ' ') {
        return false;
      }
    }
    return true;
  }
}
