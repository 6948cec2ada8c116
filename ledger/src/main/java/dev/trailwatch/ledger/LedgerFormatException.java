package dev.trailwatch.ledger;

import java.io.IOException;
import java.nio.file.Path;

/** A data directory whose version file is missing, unreadable or of another format version. */
public final class LedgerFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public LedgerFormatException(Path file, String problem) {
    super(file + ": " + problem);
  }
}
