package dev.trailwatch.event.sample;

/**
 * SplitMix64 (Steele, Lea, Flood 2014), written out here so that generated data never depends on a
 * JDK's random algorithms. Not thread-safe.
 */
final class SplitMix64 {
  private long state;

  SplitMix64(long seed) {
    this.state = seed;
  }

  long nextLong() {
    long z = (state += 0x9e3779b97f4a7c15L);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, bound), bound > 0 (Lemire's multiply-and-reject, unbiased). */
  int nextInt(int bound) {
    long m = (nextLong() >>> 32) * bound;
    long low = m & 0xffffffffL;
    if (low < bound) {
      long threshold = (0x1_0000_0000L - bound) % bound;
      while (low < threshold) {
        m = (nextLong() >>> 32) * bound;
        low = m & 0xffffffffL;
      }
    }
    return (int) (m >>> 32);
  }

  /** Uniform in [from, to], inclusive. */
  int between(int from, int to) {
    return from + nextInt(to - from + 1);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  boolean chance(double probability) {
    return nextDouble() < probability;
  }

  <T> T pick(T[] values) {
    return values[nextInt(values.length)];
  }

  /** An index drawn with the given cumulative weights (last entry = total). */
  int weighted(double[] cumulative) {
    double x = nextDouble() * cumulative[cumulative.length - 1];
    for (int i = 0; i < cumulative.length; i++) {
      if (x < cumulative[i]) {
        return i;
      }
    }
    return cumulative.length - 1;
  }

  /** Lowercase hex digits. */
  String hex(int digits) {
    char[] out = new char[digits];
    long bits = 0;
    for (int i = 0; i < digits; i++) {
      if (i % 16 == 0) {
        bits = nextLong();
      }
      out[i] = Character.forDigit((int) (bits & 0xf), 16);
      bits >>>= 4;
    }
    return new String(out);
  }

  /** Characters drawn from {@code alphabet}. */
  String chars(String alphabet, int count) {
    char[] out = new char[count];
    for (int i = 0; i < count; i++) {
      out[i] = alphabet.charAt(nextInt(alphabet.length()));
    }
    return new String(out);
  }

  /** A random version 4 UUID string. */
  String uuid() {
    String h = hex(32);
    return h.substring(0, 8)
        + "-"
        + h.substring(8, 12)
        + "-4"
        + h.substring(13, 16)
        + "-"
        + "89ab".charAt(nextInt(4))
        + h.substring(17, 20)
        + "-"
        + h.substring(20, 32);
  }

  static double[] cumulative(double... weights) {
    double[] out = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      out[i] = sum;
    }
    return out;
  }
}
