package dev.trailwatch.ingest.file;

import static java.util.Objects.requireNonNull;

/**
 * Where following a file stands: the next line starts at {@code offset} in the file {@code file}.
 * Offsets are always at the start of a line (just after a newline), or at the end of a rotated file
 * whose last line had none.
 *
 * @param path the configured path ({@code log.file.path} of the events)
 * @param file which file the offset is in: the one at the path, or a rotated one
 * @param offset the byte offset of the next line to read
 * @param lastSeq the sequence number the sink gave the last event stored up to here, or {@link
 *     #NO_SEQ} when not known (a position {@linkplain FileTailer#fromStoredEvents derived from
 *     stored events}, or nothing stored yet)
 */
public record Position(String path, FileId file, long offset, long lastSeq) {
  /** {@link #lastSeq} when no sequence number is known. */
  public static final long NO_SEQ = -1;

  public Position {
    requireNonNull(path, "path");
    requireNonNull(file, "file");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative: " + offset);
    }
    if (lastSeq < NO_SEQ) {
      throw new IllegalArgumentException("lastSeq must be -1 (none) or more: " + lastSeq);
    }
  }

  /** The same position with another sequence number. */
  public Position withLastSeq(long seq) {
    return new Position(path, file, offset, seq);
  }
}
