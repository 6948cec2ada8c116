package dev.trailwatch.ingest.parse;

import dev.trailwatch.event.Rfc3339;
import dev.trailwatch.ingest.ParseContext;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Splits a syslog message into header and text: RFC 5424, RFC 3164 (BSD) as sent on the wire, and
 * the lines syslog daemons write to files (no PRI; a BSD or an RFC 3339 timestamp). A hand-written
 * scanner: one pass, no regular expressions, linear in the length of the message.
 *
 * <p>BSD timestamps ({@code Nov 22 08:00:00}) carry no year and no zone. The zone is the context's
 * ({@code --timezone}, default UTC). The year is inferred: the latest year in which that date is
 * not more than a day after the time the message was received (a day of tolerance for clocks that
 * run ahead), so that in January a line from December 31 is last year's.
 */
public final class SyslogParser {
  /** How far in the future a BSD timestamp may lie before it is taken to be last year's. */
  static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);

  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  private SyslogParser() {}

  /** Why a message is not syslog, and where (0-based index into the message). */
  public static final class SyslogFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int index;

    SyslogFormatException(String message, int index) {
      super(message);
      this.index = index;
    }

    /** The 0-based position in the message where it stopped making sense. */
    public int index() {
      return index;
    }

    /** The reason with its 1-based column. */
    public String describe() {
      return "column " + (index + 1) + ": " + getMessage();
    }
  }

  /** Parses one message (one line, without its line terminator or framing). */
  public static SyslogMessage parse(String line, ParseContext context)
      throws SyslogFormatException {
    Scanner s = new Scanner(line);
    OptionalInt pri = OptionalInt.empty();
    if (s.peek() == '<') {
      pri = OptionalInt.of(s.priority());
      if (s.peek() == '1' && s.peekAt(1) == ' ') {
        s.pos += 2;
        return rfc5424(s, pri);
      }
    }
    return rfc3164(s, pri, context);
  }

  private static SyslogMessage rfc5424(Scanner s, OptionalInt pri) throws SyslogFormatException {
    String ts = s.token("a timestamp");
    Optional<Instant> timestamp = Optional.empty();
    if (!ts.equals("-")) {
      try {
        timestamp = Optional.of(Rfc3339.parse(ts));
      } catch (IllegalArgumentException e) {
        throw new SyslogFormatException(
            "the RFC 5424 timestamp '" + ts + "' is not RFC 3339: " + e.getMessage(),
            s.pos - ts.length());
      }
    }
    s.space();
    Optional<String> host = nil(s.token("a host name"));
    s.space();
    Optional<String> app = nil(s.token("an app name"));
    s.space();
    Optional<String> procId = nil(s.token("a process id"));
    s.space();
    Optional<String> msgId = nil(s.token("a message id"));
    Map<String, String> sd = new LinkedHashMap<>();
    if (s.atEnd()) {
      return new SyslogMessage(
          s.line, SyslogMessage.Format.RFC5424, pri, timestamp, host, app, procId, msgId, sd, "");
    }
    s.space();
    if (s.peek() == '-') {
      s.pos++;
    } else if (s.peek() == '[') {
      s.structuredData(sd);
    } else {
      throw new SyslogFormatException("expected structured data ('[' or '-')", s.pos);
    }
    String text = "";
    if (!s.atEnd()) {
      if (s.peek() != ' ') {
        throw new SyslogFormatException("expected a space after the structured data", s.pos);
      }
      text = s.line.substring(s.pos + 1);
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1); // the BOM that marks UTF-8 text
      }
    }
    return new SyslogMessage(
        s.line, SyslogMessage.Format.RFC5424, pri, timestamp, host, app, procId, msgId, sd, text);
  }

  private static SyslogMessage rfc3164(Scanner s, OptionalInt pri, ParseContext context)
      throws SyslogFormatException {
    Instant timestamp;
    if (s.isDigit(s.peek())) {
      String ts = s.token("a timestamp");
      try {
        timestamp = Rfc3339.parse(ts);
      } catch (IllegalArgumentException e) {
        throw new SyslogFormatException(
            "expected a timestamp ('Nov 22 08:00:00' or RFC 3339), found '" + ts + "'",
            s.pos - ts.length());
      }
    } else {
      timestamp = s.bsdTimestamp(context);
    }
    // Then "HOST TAG: text", "TAG: text" or, from some senders, "HOST text".
    int afterTime = s.pos;
    if (s.peek() == ' ') {
      s.pos++;
    }
    Optional<String> host = Optional.empty();
    int first = s.pos;
    String word = s.word();
    if (!isTag(word)) {
      host = word.isEmpty() ? Optional.empty() : Optional.of(word);
      if (s.peek() == ' ') {
        s.pos++;
      }
      first = s.pos;
      word = s.word();
    }
    Optional<String> app = Optional.empty();
    Optional<String> procId = Optional.empty();
    if (isTag(word)) {
      String tag = word.endsWith(":") ? word.substring(0, word.length() - 1) : word;
      int bracket = tag.indexOf('[');
      if (bracket >= 0) {
        int close = tag.lastIndexOf(']');
        procId = Optional.of(tag.substring(bracket + 1, close > bracket ? close : tag.length()));
        tag = tag.substring(0, bracket);
      }
      app = tag.isEmpty() ? Optional.empty() : Optional.of(tag);
      if (s.peek() == ' ') {
        s.pos++;
      }
    } else {
      s.pos = first; // no tag: the text starts here
    }
    if (s.pos < afterTime) {
      s.pos = afterTime;
    }
    String text = s.line.substring(s.pos);
    return new SyslogMessage(
        s.line,
        SyslogMessage.Format.RFC3164,
        pri,
        Optional.of(timestamp),
        host,
        app,
        procId,
        Optional.empty(),
        Map.of(),
        text);
  }

  /** {@code prog:}, {@code prog[pid]:} or {@code prog[pid]} (some senders drop the colon). */
  private static boolean isTag(String word) {
    if (word.isEmpty()) {
      return false;
    }
    if (word.endsWith(":") && word.length() > 1) {
      return true;
    }
    return word.endsWith("]") && word.indexOf('[') > 0;
  }

  private static Optional<String> nil(String token) {
    return token.equals("-") ? Optional.empty() : Optional.of(token);
  }

  /** Cursor over the message. */
  private static final class Scanner {
    final String line;
    int pos;

    Scanner(String line) {
      this.line = line;
    }

    boolean atEnd() {
      return pos >= line.length();
    }

    char peek() {
      return peekAt(0);
    }

    char peekAt(int ahead) {
      int i = pos + ahead;
      return i < line.length() ? line.charAt(i) : '\0';
    }

    boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    int priority() throws SyslogFormatException {
      int start = pos;
      pos++; // '<'
      int value = 0;
      int digits = 0;
      while (isDigit(peek()) && digits < 4) {
        value = value * 10 + (peek() - '0');
        pos++;
        digits++;
      }
      if (digits == 0 || peek() != '>' || value > 191) {
        throw new SyslogFormatException("expected a priority '<0>' to '<191>' at the start", start);
      }
      pos++;
      return value;
    }

    /** The characters up to the next space or the end; empty at a space. */
    String token(String what) throws SyslogFormatException {
      int start = pos;
      while (pos < line.length() && line.charAt(pos) != ' ') {
        pos++;
      }
      if (pos == start) {
        throw new SyslogFormatException("expected " + what, start);
      }
      return line.substring(start, pos);
    }

    /** Like token, but may be empty. */
    String word() {
      int start = pos;
      while (pos < line.length() && line.charAt(pos) != ' ') {
        pos++;
      }
      return line.substring(start, pos);
    }

    void space() throws SyslogFormatException {
      if (peek() != ' ') {
        throw new SyslogFormatException("expected a space", pos);
      }
      pos++;
    }

    /** {@code Mmm dd hh:mm:ss}, {@code Mmm d ...}, optionally with a year or a fraction. */
    Instant bsdTimestamp(ParseContext context) throws SyslogFormatException {
      int start = pos;
      int month = -1;
      if (pos + 3 <= line.length()) {
        String m = line.substring(pos, pos + 3);
        for (int i = 0; i < MONTHS.length; i++) {
          if (MONTHS[i].equalsIgnoreCase(m)) {
            month = i + 1;
          }
        }
      }
      if (month < 0) {
        throw new SyslogFormatException(
            "expected a timestamp ('Nov 22 08:00:00' or RFC 3339) at the start", start);
      }
      pos += 3;
      skipSpaces();
      int day = number(1, 2, "a day of the month", start);
      skipSpaces();
      int year = -1;
      if (isDigit(peek())
          && isDigit(peekAt(1))
          && isDigit(peekAt(2))
          && isDigit(peekAt(3))
          && peekAt(4) == ' ') {
        year = number(4, 4, "a year", start);
        skipSpaces();
      }
      int hour = number(2, 2, "hh:mm:ss", start);
      expect(':', start);
      int minute = number(2, 2, "hh:mm:ss", start);
      expect(':', start);
      int second = number(2, 2, "hh:mm:ss", start);
      int nanos = 0;
      if (peek() == '.' && isDigit(peekAt(1))) {
        pos++;
        int digits = 0;
        while (isDigit(peek())) {
          if (digits < 9) {
            nanos = nanos * 10 + (peek() - '0');
          }
          digits++;
          pos++;
        }
        for (int d = digits; d < 9; d++) {
          nanos *= 10;
        }
      }
      try {
        if (year >= 0) {
          return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
              .atZone(context.zone())
              .toInstant();
        }
        return inferYear(month, day, hour, minute, second, nanos, context, start);
      } catch (DateTimeException e) {
        throw new SyslogFormatException(
            "'" + line.substring(start, pos) + "' is not a valid date and time", start);
      }
    }

    private Instant inferYear(
        int month, int day, int hour, int minute, int second, int nanos, ParseContext c, int start)
        throws SyslogFormatException {
      Instant latest = c.receivedAt().plus(FUTURE_TOLERANCE);
      int year = ZonedDateTime.ofInstant(latest, c.zone()).getYear();
      for (int y = year; y > year - 9; y--) {
        if (month == 2 && day == 29 && !java.time.Year.isLeap(y)) {
          continue;
        }
        Instant t =
            LocalDateTime.of(y, month, day, hour, minute, second, nanos)
                .atZone(c.zone())
                .toInstant();
        if (!t.isAfter(latest)) {
          return t;
        }
      }
      throw new SyslogFormatException("no recent year has the date February 29", start);
    }

    private void skipSpaces() {
      while (peek() == ' ') {
        pos++;
      }
    }

    private void expect(char c, int start) throws SyslogFormatException {
      if (peek() != c) {
        throw new SyslogFormatException(
            "expected a timestamp like 'Nov 22 08:00:00', found '"
                + line.substring(start, Math.min(line.length(), pos + 1))
                + "'",
            pos);
      }
      pos++;
    }

    private int number(int min, int max, String what, int start) throws SyslogFormatException {
      int value = 0;
      int digits = 0;
      while (isDigit(peek()) && digits < max) {
        value = value * 10 + (peek() - '0');
        pos++;
        digits++;
      }
      if (digits < min) {
        throw new SyslogFormatException(
            "expected "
                + what
                + " in the timestamp '"
                + line.substring(start, Math.min(line.length(), pos + 1))
                + "'",
            pos);
      }
      return value;
    }

    /** {@code [id k="v" k2="v2"][id2 ...]}; values may hold escaped {@code " \ ]}. */
    void structuredData(Map<String, String> out) throws SyslogFormatException {
      Map<String, StringBuilder> values = new LinkedHashMap<>();
      while (peek() == '[') {
        pos++;
        String id = name("an SD-ID");
        boolean hasParams = false;
        while (peek() == ' ') {
          hasParams = true;
          pos++;
          String param = name("a parameter name");
          if (peek() != '=' || peekAt(1) != '"') {
            throw new SyslogFormatException(
                "expected =\"value\" after the parameter " + param, pos);
          }
          pos += 2;
          StringBuilder value = new StringBuilder();
          while (true) {
            if (atEnd()) {
              throw new SyslogFormatException(
                  "the value of " + id + " " + param + " has no closing quote", pos);
            }
            char c = line.charAt(pos++);
            if (c == '\\' && !atEnd()) {
              char n = line.charAt(pos);
              if (n == '"' || n == '\\' || n == ']') {
                value.append(n);
                pos++;
                continue;
              }
            }
            if (c == '"') {
              break;
            }
            value.append(c);
          }
          StringBuilder joined = values.get(id + "." + param);
          if (joined == null) {
            values.put(id + "." + param, value);
          } else {
            joined.append(',').append(value);
          }
        }
        if (peek() != ']') {
          throw new SyslogFormatException("expected ']' to close the element " + id, pos);
        }
        pos++;
        if (!hasParams) {
          values.putIfAbsent(id, new StringBuilder()); // an element without parameters is kept too
        }
      }
      values.forEach((k, v) -> out.put(k, v.toString()));
    }

    private String name(String what) throws SyslogFormatException {
      int start = pos;
      while (pos < line.length()) {
        char c = line.charAt(pos);
        if (c == ' ' || c == '=' || c == ']' || c == '"' || c < 33 || c > 126) {
          break;
        }
        pos++;
      }
      if (pos == start) {
        throw new SyslogFormatException("expected " + what, start);
      }
      return line.substring(start, pos);
    }
  }
}
