package dev.trailwatch.ledger.merkle;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Builds root hashes and RFC 9162 proofs from the perfect-subtree hashes that a {@link NodeReader}
 * serves. Each method reads O(log size) nodes, all of them complete nodes inside the tree size it
 * was given, and computes the rest.
 *
 * <p>Pure: no state, no I/O except through the reader. The hasher is used, so the calling thread
 * must own it.
 */
public final class Proofs {

  private Proofs() {}

  /**
   * Returns MTH(D[0:size]), the root hash of the first {@code size} leaves; the empty-tree hash for
   * size 0, without reading.
   *
   * @throws IllegalArgumentException if size is negative
   * @throws IOException if the reader fails or returns something that is not a 32-byte hash
   */
  public static byte[] root(long size, NodeReader nodes, Rfc6962Hasher h) throws IOException {
    if (size < 0) {
      throw new IllegalArgumentException("tree size must not be negative, got " + size);
    }
    return rangeHash(0, size, nodes, h);
  }

  /**
   * Returns MTH(D[from:to]), the RFC 6962 hash of leaves {@code [from, to)} taken as a tree of
   * their own; the empty-tree hash if {@code from == to}.
   *
   * <p>With k the largest power of two smaller than {@code n = to - from}, MTH(D[from:to]) is
   * H(MTH(D[from:from+k]), MTH(D[from+k:to])). It can be assembled from at most 63 stored nodes
   * only if {@code from} is a multiple of k, so that D[from:from+k] is a node; every range that
   * roots and proofs need has this form (for example any range that starts at 0, or any node).
   * Other ranges are rejected rather than read leaf by leaf.
   *
   * @throws IllegalArgumentException if {@code from < 0}, {@code to < from}, or {@code from} is not
   *     a multiple of k
   * @throws IOException if the reader fails or returns something that is not a 32-byte hash
   */
  public static byte[] rangeHash(long from, long to, NodeReader nodes, Rfc6962Hasher h)
      throws IOException {
    requireNonNull(nodes, "nodes");
    requireNonNull(h, "h");
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(
          "range [" + from + ", " + to + ") must have 0 <= from <= to");
    }
    long n = to - from;
    if (n == 0) {
      return h.emptyRoot();
    }
    if (n > 1 && from % Long.highestOneBit(n - 1) != 0) {
      throw new IllegalArgumentException(
          "range ["
              + from
              + ", "
              + to
              + ") cannot be assembled from nodes: from must be a multiple of "
              + Long.highestOneBit(n - 1));
    }
    // Split off the left subtree of each level of the recursion until what remains is a node.
    List<byte[]> parts = new ArrayList<>();
    long start = from;
    long remaining = n;
    while (Long.bitCount(remaining) != 1 || start % remaining != 0) {
      long k = Long.highestOneBit(remaining - 1);
      parts.add(node(nodes, start, k));
      start += k;
      remaining -= k;
    }
    byte[] hash = node(nodes, start, remaining);
    for (int i = parts.size() - 1; i >= 0; i--) {
      h.hashChildren(parts.get(i), 0, hash, 0, hash, 0);
    }
    return hash;
  }

  /**
   * Returns the RFC 9162 section 2.1.3.1 inclusion proof PATH(index, D[0:size]) for the leaf at
   * {@code index}: the sibling hashes from the leaf up to the root (leaf side first). Empty for a
   * tree of one leaf.
   *
   * @throws IllegalArgumentException unless {@code 0 <= index < size}
   * @throws IOException if the reader fails or returns something that is not a 32-byte hash
   */
  public static List<byte[]> inclusion(long index, long size, NodeReader nodes, Rfc6962Hasher h)
      throws IOException {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException(
          "leaf index " + index + " is out of range for tree size " + size);
    }
    // Walk down from the root; the RFC lists the siblings from the bottom up.
    List<byte[]> proof = new ArrayList<>();
    long start = 0;
    long n = size;
    long m = index;
    while (n > 1) {
      long k = Long.highestOneBit(n - 1);
      if (m < k) {
        proof.add(rangeHash(start + k, start + n, nodes, h));
        n = k;
      } else {
        proof.add(rangeHash(start, start + k, nodes, h));
        start += k;
        m -= k;
        n -= k;
      }
    }
    Collections.reverse(proof);
    return Collections.unmodifiableList(proof);
  }

  /**
   * Returns the RFC 9162 section 2.1.4.1 consistency proof PROOF(oldSize, D[0:newSize]) =
   * SUBPROOF(oldSize, D[0:newSize], true). Empty if {@code oldSize == newSize} or {@code oldSize ==
   * 0}, where there is nothing to prove.
   *
   * @throws IllegalArgumentException unless {@code 0 <= oldSize <= newSize}
   * @throws IOException if the reader fails or returns something that is not a 32-byte hash
   */
  public static List<byte[]> consistency(
      long oldSize, long newSize, NodeReader nodes, Rfc6962Hasher h) throws IOException {
    if (oldSize < 0 || oldSize > newSize) {
      throw new IllegalArgumentException(
          "tree sizes must have 0 <= oldSize <= newSize, got oldSize "
              + oldSize
              + " and newSize "
              + newSize);
    }
    if (oldSize == 0 || oldSize == newSize) {
      return List.of();
    }
    // SUBPROOF(m, D[start:start+n], b), walked from the root down; the RFC lists the bottom first.
    List<byte[]> proof = new ArrayList<>();
    long start = 0;
    long n = newSize;
    long m = oldSize;
    // The RFC's b: D[start:start+m] is still the whole old tree, whose root the verifier has.
    boolean wholeOldTree = true;
    while (m < n) {
      long k = Long.highestOneBit(n - 1);
      if (m <= k) {
        proof.add(rangeHash(start + k, start + n, nodes, h));
        n = k;
      } else {
        proof.add(rangeHash(start, start + k, nodes, h));
        start += k;
        m -= k;
        n -= k;
        wholeOldTree = false;
      }
    }
    if (!wholeOldTree) {
      proof.add(rangeHash(start, start + m, nodes, h));
    }
    Collections.reverse(proof);
    return Collections.unmodifiableList(proof);
  }

  /** Reads the node covering [start, start + width), width a power of two dividing start. */
  private static byte[] node(NodeReader nodes, long start, long width) throws IOException {
    int level = Long.numberOfTrailingZeros(width);
    return Nodes.read(nodes, level, start >>> level);
  }
}
