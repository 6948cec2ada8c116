package dev.trailwatch.ledger.merkle;

import java.io.IOException;

/**
 * Reads the hash of a perfect subtree of a tree that has at least {@code (index + 1) * 2^level}
 * leaves. Node (level, index) covers leaves {@code [index * 2^level, (index + 1) * 2^level)}; level
 * 0 holds the leaf hashes. The storage serves these from tiles.
 *
 * <p>The algorithms of this package ask only for nodes inside the tree size they were given, so a
 * reader never has to serve a node that is not complete yet. They do not modify the returned array
 * and do not keep it: a reader may return an array that it caches.
 */
@FunctionalInterface
public interface NodeReader {

  /**
   * Returns the {@value Rfc6962Hasher#HASH_SIZE}-byte hash of node (level, index).
   *
   * @throws IOException if the node cannot be read; the algorithms also report a reader's answer
   *     that is not a 32-byte hash as an {@code IOException}
   */
  byte[] hash(int level, long index) throws IOException;
}
