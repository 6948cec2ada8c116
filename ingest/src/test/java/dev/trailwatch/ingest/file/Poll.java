package dev.trailwatch.ingest.file;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for what another thread does: a condition, polled, with a 30 s ceiling. */
final class Poll {
  static final Duration CEILING = Duration.ofSeconds(30);

  private Poll() {}

  static void until(String what, BooleanSupplier condition) {
    until(() -> what, condition);
  }

  static void until(Supplier<String> what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + CEILING.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("still not true after " + CEILING.toSeconds() + " s: " + what.get());
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting until " + what.get());
      }
    }
  }
}
