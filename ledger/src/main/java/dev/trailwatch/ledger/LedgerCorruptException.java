package dev.trailwatch.ledger;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The ledger's files do not hold what they should, in a way that recovery must not repair on its
 * own: a damaged record that is not a torn tail, a record that a signed checkpoint covers, a gap
 * between segments. Carries the file, the byte offset and, where known, the sequence number.
 */
public final class LedgerCorruptException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long position;
  private final long seq;

  public LedgerCorruptException(String problem, Path file, long position, long seq) {
    super(
        problem
            + " (file="
            + file
            + ", offset="
            + position
            + (seq >= 0 ? ", seq=" + seq : "")
            + "); run `trailwatch verify` for a full report");
    this.file = file;
    this.position = position;
    this.seq = seq;
  }

  public Path file() {
    return file;
  }

  public long position() {
    return position;
  }

  /** The sequence number concerned, or -1 when unknown. */
  public long seq() {
    return seq;
  }
}
