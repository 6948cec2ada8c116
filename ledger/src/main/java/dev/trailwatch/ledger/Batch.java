package dev.trailwatch.ledger;

import java.util.List;
import java.util.Objects;

/**
 * Payloads to append as consecutive entries: separate arrays ({@link #of}), or packed back to back
 * in one array ({@link #packed}), so that a producer of many small entries, such as an import,
 * allocates nothing per entry.
 *
 * <p>The ledger reads the arrays until the append's future completes: they must not change before
 * then (after it, the producer may reuse them).
 */
public final class Batch {
  private final byte[][] arrays; // null when packed
  private final byte[] data; // null when separate
  private final int[] ends;
  private final int count;

  private Batch(byte[][] arrays, byte[] data, int[] ends, int count) {
    this.arrays = arrays;
    this.data = data;
    this.ends = ends;
    this.count = count;
  }

  /** The payloads of a list, one entry each. */
  public static Batch of(List<byte[]> payloads) {
    byte[][] arrays = payloads.toArray(new byte[0][]);
    for (byte[] a : arrays) {
      Objects.requireNonNull(a, "payload");
    }
    return new Batch(arrays, null, null, arrays.length);
  }

  /**
   * {@code count} payloads packed in {@code data}: entry {@code i} is {@code data[ends[i - 1],
   * ends[i])}, the first starting at 0.
   */
  public static Batch packed(byte[] data, int[] ends, int count) {
    Objects.requireNonNull(data, "data");
    if (count < 0 || count > ends.length) {
      throw new IllegalArgumentException(count + " entries, but " + ends.length + " ends");
    }
    int previous = 0;
    for (int i = 0; i < count; i++) {
      if (ends[i] < previous || ends[i] > data.length) {
        throw new IllegalArgumentException(
            "entry " + i + " ends at " + ends[i] + ", outside " + previous + ".." + data.length);
      }
      previous = ends[i];
    }
    return new Batch(null, data, ends, count);
  }

  /** The number of entries. */
  public int size() {
    return count;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  /** The array holding entry {@code i}. */
  byte[] array(int i) {
    return arrays != null ? arrays[i] : data;
  }

  /** Where entry {@code i} starts in {@link #array}. */
  int offset(int i) {
    return arrays != null || i == 0 ? 0 : ends[i - 1];
  }

  /** The length of entry {@code i}. */
  int length(int i) {
    return arrays != null ? arrays[i].length : ends[i] - offset(i);
  }
}
