package dev.trailwatch.ledger;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment file in order, checking framing and CRC, without copying
 * payloads: after {@link #next()} returns {@link Status#RECORD}, the record's bytes are in {@link
 * #buffer()} at {@link #recordStart()}. It does not check sequence numbers; callers do.
 *
 * <p>Reading a segment that a writer is appending to is safe: a record not yet completely written
 * shows as {@link Status#TRUNCATED}. Not thread-safe.
 */
final class SegmentReader implements Closeable {
  /** What {@link #next()} found at {@link #position()}. */
  enum Status {
    /** A complete record with a valid CRC. */
    RECORD,
    /** The clean end of the file. */
    END,
    /**
     * Only zero bytes from here to the end of the file: the padding a direct-I/O writer leaves
     * after its last record ({@link ActiveSegment}), legitimate at the end of the last segment
     * only.
     */
    PADDING,
    /** The file ends inside a record: a torn write, or a writer still writing. */
    TRUNCATED,
    /** A length field that no record can have. */
    BAD_LENGTH,
    /** A complete record whose CRC does not match its bytes. */
    BAD_CRC
  }

  private final Path file;
  private final FileChannel channel;
  private final DirectReads direct;
  private final CRC32C crc = new CRC32C();
  private final long fileLimit;
  private byte[] buf;
  private int pos;
  private int limit;
  private long bufStart;

  private int recordStart;
  private int payloadLength;
  private long seq;
  private long ingestNanos;

  /**
   * Opens {@code file} positioned at {@code offset} (the first record is at {@link
   * SegmentFormat#HEADER_SIZE}). Reads no further than {@code fileLimit} bytes ({@code
   * Long.MAX_VALUE} for the whole file).
   */
  SegmentReader(Path file, long offset, long fileLimit, int bufferSize) throws IOException {
    this(file, offset, fileLimit, new byte[bufferSize]);
  }

  /** Like the other constructor, reusing {@code buffer} (which it may replace by a larger one). */
  SegmentReader(Path file, long offset, long fileLimit, byte[] buffer) throws IOException {
    this(file, offset, fileLimit, buffer, null);
  }

  /**
   * Like the other constructors; with a {@link DirectReads} buffer, reads bypass the page cache
   * (for whole-ledger scans, which would otherwise fill it with pages read once).
   */
  SegmentReader(Path file, long offset, long fileLimit, byte[] buffer, DirectReads direct)
      throws IOException {
    this.file = file;
    FileChannel ch = null;
    if (direct != null) {
      try {
        ch = FileChannel.open(file, StandardOpenOption.READ, ActiveSegment.Direct.directOption());
      } catch (IOException | UnsupportedOperationException e) {
        ch = null; // not on this file system: read through the page cache
      }
    }
    this.direct = ch == null ? null : direct;
    this.channel = ch != null ? ch : FileChannel.open(file, StandardOpenOption.READ);
    this.fileLimit = fileLimit;
    this.buf = buffer;
    this.bufStart = offset;
  }

  /** The aligned buffer of direct reads, reused across segments by one reader. */
  static final class DirectReads {
    private static final int SIZE = 4 << 20;
    private static final int ALIGN = 64 * 1024;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(SIZE + ALIGN).alignedSlice(ALIGN);
  }

  /**
   * Reads file bytes {@code [at, at + len)} (fewer at the end of the file) into {@code dst}; -1 at
   * the end of the file.
   */
  private int readAt(byte[] dst, int off, int len, long at) throws IOException {
    if (direct == null) {
      return channel.read(ByteBuffer.wrap(dst, off, len), at);
    }
    ByteBuffer b = direct.buffer;
    int block = 4096;
    long start = at - at % block;
    int skip = (int) (at - start);
    int want = Math.min(DirectReads.SIZE, (skip + len + block - 1) / block * block);
    b.clear().limit(want);
    int n = 0;
    while (b.hasRemaining()) {
      int r = channel.read(b, start + b.position());
      if (r <= 0) {
        break;
      }
      n += r;
      if (r % block != 0) {
        break; // the end of the file
      }
    }
    if (n <= skip) {
      return -1;
    }
    int got = Math.min(len, n - skip);
    b.get(skip, dst, off, got);
    return got;
  }

  static SegmentReader open(Path file, long offset) throws IOException {
    return new SegmentReader(file, offset, Long.MAX_VALUE, 1 << 20);
  }

  Path file() {
    return file;
  }

  Status next() throws IOException {
    Status s = parse();
    if (s != Status.RECORD && s != Status.END && limit > pos) {
      // Bytes after the last complete record may have changed since they were buffered: a
      // direct-I/O writer rewrites the zero padding after its last record. Look again.
      limit = pos;
      s = parse();
    }
    return s;
  }

  private Status parse() throws IOException {
    if (!ensure(SegmentFormat.RECORD_PREFIX)) {
      return limit == pos ? Status.END : zeroPadding() ? Status.PADDING : Status.TRUNCATED;
    }
    int length = SegmentFormat.getInt(buf, pos);
    if (length < 0 || length > SegmentFormat.MAX_PAYLOAD) {
      return Status.BAD_LENGTH;
    }
    int total = SegmentFormat.RECORD_OVERHEAD + length;
    if (!ensure(total)) {
      return zeroPadding() ? Status.PADDING : Status.TRUNCATED;
    }
    int covered = total - 4;
    crc.reset();
    crc.update(buf, pos, covered);
    if ((int) crc.getValue() != SegmentFormat.getInt(buf, pos + covered)) {
      return zeroPadding() ? Status.PADDING : Status.BAD_CRC;
    }
    recordStart = pos;
    payloadLength = length;
    seq = SegmentFormat.getLong(buf, pos + 4);
    ingestNanos = SegmentFormat.getLong(buf, pos + 12);
    pos += total;
    return Status.RECORD;
  }

  /**
   * Whether everything from the current position to the end of the file is zero bytes: the padding
   * that direct writes leave after the last record ({@link ActiveSegment}). Only a record header
   * can start with four zero bytes and a zero sequence number and ingest time together if it is
   * padding, because no record has ingest time 0.
   */
  private boolean zeroPadding() throws IOException {
    for (int i = pos; i < limit; i++) {
      if (buf[i] != 0) {
        return false;
      }
    }
    long at = bufStart + limit;
    long size = Math.min(channel.size(), fileLimit);
    byte[] rest = new byte[64 * 1024];
    while (at < size) {
      int n = readAt(rest, 0, (int) Math.min(rest.length, size - at), at);
      if (n <= 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (rest[i] != 0) {
          return false;
        }
      }
      at += n;
    }
    return true;
  }

  /** The file offset where the next call to {@link #next()} reads, or where a problem was found. */
  long position() {
    return bufStart + pos;
  }

  /** The file offset of the record last returned. */
  long recordPosition() {
    return bufStart + recordStart;
  }

  byte[] buffer() {
    return buf;
  }

  /** Where the record last returned starts in {@link #buffer()}. */
  int recordStart() {
    return recordStart;
  }

  /** Length of the leaf data (the record without its CRC). */
  int leafLength() {
    return SegmentFormat.RECORD_PREFIX + payloadLength;
  }

  int payloadStart() {
    return recordStart + SegmentFormat.RECORD_PREFIX;
  }

  int payloadLength() {
    return payloadLength;
  }

  long seq() {
    return seq;
  }

  long ingestNanos() {
    return ingestNanos;
  }

  byte[] copyPayload() {
    byte[] p = new byte[payloadLength];
    System.arraycopy(buf, payloadStart(), p, 0, payloadLength);
    return p;
  }

  /** Skips to {@code offset} (a record boundary known from an index). */
  void seek(long offset) {
    bufStart = offset;
    pos = 0;
    limit = 0;
  }

  /** Makes at least {@code n} bytes available from {@code pos}; false at end of file. */
  private boolean ensure(int n) throws IOException {
    if (limit - pos >= n) {
      return true;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      bufStart += pos;
      limit -= pos;
      pos = 0;
    }
    if (n > buf.length) {
      byte[] bigger = new byte[Math.max(n, buf.length * 2)];
      System.arraycopy(buf, 0, bigger, 0, limit);
      buf = bigger;
    }
    while (limit - pos < n) {
      long filePos = bufStart + limit;
      long room = Math.min(buf.length - limit, fileLimit - filePos);
      if (room <= 0) {
        return false;
      }
      int read = readAt(buf, limit, (int) room, filePos);
      if (read <= 0) {
        return false; // the end for now; a later call reads what a writer has appended since
      }
      limit += read;
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
