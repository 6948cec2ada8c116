package dev.trailwatch.ledger.merkle;

import java.util.SplittableRandom;

/**
 * The seed of every randomised test in this package: {@code -Dtests.seed=<long>} (decimal, or hex
 * with 0x) when given, else random. Tests put it in their assertion messages, so that any failure
 * can be replayed with {@code ./mvnw -pl ledger verify -Dtests.seed=<seed>}.
 */
final class TestSeed {

  static final long SEED = chooseSeed();

  private TestSeed() {}

  /** A generator for one test, derived from {@link #SEED} and a per-test salt. */
  static SplittableRandom random(long salt) {
    return new SplittableRandom(SEED ^ salt * 0x9E3779B97F4A7C15L);
  }

  private static long chooseSeed() {
    String property = System.getProperty("tests.seed");
    long seed = property != null ? Long.decode(property) : new SplittableRandom().nextLong();
    System.out.println("merkle tests: -Dtests.seed=" + seed);
    return seed;
  }
}
