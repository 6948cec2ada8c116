package dev.trailwatch.ledger.merkle;

import static dev.trailwatch.ledger.merkle.Rfc6962Hasher.HASH_SIZE;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The right edge of a Merkle tree that grows from size 0: the roots of the perfect subtrees that
 * cover leaves {@code [0, size)}, largest first, one for each bit set in {@code size}. For size 6
 * (binary 110) these are nodes (2, 0) and (1, 2), covering leaves [0, 4) and [4, 6).
 *
 * <p>This is all the ledger writer needs to append leaves, to learn every interior node as it
 * becomes complete, and to compute the root, in O(log size) memory and, amortised, one interior
 * hash per append. The hashes are kept in one flat array, and {@link #append} allocates nothing.
 *
 * <p>Not thread-safe, and neither is its {@link Rfc6962Hasher}, which {@link #copy()} shares: use a
 * range and its copies from one thread. The stored hashes are copies, never a caller's array.
 */
public final class CompactRange {

  /** Room for 63 hashes (the most a non-negative long size needs) plus the one being appended. */
  private static final int CAPACITY = 64;

  private final Rfc6962Hasher hasher;

  /** hashes()[i] is at [i * HASH_SIZE, (i + 1) * HASH_SIZE); count == Long.bitCount(size). */
  private final byte[] stack;

  /** The nodes completed by the append in progress, (0, size) first; see append. */
  private final byte[] pending = new byte[CAPACITY * HASH_SIZE];

  /** Lent to the sink, so that a sink that writes into its argument cannot corrupt the range. */
  private final byte[] lent = new byte[HASH_SIZE];

  private long size;
  private int count;

  /** Creates an empty range (tree size 0). */
  public CompactRange(Rfc6962Hasher hasher) {
    this(hasher, 0, 0, new byte[CAPACITY * HASH_SIZE]);
  }

  private CompactRange(Rfc6962Hasher hasher, long size, int count, byte[] stack) {
    this.hasher = requireNonNull(hasher, "hasher");
    this.size = size;
    this.count = count;
    this.stack = stack;
  }

  /**
   * Restores the range of a tree of {@code size} leaves from its hashes, largest subtree first, as
   * {@link #hashes()} returned them. The hashes are copied.
   *
   * @throws IllegalArgumentException if size is negative, the number of hashes is not {@code
   *     Long.bitCount(size)}, or a hash is not 32 bytes long
   */
  public static CompactRange restore(Rfc6962Hasher hasher, long size, List<byte[]> hashes) {
    requireNonNull(hashes, "hashes");
    requireSize(size);
    if (hashes.size() != Long.bitCount(size)) {
      throw new IllegalArgumentException(
          "a compact range of size "
              + size
              + " has "
              + Long.bitCount(size)
              + " hashes, got "
              + hashes.size());
    }
    byte[] stack = new byte[CAPACITY * HASH_SIZE];
    for (int i = 0; i < hashes.size(); i++) {
      byte[] hash = Rfc6962Hasher.requireHash(hashes.get(i), "hash " + i);
      System.arraycopy(hash, 0, stack, i * HASH_SIZE, HASH_SIZE);
    }
    return new CompactRange(hasher, size, hashes.size(), stack);
  }

  /**
   * Loads the range of a tree of {@code size} leaves by reading its {@code Long.bitCount(size)}
   * nodes. Reads only complete nodes inside the tree.
   *
   * @throws IOException if the reader fails or returns something that is not a 32-byte hash
   */
  public static CompactRange load(Rfc6962Hasher hasher, long size, NodeReader nodes)
      throws IOException {
    requireNonNull(nodes, "nodes");
    requireSize(size);
    byte[] stack = new byte[CAPACITY * HASH_SIZE];
    int count = 0;
    long start = 0;
    for (int level = Long.SIZE - 2; level >= 0; level--) {
      if ((size >>> level & 1) != 0) {
        byte[] hash = Nodes.read(nodes, level, start >>> level);
        System.arraycopy(hash, 0, stack, count * HASH_SIZE, HASH_SIZE);
        count++;
        start += 1L << level;
      }
    }
    return new CompactRange(hasher, size, count, stack);
  }

  /**
   * Appends the leaf with hash {@code leafHash} at index {@link #size()}, and reports to {@code
   * sink}, in this order: the leaf itself as node (0, old size), then each perfect subtree that
   * this leaf completes, by increasing level. Appending to a range of odd size 7 reports (0, 7),
   * (1, 3), (2, 1) and (3, 0).
   *
   * <p>If the sink throws, the exception propagates and this range is unchanged (the sink may have
   * received some of the nodes; they are the same if the append is repeated).
   *
   * @throws IllegalArgumentException if leafHash is not 32 bytes long
   * @throws IllegalStateException if the tree already has {@code Long.MAX_VALUE} leaves
   */
  public void append(byte[] leafHash, NodeSink sink) {
    Rfc6962Hasher.requireHash(leafHash, "leafHash");
    requireNonNull(sink, "sink");
    if (size == Long.MAX_VALUE) {
      throw new IllegalStateException("cannot append: the tree has Long.MAX_VALUE leaves");
    }
    // pending[j] is the node at level j completed by this append: the leaf, then one merge with
    // the rightmost stored hash for each trailing 1 bit of size.
    System.arraycopy(leafHash, 0, pending, 0, HASH_SIZE);
    int merges = Long.numberOfTrailingZeros(~size);
    for (int j = 1; j <= merges; j++) {
      hasher.hashChildren(
          stack, (count - j) * HASH_SIZE, pending, (j - 1) * HASH_SIZE, pending, j * HASH_SIZE);
    }
    if (sink != NodeSink.NONE) {
      for (int j = 0; j <= merges; j++) {
        System.arraycopy(pending, j * HASH_SIZE, lent, 0, HASH_SIZE);
        sink.node(j, size >>> j, lent);
      }
    }
    count -= merges;
    System.arraycopy(pending, merges * HASH_SIZE, stack, count * HASH_SIZE, HASH_SIZE);
    count++;
    size++;
  }

  /** Returns the number of leaves. */
  public long size() {
    return size;
  }

  /** Returns copies of the hashes, largest subtree first; {@code Long.bitCount(size())} of them. */
  public List<byte[]> hashes() {
    List<byte[]> hashes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      hashes.add(Arrays.copyOfRange(stack, i * HASH_SIZE, (i + 1) * HASH_SIZE));
    }
    return hashes;
  }

  /**
   * Returns the RFC 6962 root hash of leaves {@code [0, size)}: the stored hashes folded from the
   * right, {@code H(h0, H(h1, ... H(h[n-2], h[n-1])))}, or the empty-tree hash for size 0.
   */
  public byte[] root() {
    if (count == 0) {
      return hasher.emptyRoot();
    }
    byte[] root = Arrays.copyOfRange(stack, (count - 1) * HASH_SIZE, count * HASH_SIZE);
    for (int i = count - 2; i >= 0; i--) {
      hasher.hashChildren(stack, i * HASH_SIZE, root, 0, root, 0);
    }
    return root;
  }

  /** Returns an independent copy that shares this range's hasher (see the class comment). */
  public CompactRange copy() {
    return new CompactRange(hasher, size, count, stack.clone());
  }

  @Override
  public String toString() {
    return "CompactRange[size=" + size + "]";
  }

  private static void requireSize(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("tree size must not be negative, got " + size);
    }
  }
}
