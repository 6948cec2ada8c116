package dev.trailwatch.search.query;

import java.util.SplittableRandom;

/**
 * The seed of this module's randomised tests, with the convention of the event module: {@code
 * -Dtests.seed=N} replays a run, otherwise each run picks a seed and prints it.
 */
public final class TestSeeds {
  private static final long SEED = pick();

  private TestSeeds() {}

  /** A seed for one named use, derived from the run's seed so that uses do not share a stream. */
  public static long seed(String purpose) {
    return SEED ^ (purpose.hashCode() * 0x9e3779b97f4a7c15L);
  }

  /** How to replay the run, for assertion messages. */
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
