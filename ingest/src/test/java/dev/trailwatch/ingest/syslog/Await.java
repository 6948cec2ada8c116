package dev.trailwatch.ingest.syslog;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls until a condition holds, for at most 30 seconds; no timing is asserted. */
final class Await {
  static final Duration CEILING = Duration.ofSeconds(30);

  private Await() {}

  /**
   * Waits until {@code condition} holds; fails with {@code what} and {@code state} if it never
   * does.
   */
  static void until(String what, BooleanSupplier condition, Supplier<?> state) {
    long deadline = System.nanoTime() + CEILING.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + CEILING + " for " + what + "; state: " + state.get());
      }
      sleep(10);
    }
  }

  static void until(String what, BooleanSupplier condition) {
    until(what, condition, () -> "");
  }

  /**
   * Waits until {@code value} stops changing: the same in two samples {@code interval} apart (a
   * sender that is blocked). Returns the stable value.
   */
  static long stable(String what, Supplier<Long> value, Duration interval) {
    long deadline = System.nanoTime() + CEILING.toNanos();
    long last = value.get();
    while (true) {
      sleep(interval.toMillis());
      long now = value.get();
      if (now == last) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + CEILING + " for " + what + " to stop changing");
      }
      last = now;
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
