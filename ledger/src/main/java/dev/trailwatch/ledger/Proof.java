package dev.trailwatch.ledger;

import java.util.List;

/**
 * Proofs as the ledger produces them; {@link dev.trailwatch.ledger.merkle.ProofVerifier} checks
 * them.
 */
public final class Proof {
  private Proof() {}

  /** That the entry {@code seq}, whose leaf hash is given, is in the tree of {@code treeSize}. */
  public record Inclusion(long seq, long treeSize, byte[] leafHash, List<byte[]> path) {
    public Inclusion {
      leafHash = leafHash.clone();
      path = path.stream().map(byte[]::clone).toList();
    }
  }

  /** That the tree of {@code newSize} extends the tree of {@code oldSize}. */
  public record Consistency(long oldSize, long newSize, List<byte[]> path) {
    public Consistency {
      path = path.stream().map(byte[]::clone).toList();
    }
  }
}
