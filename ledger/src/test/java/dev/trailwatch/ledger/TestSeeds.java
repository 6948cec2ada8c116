package dev.trailwatch.ledger;

import java.util.SplittableRandom;

/** The seed of a randomized test: {@code -Dtests.seed=N} to reproduce a failure, else random. */
final class TestSeeds {
  private TestSeeds() {}

  static long seed() {
    String s = System.getProperty("tests.seed");
    return s != null && !s.isBlank() ? Long.parseLong(s.trim()) : new SplittableRandom().nextLong();
  }
}
