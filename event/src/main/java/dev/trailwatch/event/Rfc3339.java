package dev.trailwatch.event;

import java.time.Instant;

/**
 * RFC 3339 timestamps, parsed and written without regular expressions or {@code java.time}
 * formatters (this is on the ingest hot path).
 *
 * <p>Accepted: {@code YYYY-MM-DD}, a separator {@code T}, {@code t} or a space (RFC 3339 §5.6
 * note), {@code hh:mm:ss}, an optional fraction of 1 to 9 digits, then {@code Z}, {@code z} or an
 * offset {@code +hh:mm}/{@code -hh:mm} (hours 00-23, minutes 00-59). Dates are checked against the
 * calendar (no 2023-02-29). Leap seconds ({@code :60}) are rejected: an {@link Instant} cannot hold
 * them. The result must lie in {@link #MIN}..{@link #MAX} (years 0000 to 9999 in UTC), the range
 * that four year digits can write back.
 *
 * <p>Written ({@link #format}): always the 30-character UTC form {@code
 * YYYY-MM-DDThh:mm:ss.nnnnnnnnnZ}, with exactly nine fraction digits, so that equal instants give
 * equal text and text order is time order.
 */
public final class Rfc3339 {
  /** The earliest instant that can be written: {@code 0000-01-01T00:00:00Z}. */
  public static final Instant MIN = Instant.ofEpochSecond(-62_167_219_200L);

  /** The latest instant that can be written: {@code 9999-12-31T23:59:59.999999999Z}. */
  public static final Instant MAX = Instant.ofEpochSecond(253_402_300_799L, 999_999_999);

  /** Length of the canonical form written by {@link #format}. */
  static final int CANONICAL_LENGTH = 30;

  private static final String EXAMPLE = "2024-05-01T12:34:56.789Z";

  private Rfc3339() {}

  /**
   * Parses an RFC 3339 date-time.
   *
   * @throws IllegalArgumentException with a message that quotes the input and names the problem
   */
  public static Instant parse(CharSequence text) {
    return parse(new Chars(text));
  }

  /** Parses {@code chars[offset, offset + length)}, as {@link #parse(CharSequence)}. */
  static Instant parse(char[] chars, int offset, int length) {
    return parse(new Chars(chars, offset, length));
  }

  /** A char view without virtual calls on the hot path. */
  private static final class Chars implements CharSequence {
    private final char[] a;
    private final int offset;
    private final int length;

    Chars(char[] a, int offset, int length) {
      this.a = a;
      this.offset = offset;
      this.length = length;
    }

    Chars(CharSequence text) {
      this(text.toString().toCharArray(), 0, text.length());
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public char charAt(int index) {
      if (index < 0 || index >= length) {
        throw new IndexOutOfBoundsException(index);
      }
      return a[offset + index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return toString().substring(start, end);
    }

    @Override
    public String toString() {
      return new String(a, offset, length);
    }
  }

  private static Instant parse(Chars text) {
    int len = text.length();
    if (len < 20) {
      throw error(text, "too short for a date and time with offset");
    }
    int year = digits(text, 0, 4, "year");
    expect(text, 4, '-', "after the year");
    int month = digits(text, 5, 2, "month");
    expect(text, 7, '-', "after the month");
    int day = digits(text, 8, 2, "day");
    char sep = text.charAt(10);
    if (sep != 'T' && sep != 't' && sep != ' ') {
      throw error(
          text, "expected 'T' between date and time, found " + describe(sep) + " at position 11");
    }
    int hour = digits(text, 11, 2, "hour");
    expect(text, 13, ':', "after the hour");
    int minute = digits(text, 14, 2, "minute");
    expect(text, 16, ':', "after the minutes (seconds are required)");
    int second = digits(text, 17, 2, "second");
    if (month < 1 || month > 12) {
      throw error(text, "month " + two(month) + " is not 01-12");
    }
    if (day < 1 || day > daysInMonth(year, month)) {
      throw error(text, "day " + two(day) + " does not exist in " + four(year) + "-" + two(month));
    }
    if (hour > 23) {
      throw error(text, "hour " + two(hour) + " is not 00-23");
    }
    if (minute > 59) {
      throw error(text, "minute " + two(minute) + " is not 00-59");
    }
    if (second == 60) {
      throw error(text, "leap second :60 cannot be stored; send :59.999999999 instead");
    }
    if (second > 59) {
      throw error(text, "second " + two(second) + " is not 00-59");
    }
    int i = 19;
    int nanos = 0;
    if (text.charAt(i) == '.') {
      i++;
      int start = i;
      while (i < len && isDigit(text.charAt(i))) {
        if (i - start < 9) {
          nanos = nanos * 10 + (text.charAt(i) - '0');
        }
        i++;
      }
      int n = i - start;
      if (n == 0) {
        throw error(text, "a '.' must be followed by fraction digits");
      }
      if (n > 9) {
        throw error(text, "it has " + n + " fraction digits; at most 9 (nanoseconds) are kept");
      }
      for (int k = n; k < 9; k++) {
        nanos *= 10;
      }
    }
    if (i >= len) {
      throw error(text, "the offset is missing: end with 'Z' for UTC or an offset like +02:00");
    }
    int offsetSeconds;
    char z = text.charAt(i);
    if (z == 'Z' || z == 'z') {
      offsetSeconds = 0;
      i++;
    } else if (z == '+' || z == '-') {
      if (len - i < 6 || text.charAt(i + 3) != ':') {
        throw error(text, "the offset must be written ±hh:mm, like +02:00");
      }
      int oh = digits(text, i + 1, 2, "offset hours");
      int om = digits(text, i + 4, 2, "offset minutes");
      if (oh > 23 || om > 59) {
        throw error(text, "offset " + text.subSequence(i, i + 6) + " is out of range");
      }
      offsetSeconds = (z == '-' ? -1 : 1) * (oh * 3600 + om * 60);
      i += 6;
    } else {
      throw error(
          text,
          "expected 'Z' or an offset like +02:00 at position "
              + (i + 1)
              + ", found "
              + describe(z));
    }
    if (i != len) {
      throw error(text, "unexpected text after the offset at position " + (i + 1));
    }
    long epochSecond =
        daysFromCivil(year, month, day) * 86_400L
            + hour * 3600L
            + minute * 60L
            + second
            - offsetSeconds;
    if (epochSecond < MIN.getEpochSecond() || epochSecond > MAX.getEpochSecond()) {
      throw error(text, "it is outside the years 0000-9999 in UTC");
    }
    return Instant.ofEpochSecond(epochSecond, nanos);
  }

  /**
   * The canonical 30-character UTC form {@code YYYY-MM-DDThh:mm:ss.nnnnnnnnnZ}.
   *
   * @throws IllegalArgumentException when {@code t} is outside {@link #MIN}..{@link #MAX}
   */
  public static String format(Instant t) {
    byte[] out = new byte[CANONICAL_LENGTH];
    format(t, out, 0);
    return new String(out, java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Writes the 30 ASCII bytes of {@link #format(Instant)} into {@code out} at {@code pos}. */
  static void format(Instant t, byte[] out, int pos) {
    requireInRange(t);
    long seconds = t.getEpochSecond();
    long days = Math.floorDiv(seconds, 86_400L);
    int secOfDay = (int) Math.floorMod(seconds, 86_400L);
    // civil_from_days (H. Hinnant), valid far beyond 0000-9999.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    put(out, pos, year, 4);
    out[pos + 4] = '-';
    put(out, pos + 5, month, 2);
    out[pos + 7] = '-';
    put(out, pos + 8, day, 2);
    out[pos + 10] = 'T';
    formatTime(secOfDay, t.getNano(), out, pos + DATE_LENGTH);
  }

  /** Length of the date part of the canonical form, {@code YYYY-MM-DDT}. */
  static final int DATE_LENGTH = 11;

  /**
   * Writes the 19 bytes after the date part, {@code hh:mm:ss.nnnnnnnnnZ}, into {@code out} at
   * {@code pos}: for a writer that already has the date of the same day.
   */
  static void formatTime(int secOfDay, int nano, byte[] out, int pos) {
    put(out, pos, secOfDay / 3600, 2);
    out[pos + 2] = ':';
    put(out, pos + 3, secOfDay / 60 % 60, 2);
    out[pos + 5] = ':';
    put(out, pos + 6, secOfDay % 60, 2);
    out[pos + 8] = '.';
    put(out, pos + 9, nano, 9);
    out[pos + 18] = 'Z';
  }

  /** True when {@code t} can be written: inside {@link #MIN}..{@link #MAX}. */
  static boolean inRange(Instant t) {
    return !t.isBefore(MIN) && !t.isAfter(MAX);
  }

  static void requireInRange(Instant t) {
    if (!inRange(t)) {
      throw new IllegalArgumentException(
          t + " is outside the years 0000-9999 (UTC) that RFC 3339 can write");
    }
  }

  /** "00".."99" as bytes: two digits per lookup. */
  private static final byte[] PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      PAIRS[2 * i] = (byte) ('0' + i / 10);
      PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private static void put(byte[] out, int pos, int value, int width) {
    int k = pos + width;
    while (k - pos >= 2) {
      int pair = value % 100;
      value /= 100;
      out[--k] = PAIRS[2 * pair + 1];
      out[--k] = PAIRS[2 * pair];
    }
    if (k > pos) {
      out[--k] = (byte) ('0' + value % 10);
    }
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
  static long daysFromCivil(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }

  private static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  private static int digits(CharSequence text, int from, int count, String what) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (!isDigit(c)) {
        throw error(
            text,
            "expected a digit of the "
                + what
                + " at position "
                + (i + 1)
                + ", found "
                + describe(c));
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static void expect(CharSequence text, int at, char wanted, String where) {
    char c = text.charAt(at);
    if (c != wanted) {
      throw error(
          text,
          "expected '"
              + wanted
              + "' "
              + where
              + " at position "
              + (at + 1)
              + ", found "
              + describe(c));
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String describe(char c) {
    return c < 0x20 || c == 0x7f
        ? String.format(java.util.Locale.ROOT, "U+%04X", (int) c)
        : "'" + c + "'";
  }

  private static String two(int v) {
    return v < 10 ? "0" + v : Integer.toString(v);
  }

  private static String four(int v) {
    String s = Integer.toString(v);
    return "0000".substring(s.length()) + s;
  }

  private static IllegalArgumentException error(CharSequence text, String problem) {
    return new IllegalArgumentException(
        Texts.quote(text.toString())
            + " is not an RFC 3339 timestamp like "
            + EXAMPLE
            + ": "
            + problem);
  }
}
