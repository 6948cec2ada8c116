package dev.trailwatch.ledger;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Something found wrong in a data directory: what kind, where (sequence number, file, byte offset,
 * each when known) and a sentence that explains it.
 */
public record LedgerProblem(Kind kind, long seq, Optional<Path> file, long offset, String message) {

  /** What kind of difference was found. */
  public enum Kind {
    /** The file ends inside a record that no checkpoint covers: an interrupted write. */
    TORN_TAIL(false),
    /** Entries that no signed checkpoint covers, with no live writer to sign them. */
    UNSIGNED_ENTRIES(true),
    /** A record whose bytes do not match its CRC, or whose length is impossible. */
    CORRUPT_RECORD(true),
    /** A record with the wrong sequence number: records deleted, duplicated or reordered. */
    SEQUENCE_BREAK(true),
    /** A segment file missing, extra, renamed or with a bad header. */
    SEGMENT(true),
    /** A stored Merkle tile that does not match the records. */
    TILE_MISMATCH(true),
    /** A record whose leaf hash differs from the one the tiles recorded when it was written. */
    LEAF_MISMATCH(true),
    /** A checkpoint whose root hash differs from the root recomputed from the records. */
    ROOT_MISMATCH(true),
    /** A checkpoint whose signature does not verify, or that cannot be read. */
    CHECKPOINT_SIGNATURE(true),
    /** Checkpoints missing, duplicated or out of order in the checkpoint log. */
    CHECKPOINT_SEQUENCE(true),
    /** The ledger holds fewer entries than a checkpoint (or witnessed checkpoint) covers. */
    ENTRIES_MISSING(true),
    /** The witness holds a checkpoint that the ledger is not consistent with. */
    WITNESS_MISMATCH(true),
    /** The key material in the data directory does not match. */
    KEY_MISMATCH(true),
    /** A file that should not be in the data directory, or the version file is wrong. */
    LAYOUT(true);

    private final boolean tampering;

    Kind(boolean tampering) {
      this.tampering = tampering;
    }

    /** Whether this kind means the ledger cannot be vouched for (verify exits 1). */
    public boolean isTampering() {
      return tampering;
    }
  }

  static LedgerProblem at(Kind kind, long seq, Path file, long offset, String message) {
    return new LedgerProblem(kind, seq, Optional.ofNullable(file), offset, message);
  }

  static LedgerProblem of(Kind kind, long seq, String message) {
    return new LedgerProblem(kind, seq, Optional.empty(), -1, message);
  }

  /** One line: "entry 1234 (segments/…seg at offset 5678): CRC mismatch …". */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (seq >= 0) {
      sb.append("entry ").append(seq);
    }
    if (file.isPresent()) {
      sb.append(sb.isEmpty() ? "" : " ").append("(").append(file.get());
      if (offset >= 0) {
        sb.append(" at offset ").append(offset);
      }
      sb.append(")");
    }
    if (!sb.isEmpty()) {
      sb.append(": ");
    }
    return sb.append(message).toString();
  }
}
