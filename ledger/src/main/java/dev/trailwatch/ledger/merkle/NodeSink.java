package dev.trailwatch.ledger.merkle;

/**
 * Receives the perfect-subtree hashes that {@link CompactRange#append} completes, so that the
 * storage can write them into tiles.
 *
 * <p>The {@code hash} array is lent for the duration of the call only: it is reused afterwards, so
 * copy it to keep it. Changing it does not affect the caller.
 */
@FunctionalInterface
public interface NodeSink {

  /** A sink that ignores every node. */
  NodeSink NONE = (level, index, hash) -> {};

  /** Receives the {@value Rfc6962Hasher#HASH_SIZE}-byte hash of node (level, index). */
  void node(int level, long index, byte[] hash);
}
