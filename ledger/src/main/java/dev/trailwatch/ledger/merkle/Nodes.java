package dev.trailwatch.ledger.merkle;

import static dev.trailwatch.ledger.merkle.Rfc6962Hasher.HASH_SIZE;

import java.io.IOException;

/** Checked reads from a {@link NodeReader}. */
final class Nodes {

  private Nodes() {}

  /**
   * Returns a copy of node (level, index), so that callers may hash into it without touching an
   * array the reader caches.
   *
   * @throws IOException if the reader fails, or returns null or anything but 32 bytes
   */
  static byte[] read(NodeReader nodes, int level, long index) throws IOException {
    byte[] hash = nodes.hash(level, index);
    if (hash == null) {
      throw new IOException("node reader returned no hash for node (" + level + ", " + index + ")");
    }
    if (hash.length != HASH_SIZE) {
      throw new IOException(
          "node reader returned "
              + hash.length
              + " bytes for node ("
              + level
              + ", "
              + index
              + "), expected "
              + HASH_SIZE);
    }
    return hash.clone();
  }
}
