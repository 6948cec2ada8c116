package dev.trailwatch.ledger.merkle;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Leaf data for tests. */
final class Leaves {

  private Leaves() {}

  /**
   * Returns {@code count} leaves of 8 to 72 bytes: the leaf's index, then random bytes. The index
   * makes every leaf distinct, so that no proof for one leaf is also a valid proof for another.
   */
  static List<byte[]> random(SplittableRandom random, int count) {
    List<byte[]> leaves = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] leaf = new byte[Long.BYTES + random.nextInt(65)];
      random.nextBytes(leaf);
      ByteBuffer.wrap(leaf).putLong(i);
      leaves.add(leaf);
    }
    return leaves;
  }

  /** Returns the leaf hashes, computed by the reference. */
  static List<byte[]> hashes(List<byte[]> leaves) {
    return leaves.stream().map(ReferenceTree::leafHash).toList();
  }
}
