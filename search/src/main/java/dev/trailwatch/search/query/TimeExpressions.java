package dev.trailwatch.search.query;

import dev.trailwatch.event.Rfc3339;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The times of {@code --from}/{@code --to} (and {@code from}/{@code to} in the API): an RFC 3339
 * time such as {@code 2026-11-02T10:00:00Z}, {@code now}, or {@code now} plus or minus an amount of
 * a unit, such as {@code now-15m}. Units: {@code s}, {@code m}, {@code h}, {@code d} (24 hours) and
 * {@code w} (7 days); months and years have no fixed length and are not offered. Durations of
 * {@code timechart span=} use the same units.
 *
 * <p>{@code now} is read once per range from the {@link InstantSource} given, so that {@code from}
 * and {@code to} agree; tests pass a fixed clock.
 */
public final class TimeExpressions {
  /** How far back a search looks when {@code from} is not given. */
  public static final Duration DEFAULT_LOOKBACK = Duration.ofHours(24);

  private static final String UNITS = "s, m, h, d or w";

  private TimeExpressions() {}

  /**
   * The window from {@code from} to {@code to}; without {@code from} it is {@code now-24h}, without
   * {@code to} it is {@code now}.
   *
   * @throws QueryException when either cannot be read, or {@code from} is after {@code to}; the
   *     message names the parameter and the column in it
   */
  public static TimeRange range(Optional<String> from, Optional<String> to, InstantSource clock)
      throws QueryException {
    Instant now = clock.instant();
    Instant start = from.isPresent() ? parse(from.get(), "from", now) : now.minus(DEFAULT_LOOKBACK);
    Instant end = to.isPresent() ? parse(to.get(), "to", now) : now;
    if (start.isAfter(end)) {
      throw new QueryException(
          1,
          1,
          "from: "
              + Rfc3339.format(start)
              + " is after to, "
              + Rfc3339.format(end)
              + ": the range must not end before it starts");
    }
    return new TimeRange(start, end);
  }

  /**
   * One time expression.
   *
   * @param name what the expression is, for messages: {@code from}, {@code to}
   * @throws QueryException with the column of the problem in {@code text}
   */
  public static Instant parse(String text, String name, Instant now) throws QueryException {
    if (text.startsWith("now")) {
      return relative(text, name, now);
    }
    try {
      return Rfc3339.parse(text);
    } catch (IllegalArgumentException e) {
      String problem =
          !text.isEmpty() && Character.isDigit(text.charAt(0))
              ? e.getMessage()
              : "'"
                  + Words.shorten(text)
                  + "' is neither a time like 2026-11-02T10:00:00Z nor one like now-15m";
      throw QueryException.at(text, 0, name + ": " + problem);
    }
  }

  private static Instant relative(String text, String name, Instant now) throws QueryException {
    if (text.length() == 3) {
      return now;
    }
    char sign = text.charAt(3);
    if (sign != '-' && sign != '+') {
      throw QueryException.at(text, 3, name + ": expected '-' or '+' after 'now', like now-15m");
    }
    Duration amount;
    try {
      amount = duration(text.substring(4));
    } catch (IllegalArgumentException e) {
      throw QueryException.at(text, 4, name + ": " + e.getMessage());
    }
    // At most 999,999,999 weeks: far inside what an Instant can hold.
    Instant t = sign == '-' ? now.minus(amount) : now.plus(amount);
    if (t.isBefore(Rfc3339.MIN) || t.isAfter(Rfc3339.MAX)) {
      throw QueryException.at(text, 0, name + ": '" + text + "' is outside the years 0000-9999");
    }
    return t;
  }

  /**
   * An amount and a unit, like {@code 15m}, given as {@code name} (a parameter or option).
   *
   * @throws QueryException naming {@code name} and saying what to write instead
   */
  public static Duration duration(String text, String name) throws QueryException {
    try {
      return duration(text);
    } catch (IllegalArgumentException e) {
      throw QueryException.at(text, 0, name + ": " + e.getMessage());
    }
  }

  /**
   * An amount and a unit, like {@code 15m}.
   *
   * @throws IllegalArgumentException saying what is wrong, for the caller to place
   */
  static Duration duration(String text) {
    int i = 0;
    while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException(
          "expected an amount and a unit ("
              + UNITS
              + "), like 15m, not '"
              + Words.shorten(text)
              + "'");
    }
    if (i > 9) {
      throw new IllegalArgumentException("the amount '" + Words.shorten(text) + "' is too large");
    }
    long amount = Long.parseLong(text.substring(0, i));
    String unit = text.substring(i);
    Duration one =
        switch (unit) {
          case "s" -> Duration.ofSeconds(1);
          case "m" -> Duration.ofMinutes(1);
          case "h" -> Duration.ofHours(1);
          case "d" -> Duration.ofDays(1);
          case "w" -> Duration.ofDays(7);
          case "" ->
              throw new IllegalArgumentException(
                  "the amount " + amount + " needs a unit: " + UNITS + ", like " + amount + "m");
          case "M", "y", "mo" ->
              throw new IllegalArgumentException(
                  "'"
                      + unit
                      + "' is not a unit: months and years have no fixed length; use "
                      + UNITS);
          default ->
              throw new IllegalArgumentException(
                  "'" + Words.shorten(unit) + "' is not a unit; use " + UNITS);
        };
    return one.multipliedBy(amount);
  }
}
