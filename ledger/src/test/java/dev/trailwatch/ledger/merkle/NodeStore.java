package dev.trailwatch.ledger.merkle;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The test stand-in for tile storage: keeps every node a {@link CompactRange} reports (failing on a
 * node reported twice) and serves them back as a {@link NodeReader} for a given tree size, failing
 * on any node that is not complete at that size. It serves its own arrays, not copies, so code that
 * wrote into a node it read would break later reads.
 */
final class NodeStore implements NodeSink {

  private final Map<Node, byte[]> nodes = new HashMap<>();

  /** Appends the leaf hashes of {@code leaves} to a new range, storing every node reported. */
  static NodeStore of(List<byte[]> leaves) {
    NodeStore store = new NodeStore();
    CompactRange range = new CompactRange(Rfc6962Hasher.create());
    for (byte[] leaf : leaves) {
      range.append(ReferenceTree.leafHash(leaf), store);
    }
    return store;
  }

  @Override
  public void node(int level, long index, byte[] hash) {
    Node node = new Node(level, index);
    if (nodes.putIfAbsent(node, hash.clone()) != null) {
      throw new AssertionError("node " + node + " was reported twice");
    }
  }

  Map<Node, byte[]> nodes() {
    return nodes;
  }

  /**
   * Returns a reader that serves the nodes of the tree of {@code size} leaves, and counts reads.
   */
  Reader reader(long size) {
    return new Reader(size);
  }

  final class Reader implements NodeReader {
    private final long size;
    private int reads;

    private Reader(long size) {
      this.size = size;
    }

    @Override
    public byte[] hash(int level, long index) throws IOException {
      Node node = new Node(level, index);
      if (level < 0 || level > 62 || index < 0 || !node.isInside(size)) {
        throw new AssertionError("read " + node + ", which is not complete at tree size " + size);
      }
      byte[] hash = nodes.get(node);
      if (hash == null) {
        throw new IOException("no node " + node + " in the store");
      }
      reads++;
      return hash;
    }

    int reads() {
      return reads;
    }
  }
}
