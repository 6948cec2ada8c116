package dev.trailwatch.ledger;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * Reads one record at a byte offset that a caller remembered ({@link Entry#offset()}), without
 * scanning its segment from the start: one or two positional reads, whatever the segment's size.
 *
 * <p>The offset is only a hint, which may be wrong (an index built from another copy of the ledger,
 * a bug, a damaged cache). The record found there is returned only if its length is possible, it
 * lies wholly inside the file, its CRC matches its bytes and its sequence number is the one asked
 * for; otherwise the answer is empty and the caller falls back to a scan. A wrong hint therefore
 * costs time, never a wrong entry.
 *
 * <p>Keeps one read-only channel per segment open, at most {@value #MAX_OPEN}; beyond that it
 * closes one. Positional reads share a channel safely between threads; a channel closed under a
 * reader (by this eviction, by {@link #close()}, or by another thread's interrupt, which closes a
 * {@code FileChannel}) is reopened and the read retried. Thread-safe.
 */
final class PositionalReads implements Closeable {
  static final int MAX_OPEN = 64;

  /** The first read: most records fit, so most lookups take one system call. */
  private static final int FIRST_READ = 2048;

  private static final int MAX_ATTEMPTS = 8;

  private final SegmentSet segments;
  private final Map<Long, FileChannel> open = new ConcurrentHashMap<>();
  private volatile boolean closed;

  PositionalReads(SegmentSet segments) {
    this.segments = segments;
  }

  /**
   * The entry {@code seq} if a valid record of that entry starts at {@code offset} of the segment
   * that holds it; empty otherwise (including when the segment does not exist).
   */
  Optional<Entry> read(long seq, long offset) throws IOException {
    if (seq < 0 || offset < SegmentFormat.HEADER_SIZE) {
      return Optional.empty();
    }
    Optional<SegmentSet.Segment> segment = segments.floor(seq);
    if (segment.isEmpty()) {
      return Optional.empty();
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return readIn(segment.get(), seq, offset);
      } catch (ClosedChannelException closedUnderUs) {
        // Closed by eviction or by another thread's interrupt: reopen and read again, a few times.
        if (closedUnderUs instanceof ClosedByInterruptException
            || closed
            || attempt == MAX_ATTEMPTS) {
          throw closedUnderUs;
        }
      }
    }
  }

  private Optional<Entry> readIn(SegmentSet.Segment segment, long seq, long offset)
      throws IOException {
    FileChannel ch;
    try {
      ch = channel(segment);
    } catch (NoSuchFileException removed) {
      return Optional.empty(); // retention removed it since the segment set was read
    }
    long size = ch.size();
    if (offset > size - SegmentFormat.RECORD_OVERHEAD) {
      return Optional.empty();
    }
    byte[] buf = new byte[(int) Math.min(FIRST_READ, size - offset)];
    int got = readUpTo(ch, ByteBuffer.wrap(buf), offset);
    if (got < SegmentFormat.RECORD_PREFIX) {
      return Optional.empty();
    }
    int length = SegmentFormat.getInt(buf, 0);
    if (length < 0 || length > SegmentFormat.MAX_PAYLOAD) {
      return Optional.empty();
    }
    int total = SegmentFormat.recordSize(length);
    if (offset + total > size || SegmentFormat.getLong(buf, 4) != seq) {
      return Optional.empty();
    }
    if (total > got) {
      byte[] whole = new byte[total];
      System.arraycopy(buf, 0, whole, 0, got);
      if (readUpTo(ch, ByteBuffer.wrap(whole, got, total - got), offset + got) < total - got) {
        return Optional.empty();
      }
      buf = whole;
    }
    int covered = total - 4;
    CRC32C crc = new CRC32C();
    crc.update(buf, 0, covered);
    if ((int) crc.getValue() != SegmentFormat.getInt(buf, covered)) {
      return Optional.empty();
    }
    byte[] payload = new byte[length];
    System.arraycopy(buf, SegmentFormat.RECORD_PREFIX, payload, 0, length);
    return Optional.of(new Entry(seq, SegmentFormat.getLong(buf, 12), payload, offset));
  }

  /** Reads until {@code buf} is full or the file ends; returns the bytes read. */
  private static int readUpTo(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    int total = 0;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, position + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private FileChannel channel(SegmentSet.Segment segment) throws IOException {
    FileChannel ch = open.get(segment.baseSeq());
    if (ch != null && ch.isOpen()) {
      return ch;
    }
    synchronized (open) { // opening is rare: once per segment, and after a channel was closed
      if (closed) {
        throw new ClosedChannelException();
      }
      ch = open.get(segment.baseSeq());
      if (ch == null || !ch.isOpen()) {
        ch = FileChannel.open(segment.file(), StandardOpenOption.READ);
        open.put(segment.baseSeq(), ch);
        evictBeyondLimit(segment.baseSeq());
      }
      return ch;
    }
  }

  /** Closes channels other than {@code keep}'s while more than {@link #MAX_OPEN} are open. */
  private void evictBeyondLimit(long keep) throws IOException {
    for (Long base : open.keySet()) {
      if (open.size() <= MAX_OPEN) {
        return;
      }
      if (base != keep) {
        open.remove(base).close();
      }
    }
  }

  /** How many segment channels are open now (for tests). */
  int openChannels() {
    return open.size();
  }

  @Override
  public void close() throws IOException {
    synchronized (open) {
      closed = true;
      IOException first = null;
      for (FileChannel ch : open.values()) {
        try {
          ch.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      open.clear();
      if (first != null) {
        throw first;
      }
    }
  }
}
