package dev.trailwatch.ledger;

import java.io.IOException;

/**
 * The ledger stopped accepting writes after an I/O error on its write path (fail-stop: an fsync is
 * never retried, because the data it should have saved may already be gone). Restarting the process
 * recovers from what is on disk.
 */
public final class LedgerFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  public LedgerFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
