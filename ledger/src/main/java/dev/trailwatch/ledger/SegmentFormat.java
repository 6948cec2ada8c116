package dev.trailwatch.ledger;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The byte layout of a segment file. All integers are big-endian.
 *
 * <pre>
 * segment = header record*
 * header  = magic "TWLEDGER" (8) | u32 version (=1) | u32 header length (=32) | u64 base seq
 *         | u32 reserved (=0) | u32 crc32c of the preceding 28 bytes
 * record  = u32 payload length | u64 seq | i64 ingest time (epoch nanos) | payload | u32 crc32c
 * </pre>
 *
 * <p>The record CRC covers every byte of the record before it. The Merkle leaf of a record is
 * {@code SHA-256(0x00 || length | seq | ingest time | payload)}: the record without its CRC, so the
 * sequence number and the ingest time are as tamper-evident as the payload. A segment is named
 * after its base sequence number, zero-padded to 20 digits, with the suffix {@code .seg}.
 */
final class SegmentFormat {
  static final byte[] MAGIC = "TWLEDGER".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int HEADER_SIZE = 32;

  /** length + seq + ingest time. */
  static final int RECORD_PREFIX = 4 + 8 + 8;

  static final int RECORD_OVERHEAD = RECORD_PREFIX + 4;

  /** The largest payload the ledger accepts (64 MiB); anything longer is a caller error. */
  static final int MAX_PAYLOAD = 64 << 20;

  static final String SUFFIX = ".seg";

  private SegmentFormat() {}

  static String fileName(long baseSeq) {
    return String.format("%020d%s", baseSeq, SUFFIX);
  }

  /** The base sequence number encoded in a segment file name, or -1 if it is not one. */
  static long baseSeqOf(String fileName) {
    if (!fileName.endsWith(SUFFIX) || fileName.length() != 20 + SUFFIX.length()) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < 20; i++) {
      char c = fileName.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
      if (value < 0) {
        return -1;
      }
    }
    return value;
  }

  static byte[] header(long baseSeq) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.BIG_ENDIAN);
    b.put(MAGIC).putInt(VERSION).putInt(HEADER_SIZE).putLong(baseSeq).putInt(0);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, HEADER_SIZE - 4);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /**
   * Checks a header and returns its base sequence number.
   *
   * @throws HeaderException naming what is wrong
   */
  static long checkHeader(byte[] h) throws HeaderException {
    if (h.length < HEADER_SIZE) {
      throw new HeaderException("file is shorter than a segment header (" + h.length + " bytes)");
    }
    ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.BIG_ENDIAN);
    CRC32C crc = new CRC32C();
    crc.update(h, 0, HEADER_SIZE - 4);
    int storedCrc = b.getInt(HEADER_SIZE - 4);
    for (int i = 0; i < MAGIC.length; i++) {
      if (h[i] != MAGIC[i]) {
        throw new HeaderException("not a Trailwatch segment (bad magic)");
      }
    }
    if ((int) crc.getValue() != storedCrc) {
      throw new HeaderException("segment header checksum mismatch");
    }
    int version = b.getInt(8);
    if (version > VERSION) {
      throw new HeaderException(
          "segment format version "
              + version
              + " is newer than this Trailwatch reads ("
              + VERSION
              + "): upgrade Trailwatch");
    }
    if (version < 1) {
      throw new HeaderException("segment format version " + version + " is not supported");
    }
    if (b.getInt(12) != HEADER_SIZE) {
      throw new HeaderException("unexpected segment header length " + b.getInt(12));
    }
    return b.getLong(16);
  }

  /**
   * Whether the last 4 bytes of a header are the CRC of the 28 before them. If not, the header was
   * damaged or never completely written; if so but {@link #checkHeader} still rejects it, it was
   * written deliberately (another format version).
   */
  static boolean headerChecksumMatches(byte[] h) {
    if (h.length < HEADER_SIZE) {
      return false;
    }
    CRC32C crc = new CRC32C();
    crc.update(h, 0, HEADER_SIZE - 4);
    return (int) crc.getValue() == getInt(h, HEADER_SIZE - 4);
  }

  /** Encodes a record into {@code out} at {@code pos}; returns the position after it. */
  static int encode(byte[] out, int pos, long seq, long ingestNanos, byte[] payload, CRC32C crc) {
    return encode(out, pos, seq, ingestNanos, payload, 0, payload.length, crc);
  }

  /** As above, for the payload {@code src[from, from + length)}. */
  static int encode(
      byte[] out,
      int pos,
      long seq,
      long ingestNanos,
      byte[] src,
      int from,
      int length,
      CRC32C crc) {
    int start = pos;
    putInt(out, pos, length);
    putLong(out, pos + 4, seq);
    putLong(out, pos + 12, ingestNanos);
    System.arraycopy(src, from, out, pos + RECORD_PREFIX, length);
    pos += RECORD_PREFIX + length;
    crc.reset();
    crc.update(out, start, pos - start);
    putInt(out, pos, (int) crc.getValue());
    return pos + 4;
  }

  static int recordSize(int payloadLength) {
    return RECORD_OVERHEAD + payloadLength;
  }

  static void putInt(byte[] b, int pos, int v) {
    b[pos] = (byte) (v >>> 24);
    b[pos + 1] = (byte) (v >>> 16);
    b[pos + 2] = (byte) (v >>> 8);
    b[pos + 3] = (byte) v;
  }

  static void putLong(byte[] b, int pos, long v) {
    putInt(b, pos, (int) (v >>> 32));
    putInt(b, pos + 4, (int) v);
  }

  static int getInt(byte[] b, int pos) {
    return ((b[pos] & 0xff) << 24)
        | ((b[pos + 1] & 0xff) << 16)
        | ((b[pos + 2] & 0xff) << 8)
        | (b[pos + 3] & 0xff);
  }

  static long getLong(byte[] b, int pos) {
    return ((long) getInt(b, pos) << 32) | (getInt(b, pos + 4) & 0xffffffffL);
  }

  /** A segment header that cannot be read. */
  static final class HeaderException extends Exception {
    private static final long serialVersionUID = 1L;

    HeaderException(String message) {
      super(message);
    }
  }
}
