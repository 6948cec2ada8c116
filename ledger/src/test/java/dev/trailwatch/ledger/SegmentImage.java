package dev.trailwatch.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A segment file taken apart for tampering: its header and its records, each record as its raw
 * bytes ({@link SegmentFormat}). {@link #encode} concatenates them again, so dropping, copying or
 * moving whole records keeps the framing consistent; {@link #withSeq} also rewrites a record's
 * sequence number and CRC, as a careful attacker would.
 *
 * @param baseSeq the base sequence number in the header
 * @param header the 32 header bytes
 * @param records the records in file order
 */
record SegmentImage(long baseSeq, byte[] header, List<byte[]> records) {

  /** Parses an intact segment file. */
  static SegmentImage parse(byte[] file) {
    byte[] header = Arrays.copyOf(file, SegmentFormat.HEADER_SIZE);
    long base = SegmentFormat.getLong(file, 16);
    List<byte[]> records = new ArrayList<>();
    int pos = SegmentFormat.HEADER_SIZE;
    while (pos < file.length) {
      int total = SegmentFormat.recordSize(SegmentFormat.getInt(file, pos));
      records.add(Arrays.copyOfRange(file, pos, pos + total));
      pos += total;
    }
    return new SegmentImage(base, header, List.copyOf(records));
  }

  /** The file offset of each record, and the file length last. */
  long[] offsets() {
    long[] out = new long[records.size() + 1];
    long pos = SegmentFormat.HEADER_SIZE;
    for (int i = 0; i < records.size(); i++) {
      out[i] = pos;
      pos += records.get(i).length;
    }
    out[records.size()] = pos;
    return out;
  }

  /** The file with this header and {@code recs}. */
  byte[] encode(List<byte[]> recs) {
    int length = header.length;
    for (byte[] r : recs) {
      length += r.length;
    }
    byte[] out = Arrays.copyOf(header, length);
    int pos = header.length;
    for (byte[] r : recs) {
      System.arraycopy(r, 0, out, pos, r.length);
      pos += r.length;
    }
    return out;
  }

  static long seqOf(byte[] record) {
    return SegmentFormat.getLong(record, 4);
  }

  /** A copy of {@code record} with sequence number {@code seq} and a CRC that matches. */
  static byte[] withSeq(byte[] record, long seq) {
    byte[] out = record.clone();
    SegmentFormat.putLong(out, 4, seq);
    CRC32C crc = new CRC32C();
    crc.update(out, 0, out.length - 4);
    SegmentFormat.putInt(out, out.length - 4, (int) crc.getValue());
    return out;
  }
}
