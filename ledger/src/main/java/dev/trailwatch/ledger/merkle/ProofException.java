package dev.trailwatch.ledger.merkle;

/**
 * A proof did not verify. The message says which check failed, with the expected and actual values
 * (hashes in hex), for example {@code "root mismatch for leaf index 5 in tree size 1000:
 * expected=3fa1…, actual=9c07…"}.
 *
 * <p>Thrown for anything wrong with what is being verified, including sizes that cannot be right
 * and hashes of the wrong length, so that a caller handles one checked exception for every bad
 * proof.
 */
public final class ProofException extends Exception {

  ProofException(String message) {
    super(message);
  }
}
