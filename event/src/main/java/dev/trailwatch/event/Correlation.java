package dev.trailwatch.event;

import java.util.Optional;

/**
 * Ids that tie events together.
 *
 * @param sessionId {@code session.id}
 * @param traceId {@code trace.id}
 */
public record Correlation(Optional<String> sessionId, Optional<String> traceId) {
  /** No correlation ids. */
  public static final Correlation NONE = new Correlation(Optional.empty(), Optional.empty());

  public Correlation {
    Checks.keyword(Field.SESSION_ID, sessionId);
    Checks.keyword(Field.TRACE_ID, traceId);
  }

  /** True when no id is set. */
  public boolean isEmpty() {
    return sessionId.isEmpty() && traceId.isEmpty();
  }
}
