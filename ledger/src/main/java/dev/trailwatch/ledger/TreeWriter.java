package dev.trailwatch.ledger;

import dev.trailwatch.ledger.merkle.CompactRange;
import dev.trailwatch.ledger.merkle.NodeSink;
import dev.trailwatch.ledger.merkle.Rfc6962Hasher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Grows the ledger's Merkle tree: hashes each record into a leaf, keeps the compact range for the
 * root, and files every hash of a tree level {@code 8t} into the tile of level {@code t}, writing
 * full tiles to a {@link TileSink} (the tile files, or the verifier's comparison) and keeping the
 * right edge as partial tiles in memory.
 *
 * <p>Not thread-safe: owned by the ledger's hashing thread (or by recovery and verification).
 */
final class TreeWriter implements NodeSink {
  /** Receives each tile as it fills up; the array is reused after the call returns. */
  @FunctionalInterface
  interface TileSink {
    void fullTile(int level, long index, byte[] tile) throws IOException;
  }

  private final Rfc6962Hasher hasher;
  private final TileSink tiles;
  private final CompactRange range;
  private byte[][] partial = new byte[1][TileFiles.TILE_BYTES];
  private int[] partialCount = new int[1];
  private final byte[] leaf = new byte[TileFiles.HASH];

  /**
   * Continues a tree of {@code range.size()} leaves whose partial tiles are {@code edge} (which
   * must be for the same size).
   */
  TreeWriter(Rfc6962Hasher hasher, TileSink tiles, CompactRange range, PartialTiles edge) {
    if (edge.size() != range.size()) {
      throw new IllegalArgumentException(
          "partial tiles for size " + edge.size() + " do not match tree size " + range.size());
    }
    this.hasher = hasher;
    this.tiles = tiles;
    this.range = range;
    ensureLevels(edge.levels());
    for (int t = 0; t < edge.levels(); t++) {
      byte[] l = edge.level(t);
      System.arraycopy(l, 0, partial[t], 0, l.length);
      partialCount[t] = l.length / TileFiles.HASH;
    }
  }

  static TreeWriter empty(Rfc6962Hasher hasher, TileSink tiles) {
    return new TreeWriter(
        hasher, tiles, new CompactRange(hasher), new PartialTiles(0, new byte[][] {new byte[0]}));
  }

  long size() {
    return range.size();
  }

  byte[] root() {
    return range.root();
  }

  /** Appends the records laid out in {@code chunk[off, off + len)} (segment record format). */
  void appendRecords(byte[] chunk, int off, int len) {
    int end = off + len;
    while (off < end) {
      int payload = SegmentFormat.getInt(chunk, off);
      appendLeafData(chunk, off, SegmentFormat.RECORD_PREFIX + payload);
      off += SegmentFormat.RECORD_OVERHEAD + payload;
    }
  }

  /** Appends one leaf whose data (the record without its CRC) is {@code data[off, off+len)}. */
  void appendLeafData(byte[] data, int off, int len) {
    hasher.hashLeaf(data, off, len, leaf, 0);
    range.append(leaf, this);
  }

  /** Appends one leaf given by its hash, {@code hashes[off, off + 32)}. */
  void appendLeafHash(byte[] hashes, int off) {
    System.arraycopy(hashes, off, leaf, 0, TileFiles.HASH);
    range.append(leaf, this);
  }

  @Override
  public void node(int level, long index, byte[] hash) {
    if (level % TileFiles.HEIGHT != 0) {
      return;
    }
    int t = level / TileFiles.HEIGHT;
    ensureLevels(t + 1);
    int at = (int) (index & (TileFiles.WIDTH - 1));
    if (at != partialCount[t]) {
      throw new IllegalStateException(
          "tile level " + t + " expected hash " + partialCount[t] + " of its tile, got " + at);
    }
    System.arraycopy(hash, 0, partial[t], at * TileFiles.HASH, TileFiles.HASH);
    partialCount[t] = at + 1;
    if (partialCount[t] == TileFiles.WIDTH) {
      try {
        tiles.fullTile(t, index >>> TileFiles.HEIGHT, partial[t]);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      partialCount[t] = 0;
    }
  }

  /** A copy of the right edge for the current size. */
  PartialTiles edge() {
    int n = PartialTiles.levelCount(range.size());
    byte[][] levels = new byte[n][];
    for (int t = 0; t < n; t++) {
      int count = t < partialCount.length ? partialCount[t] : 0;
      levels[t] =
          Arrays.copyOf(t < partial.length ? partial[t] : new byte[0], count * TileFiles.HASH);
    }
    return new PartialTiles(range.size(), levels);
  }

  private void ensureLevels(int n) {
    if (partial.length >= n) {
      return;
    }
    int old = partial.length;
    partial = Arrays.copyOf(partial, n);
    partialCount = Arrays.copyOf(partialCount, n);
    for (int t = old; t < n; t++) {
      partial[t] = new byte[TileFiles.TILE_BYTES];
    }
  }
}
