package dev.trailwatch.ledger.checkpoint;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Seeded randomness for tests. {@link #SEED} comes from {@code -Dtests.seed} (decimal), else is
 * random; tests put it in their assertion messages so that any failure can be replayed.
 */
final class TestRandom {
  static final long SEED = initialSeed();

  private TestRandom() {}

  private static long initialSeed() {
    String property = System.getProperty("tests.seed");
    return property == null || property.isBlank()
        ? new SecureRandom().nextLong()
        : Long.parseLong(property.strip());
  }

  /** A generator for one test, derived from {@link #SEED} and the test's name. */
  static SplittableRandom forTest(String testName) {
    return new SplittableRandom(SEED ^ testName.hashCode());
  }

  /** A {@link SecureRandom} that is not secure at all: reproducible key generation in tests. */
  static SecureRandom secureRandom(long seed) {
    return new Deterministic(seed);
  }

  private static final class Deterministic extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final SplittableRandom random;

    Deterministic(long seed) {
      this.random = new SplittableRandom(seed);
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      random.nextBytes(bytes);
    }
  }
}
