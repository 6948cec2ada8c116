package dev.trailwatch.search.query;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The time window of a search: events with {@code from <= @timestamp < to}. Like Splunk's {@code
 * earliest}/{@code latest}, the end is exclusive, so consecutive windows never count an event
 * twice. {@link TimeExpressions#range} makes one from {@code --from}/{@code --to}.
 */
public record TimeRange(Instant from, Instant to) {
  public TimeRange {
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from " + from + " is after to " + to);
    }
  }

  /** True when {@code t} lies in the window. */
  public boolean contains(Instant t) {
    return !t.isBefore(from) && t.isBefore(to);
  }
}
