package dev.trailwatch.event;

import java.util.SplittableRandom;

/**
 * The seed of randomised tests: {@code -Dtests.seed=N} to reproduce a run, else a random one. It is
 * printed once and every assertion that depends on it names it.
 */
public final class TestSeeds {
  private static final long SEED = pick();

  private TestSeeds() {}

  /** The run's seed. */
  public static long seed() {
    return SEED;
  }

  /** A seed derived from the run's seed for one named use, so that tests do not share streams. */
  public static long seed(String purpose) {
    return SEED ^ (purpose.hashCode() * 0x9e3779b97f4a7c15L);
  }

  /** How to reproduce: for assertion messages. */
  public static String reproduce() {
    return "reproduce with -Dtests.seed=" + SEED;
  }

  private static long pick() {
    String given = System.getProperty("tests.seed");
    long seed =
        given != null && !given.isBlank()
            ? Long.parseLong(given.strip())
            : new SplittableRandom().nextLong();
    System.out.println("tests.seed=" + seed);
    return seed;
  }
}
