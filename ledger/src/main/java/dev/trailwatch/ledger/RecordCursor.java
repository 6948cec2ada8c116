package dev.trailwatch.ledger;

import dev.trailwatch.ledger.LedgerProblem.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Walks records across segment files in sequence order, checking that segment headers, segment
 * boundaries and sequence numbers line up. Stops at the clean end, at {@code endExclusive}, or at
 * the first problem, which it describes ({@link #problem()}); a damaged record (or a damaged header
 * of the last segment) at the very end of the last segment with nothing valid after it is reported
 * as a {@link Kind#TORN_TAIL}.
 *
 * <p>Zero-copy: the current record is in {@link #reader()}'s buffer until the next call. Not
 * thread-safe.
 */
final class RecordCursor implements Closeable {
  private final SegmentSet segments;
  private long endExclusive;
  private long expected;
  private SegmentSet.Segment current;
  private SegmentReader reader;
  private LedgerProblem problem;
  private long paddingAt = -1;
  private final int bufferSize;
  private byte[] buffer;
  private final SegmentReader.DirectReads directReads;

  RecordCursor(SegmentSet segments, long fromSeq, long endExclusive, int bufferSize) {
    this(segments, fromSeq, endExclusive, bufferSize, false);
  }

  /** With {@code directReads}, reads bypass the page cache where the file system allows it. */
  RecordCursor(
      SegmentSet segments, long fromSeq, long endExclusive, int bufferSize, boolean directReads) {
    this.directReads = directReads ? new SegmentReader.DirectReads() : null;
    this.segments = segments;
    this.expected = fromSeq;
    this.endExclusive = endExclusive;
    this.bufferSize = bufferSize;
  }

  RecordCursor(SegmentSet segments, long fromSeq, long endExclusive) {
    this(segments, fromSeq, endExclusive, 1 << 20);
  }

  /** Advances to the next record; false at the end or at a problem. */
  boolean next() throws IOException {
    if (problem != null || expected >= endExclusive) {
      return false;
    }
    if (reader == null && !openFirst()) {
      return false;
    }
    return advance();
  }

  private boolean advance() throws IOException {
    while (true) {
      SegmentReader.Status status = reader.next();
      switch (status) {
        case RECORD -> {
          if (reader.seq() != expected) {
            problem =
                LedgerProblem.at(
                    Kind.SEQUENCE_BREAK,
                    expected,
                    reader.file(),
                    reader.recordPosition(),
                    "expected entry "
                        + expected
                        + " but found entry "
                        + reader.seq()
                        + ": records were deleted, duplicated or reordered");
            return false;
          }
          expected++;
          return true;
        }
        case END, PADDING -> {
          Optional<SegmentSet.Segment> next = segments.after(current.baseSeq());
          if (next.isEmpty()) {
            if (status == SegmentReader.Status.PADDING) {
              paddingAt = reader.position();
            }
            return false;
          }
          if (status == SegmentReader.Status.PADDING) {
            problem =
                LedgerProblem.at(
                    Kind.CORRUPT_RECORD,
                    expected,
                    reader.file(),
                    reader.position(),
                    "a sealed segment ends in zero bytes where entry "
                        + expected
                        + " should be: it was truncated or overwritten with zeros");
            return false;
          }
          if (next.get().baseSeq() != expected) {
            problem =
                LedgerProblem.at(
                    Kind.SEGMENT,
                    expected,
                    next.get().file(),
                    0,
                    "segment "
                        + current.file().getFileName()
                        + " ends before entry "
                        + expected
                        + " but the next segment starts at entry "
                        + next.get().baseSeq()
                        + ": a segment was removed, truncated or renamed");
            return false;
          }
          if (!open(next.get())) {
            return false;
          }
        }
        default -> {
          damaged(status);
          return false;
        }
      }
    }
  }

  private void damaged(SegmentReader.Status status) throws IOException {
    long at = reader.position();
    boolean lastSegment = segments.after(current.baseSeq()).isEmpty();
    boolean tail = lastSegment && !validRecordAfter(reader.file(), at, expected);
    String what =
        switch (status) {
          case TRUNCATED -> "the file ends inside the record";
          case BAD_LENGTH -> "the record has an impossible length";
          case BAD_CRC -> "the record's bytes do not match its CRC";
          default -> status.toString();
        };
    problem =
        tail
            ? LedgerProblem.at(
                Kind.TORN_TAIL,
                expected,
                reader.file(),
                at,
                "incomplete record at the end of the ledger ("
                    + what
                    + "): an interrupted write, never acknowledged")
            : LedgerProblem.at(
                Kind.CORRUPT_RECORD,
                expected,
                reader.file(),
                at,
                what + (lastSegment ? ", and valid records follow it" : ""));
  }

  private boolean openFirst() throws IOException {
    Optional<SegmentSet.Segment> seg = segments.floor(expected);
    if (seg.isEmpty()) {
      if (!segments.isEmpty()) {
        SegmentSet.Segment first = segments.all().get(0);
        problem =
            LedgerProblem.at(
                Kind.SEGMENT,
                expected,
                first.file(),
                0,
                "the first segment starts at entry "
                    + first.baseSeq()
                    + ", not "
                    + expected
                    + ": a segment was removed or renamed");
      }
      return false;
    }
    long want = expected;
    expected = seg.get().baseSeq();
    if (!open(seg.get())) {
      return false;
    }
    while (expected < want) {
      if (!advance()) {
        return false;
      }
    }
    return true;
  }

  private boolean open(SegmentSet.Segment seg) throws IOException {
    if (reader != null) {
      buffer = reader.buffer(); // keep the (possibly grown) buffer for the next segment
      reader.close();
      reader = null;
    }
    current = seg;
    byte[] header = new byte[SegmentFormat.HEADER_SIZE];
    int got;
    try (FileChannel ch = FileChannel.open(seg.file(), StandardOpenOption.READ)) {
      ByteBuffer bb = ByteBuffer.wrap(header);
      got = 0;
      while (bb.hasRemaining()) {
        int n = ch.read(bb, got);
        if (n < 0) {
          break;
        }
        got += n;
      }
    }
    boolean lastSegment = segments.after(seg.baseSeq()).isEmpty();
    if (got < SegmentFormat.HEADER_SIZE) {
      problem =
          LedgerProblem.at(
              lastSegment && got == Files.size(seg.file()) ? Kind.TORN_TAIL : Kind.SEGMENT,
              expected,
              seg.file(),
              0,
              "segment file is shorter than its header (" + got + " bytes)");
      return false;
    }
    try {
      long base = SegmentFormat.checkHeader(header);
      if (base != seg.baseSeq()) {
        problem =
            LedgerProblem.at(
                Kind.SEGMENT,
                expected,
                seg.file(),
                0,
                "segment header says it starts at entry "
                    + base
                    + " but the file is named for entry "
                    + seg.baseSeq()
                    + ": segment files were renamed or swapped");
        return false;
      }
    } catch (SegmentFormat.HeaderException e) {
      // A header whose bytes fail their CRC at the end of the ledger, with no valid record after
      // it, is a roll-over whose first page never reached the disk; a header with a good CRC that
      // is still wrong (another version) is never repaired.
      boolean torn =
          lastSegment
              && !SegmentFormat.headerChecksumMatches(header)
              && !validRecordAfter(seg.file(), 0, expected);
      problem =
          torn
              ? LedgerProblem.at(
                  Kind.TORN_TAIL,
                  expected,
                  seg.file(),
                  0,
                  "incomplete segment header at the end of the ledger ("
                      + e.getMessage()
                      + "): an interrupted write, never acknowledged")
              : LedgerProblem.at(Kind.SEGMENT, expected, seg.file(), 0, e.getMessage());
      return false;
    }
    if (buffer == null) {
      buffer = new byte[bufferSize];
    }
    reader =
        new SegmentReader(
            seg.file(), SegmentFormat.HEADER_SIZE, Long.MAX_VALUE, buffer, directReads);
    return true;
  }

  /**
   * Whether a valid record with a sequence number at or after {@code minSeq} starts anywhere after
   * {@code offset} in {@code file}: if so, the damage at {@code offset} is not a torn tail.
   */
  static boolean validRecordAfter(Path file, long offset, long minSeq) throws IOException {
    long size = Files.size(file);
    if (size - offset > Integer.MAX_VALUE - 16) {
      return true; // cannot be a torn tail of a bounded segment
    }
    byte[] rest;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      rest = new byte[(int) Math.max(0, size - offset)];
      DurableFiles.readFully(ch, ByteBuffer.wrap(rest), offset);
    }
    CRC32C crc = new CRC32C();
    long maxSeq = minSeq + rest.length / SegmentFormat.RECORD_OVERHEAD + 1;
    for (int p = 1; p + SegmentFormat.RECORD_OVERHEAD <= rest.length; p++) {
      int len = SegmentFormat.getInt(rest, p);
      if (len < 0 || len > rest.length - p - SegmentFormat.RECORD_OVERHEAD) {
        continue;
      }
      long seq = SegmentFormat.getLong(rest, p + 4);
      if (seq < minSeq || seq > maxSeq) {
        continue;
      }
      int covered = SegmentFormat.RECORD_PREFIX + len;
      crc.reset();
      crc.update(rest, p, covered);
      if ((int) crc.getValue() == SegmentFormat.getInt(rest, p + covered)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where the zero padding after the last record of the last segment starts, if the records ended
   * there (a direct-I/O writer's active segment, or a crash before it was truncated); -1 else.
   */
  long paddingAt() {
    return paddingAt;
  }

  /** The file of the current segment. */
  java.nio.file.Path currentFile() {
    return current.file();
  }

  /** Moves the bound: a follower raises it as the writer commits more records. */
  void setEnd(long endExclusive) {
    this.endExclusive = endExclusive;
  }

  SegmentReader reader() {
    return reader;
  }

  /** The sequence number the next record must have. */
  long expected() {
    return expected;
  }

  Optional<LedgerProblem> problem() {
    return Optional.ofNullable(problem);
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
