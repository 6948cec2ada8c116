package dev.trailwatch.search.service;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32C;
import org.apache.lucene.search.FieldDoc;

/**
 * Where the next page of a search starts: the sort values of the last hit sent ({@code @timestamp}
 * in epoch nanoseconds and the sequence number, which together order every hit uniquely), how many
 * hits were sent before (for {@code | head N}), and a checksum of the query and time range it
 * belongs to. Opaque to clients: 33 bytes in base64url without padding,
 *
 * <pre>
 * u8 version (=1) | i64 timestamp nanos | i64 seq | i64 sent | u32 crc32c(query "\n" from "\n" to), as written
 * </pre>
 *
 * Paging by these values (Lucene's {@code searchAfter}) costs the same on page 1,000 as on page 1,
 * and a page never repeats or skips a hit because events arrived meanwhile: new events are newer
 * and sort before the cursor.
 */
record PageCursor(long timestampNanos, long seq, long sent, int scope) {
  private static final byte VERSION = 1;
  private static final int BYTES = 1 + 8 + 8 + 8 + 4;

  /** The checksum that ties a cursor to its query and time range. */
  static int scope(String query, String from, String to) {
    CRC32C crc = new CRC32C();
    crc.update((query + "\n" + from + "\n" + to).getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  String encode() {
    ByteBuffer b = ByteBuffer.allocate(BYTES);
    b.put(VERSION).putLong(timestampNanos).putLong(seq).putLong(sent).putInt(scope);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /**
   * Reads a cursor that {@link #encode()} wrote for the same {@code scope}.
   *
   * @throws InvalidCursorException saying what is wrong with it
   */
  static PageCursor decode(String text, int scope) throws InvalidCursorException {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidCursorException(
          "cursor: not a cursor (it is base64url text, passed back exactly as 'next' gave it)");
    }
    if (raw.length != BYTES || raw[0] != VERSION) {
      throw new InvalidCursorException(
          "cursor: not a cursor of this Trailwatch (wrong length or version); pass back 'next'"
              + " exactly as a search gave it");
    }
    ByteBuffer b = ByteBuffer.wrap(raw, 1, BYTES - 1);
    PageCursor c = new PageCursor(b.getLong(), b.getLong(), b.getLong(), b.getInt());
    if (c.scope != scope) {
      throw new InvalidCursorException(
          "cursor: it belongs to another query or time range; a cursor continues the search that"
              + " gave it: pass the same q, from and to");
    }
    if (c.sent < 0 || c.seq < 0) {
      throw new InvalidCursorException("cursor: damaged (negative values)");
    }
    return c;
  }

  /**
   * Lucene's form of the position in a reader of {@code maxDoc} documents: after the hit with these
   * sort values.
   */
  FieldDoc after(int maxDoc) {
    // No two hits share a sequence number, so the document id never breaks a tie; the largest one
    // makes Lucene skip the hit with exactly these values, which was the last one sent.
    return new FieldDoc(Math.max(0, maxDoc - 1), Float.NaN, new Object[] {timestampNanos, seq});
  }
}
