package dev.trailwatch.search.timeline;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.event.Rfc3339;
import dev.trailwatch.search.query.QueryException;
import dev.trailwatch.search.query.TimeExpressions;
import dev.trailwatch.search.query.TimeRange;
import dev.trailwatch.search.query.Words;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a timeline is asked for: the events of {@code entity} from {@code around - window} to {@code
 * around + window}, both included, at most {@code limit} of them.
 */
public record TimelineQuery(Entity entity, Instant around, Duration window, int limit) {
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
  public static final Duration MAX_WINDOW = Duration.ofDays(7);
  public static final int DEFAULT_LIMIT = 1_000;
  public static final int MAX_LIMIT = 10_000;

  public TimelineQuery {
    requireNonNull(entity, "entity");
    requireNonNull(around, "around");
    requireNonNull(window, "window");
    if (window.isNegative() || window.compareTo(MAX_WINDOW) > 0) {
      throw new IllegalArgumentException("window " + window + " is outside 0.." + MAX_WINDOW);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit " + limit + " is outside 1.." + MAX_LIMIT);
    }
  }

  /**
   * Reads the parameters {@code entity} (required), {@code around} (RFC 3339 or relative like
   * {@code now-2h}; default now), {@code window} (like {@code 15m}; default 1h, at most 7d) and
   * {@code limit} (default 1,000, at most 10,000).
   *
   * @throws QueryException whose {@link QueryException#problem()} starts with the parameter's name
   *     and says what to send instead
   */
  public static TimelineQuery parse(
      Optional<String> entity,
      Optional<String> around,
      Optional<String> window,
      Optional<String> limit,
      Instant now)
      throws QueryException {
    if (entity.isEmpty() || entity.get().isBlank()) {
      throw problem("entity: required, like entity=user.name:alice");
    }
    Entity e;
    try {
      e = Entity.parse(entity.get());
    } catch (IllegalArgumentException bad) {
      throw problem("entity: " + bad.getMessage());
    }
    Instant at = around.isPresent() ? TimeExpressions.parse(around.get(), "around", now) : now;
    Duration w = DEFAULT_WINDOW;
    if (window.isPresent()) {
      w = TimeExpressions.duration(window.get(), "window");
      if (w.compareTo(MAX_WINDOW) > 0) {
        throw problem("window: at most 7d; for a longer span, ask for several windows");
      }
    }
    if (at.minus(w).isBefore(Rfc3339.MIN) || at.plus(w).isAfter(Rfc3339.MAX)) {
      throw problem(
          "around: the window around " + Rfc3339.format(at) + " leaves the years 0000-9999");
    }
    int n = DEFAULT_LIMIT;
    if (limit.isPresent()) {
      try {
        n = Integer.parseInt(limit.get());
      } catch (NumberFormatException notANumber) {
        n = -1;
      }
      if (n < 1 || n > MAX_LIMIT) {
        throw problem(
            "limit: '"
                + Words.shorten(limit.get())
                + "' is not a whole number from 1 to "
                + MAX_LIMIT);
      }
    }
    return new TimelineQuery(e, at, w, n);
  }

  /** The window as a search range: {@code [around - window, around + window]}. */
  public TimeRange range() {
    return new TimeRange(around.minus(window), around.plus(window).plusNanos(1));
  }

  private static QueryException problem(String message) {
    return new QueryException(1, 1, message);
  }
}
