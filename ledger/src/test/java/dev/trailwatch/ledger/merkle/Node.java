package dev.trailwatch.ledger.merkle;

/** Node (level, index) of the tree: the perfect subtree over leaves [index * 2^level, +2^level). */
record Node(int level, long index) {

  /** Returns whether this node is complete in a tree of {@code size} leaves. */
  boolean isInside(long size) {
    return (index + 1) << level <= size;
  }
}
