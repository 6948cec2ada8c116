package dev.trailwatch.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The partial tiles at the right edge of a tree of a given size: for each tile level {@code t}, the
 * {@code floor(size / 256^t) mod 256} hashes of tree level {@code 8t} that do not yet fill a tile
 * (C2SP calls them {@code tile/t/N.p/W}). Immutable.
 *
 * <p>Written next to the full tiles as {@code tiles/partial} at every checkpoint, so that proofs
 * for the checkpointed size need no record reads:
 *
 * <pre>
 * magic "TWPARTL1" (8) | u64 tree size | u32 levels | (u32 width | width * 32 bytes)* | u32 crc32c
 * </pre>
 */
final class PartialTiles {
  static final String FILE = "partial";
  private static final byte[] MAGIC = "TWPARTL1".getBytes(StandardCharsets.US_ASCII);

  private final long size;
  private final byte[][] levels;

  PartialTiles(long size, byte[][] levels) {
    this.size = size;
    this.levels = levels;
    for (int t = 0; t < levels.length; t++) {
      int expected = widthAt(size, t);
      if (levels[t].length != expected * TileFiles.HASH) {
        throw new IllegalArgumentException(
            "partial tile of level "
                + t
                + " for size "
                + size
                + " must hold "
                + expected
                + " hashes, not "
                + levels[t].length / TileFiles.HASH);
      }
    }
  }

  /** The number of tile levels a tree of {@code size} has (at least one). */
  static int levelCount(long size) {
    int n = 1;
    long count = size >>> TileFiles.HEIGHT;
    while (count > 0) {
      n++;
      count >>>= TileFiles.HEIGHT;
    }
    return n;
  }

  /** How many hashes the partial tile of level {@code t} holds for a tree of {@code size}. */
  static int widthAt(long size, int t) {
    long count = t * TileFiles.HEIGHT >= 64 ? 0 : size >>> (t * TileFiles.HEIGHT);
    return (int) (count & (TileFiles.WIDTH - 1));
  }

  long size() {
    return size;
  }

  int levels() {
    return levels.length;
  }

  /** The hash of tree level {@code 8t} at {@code index}, if it lies in the partial tile. */
  Optional<byte[]> hash(int t, long index) {
    if (t >= levels.length) {
      return Optional.empty();
    }
    long count = size >>> (t * TileFiles.HEIGHT);
    long firstPartial = count - widthAt(size, t);
    if (index < firstPartial || index >= count) {
      return Optional.empty();
    }
    int at = (int) (index - firstPartial) * TileFiles.HASH;
    return Optional.of(Arrays.copyOfRange(levels[t], at, at + TileFiles.HASH));
  }

  byte[] level(int t) {
    return levels[t].clone();
  }

  byte[] encode() {
    int len = 8 + 8 + 4 + 4;
    for (byte[] l : levels) {
      len += 4 + l.length;
    }
    byte[] out = new byte[len];
    System.arraycopy(MAGIC, 0, out, 0, 8);
    SegmentFormat.putLong(out, 8, size);
    SegmentFormat.putInt(out, 16, levels.length);
    int pos = 20;
    for (byte[] l : levels) {
      SegmentFormat.putInt(out, pos, l.length / TileFiles.HASH);
      System.arraycopy(l, 0, out, pos + 4, l.length);
      pos += 4 + l.length;
    }
    CRC32C crc = new CRC32C();
    crc.update(out, 0, pos);
    SegmentFormat.putInt(out, pos, (int) crc.getValue());
    return out;
  }

  /** Reads {@code tiles/partial}; empty if absent, damaged or inconsistent (it is derived data). */
  static Optional<PartialTiles> read(Path tilesDir) throws IOException {
    byte[] b;
    try {
      b = Files.readAllBytes(tilesDir.resolve(FILE));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      if (b.length < 24 || !Arrays.equals(Arrays.copyOf(b, 8), MAGIC)) {
        return Optional.empty();
      }
      CRC32C crc = new CRC32C();
      crc.update(b, 0, b.length - 4);
      if ((int) crc.getValue() != SegmentFormat.getInt(b, b.length - 4)) {
        return Optional.empty();
      }
      long size = SegmentFormat.getLong(b, 8);
      int n = SegmentFormat.getInt(b, 16);
      if (n < 1 || n > 16) {
        return Optional.empty();
      }
      byte[][] levels = new byte[n][];
      int pos = 20;
      for (int t = 0; t < n; t++) {
        int w = SegmentFormat.getInt(b, pos);
        if (w < 0 || w >= TileFiles.WIDTH || pos + 4 + w * TileFiles.HASH > b.length - 4) {
          return Optional.empty();
        }
        levels[t] = Arrays.copyOfRange(b, pos + 4, pos + 4 + w * TileFiles.HASH);
        pos += 4 + w * TileFiles.HASH;
      }
      if (pos != b.length - 4 || n != levelCount(size)) {
        return Optional.empty();
      }
      return Optional.of(new PartialTiles(size, levels));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
