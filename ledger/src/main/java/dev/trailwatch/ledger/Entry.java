package dev.trailwatch.ledger;

import java.time.Instant;

/**
 * One ledger entry: its sequence number (the Merkle leaf index, from 0), the time the ledger
 * accepted it, and the payload bytes. The payload array is owned by the entry's recipient.
 *
 * <p>{@code offset} is where the entry's record starts in its segment file, when the entry was read
 * from one (-1 otherwise). It is not part of the entry's content: a consumer may keep it as the
 * hint of {@link LedgerReader#read(long, long)}, which finds the entry again with one read.
 */
public record Entry(long seq, long ingestNanos, byte[] payload, long offset) {
  /** An entry whose place in a segment file is not known. */
  public Entry(long seq, long ingestNanos, byte[] payload) {
    this(seq, ingestNanos, payload, -1);
  }

  public Instant ingestTime() {
    return Instant.ofEpochSecond(
        Math.floorDiv(ingestNanos, 1_000_000_000L), Math.floorMod(ingestNanos, 1_000_000_000L));
  }

  /**
   * The bytes whose RFC 6962 leaf hash the tree holds: {@code u32 payload length | u64 seq | i64
   * ingest nanos | payload}, big-endian (the stored record without its CRC). Anyone can recompute
   * an entry's leaf hash from these three fields.
   */
  public byte[] leafData() {
    byte[] out = new byte[SegmentFormat.RECORD_PREFIX + payload.length];
    SegmentFormat.putInt(out, 0, payload.length);
    SegmentFormat.putLong(out, 4, seq);
    SegmentFormat.putLong(out, 12, ingestNanos);
    System.arraycopy(payload, 0, out, SegmentFormat.RECORD_PREFIX, payload.length);
    return out;
  }
}
