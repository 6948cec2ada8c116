package dev.trailwatch.ledger;

import dev.trailwatch.ledger.merkle.NodeReader;
import dev.trailwatch.ledger.merkle.Rfc6962Hasher;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the hash of any perfect subtree of the ledger's tree from the tiles: full tiles from
 * {@link TileFiles}, the right edge from {@link PartialTiles}, and, where neither has it (a tile
 * file lagging behind the records, or no partial tiles for this size), by recomputing from the
 * level below, down to the records. Node {@code (L, i)} with {@code L = 8t + r} is the root of
 * {@code 2^r} consecutive hashes of tile level {@code t}, so any node costs at most one tile read
 * plus up to 255 hashes.
 *
 * <p>Not thread-safe (it caches); create one per proof or per request.
 */
final class TileNodeReader implements NodeReader {
  /** Leaf hashes of stored records, for the partial tile of level 0 when nothing else has it. */
  @FunctionalInterface
  interface LeafSource {
    /** Writes the leaf hashes of records {@code [from, from + count)} into {@code out}. */
    void leafHashes(long from, int count, byte[] out) throws IOException;
  }

  private static final int CACHED_TILES = 64;

  private final TileFiles tiles;
  private final Optional<PartialTiles> partial;
  private final LeafSource leaves;
  private final Rfc6962Hasher hasher;
  private final Map<Long, byte[]> tileCache =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
          return size() > CACHED_TILES;
        }
      };
  private final Map<Long, byte[]> computed = new HashMap<>();

  TileNodeReader(
      TileFiles tiles, Optional<PartialTiles> partial, LeafSource leaves, Rfc6962Hasher hasher) {
    this.tiles = tiles;
    this.partial = partial;
    this.leaves = leaves;
    this.hasher = hasher;
  }

  @Override
  public byte[] hash(int level, long index) throws IOException {
    int t = level / TileFiles.HEIGHT;
    int r = level % TileFiles.HEIGHT;
    if (r == 0) {
      return hashAt(t, index);
    }
    int n = 1 << r;
    byte[] buf = new byte[n * TileFiles.HASH];
    long first = index << r;
    for (int j = 0; j < n; j++) {
      System.arraycopy(hashAt(t, first + j), 0, buf, j * TileFiles.HASH, TileFiles.HASH);
    }
    return reduce(buf, n);
  }

  /** The hash at tree level {@code 8t}, index {@code k}. */
  byte[] hashAt(int t, long k) throws IOException {
    long tileIndex = k >>> TileFiles.HEIGHT;
    int inTile = (int) (k & (TileFiles.WIDTH - 1));
    if (tileIndex < tiles.count(t)) {
      byte[] tile = tile(t, tileIndex);
      byte[] h = new byte[TileFiles.HASH];
      System.arraycopy(tile, inTile * TileFiles.HASH, h, 0, TileFiles.HASH);
      return h;
    }
    if (partial.isPresent()) {
      Optional<byte[]> p = partial.get().hash(t, k);
      if (p.isPresent()) {
        return p.get();
      }
    }
    long key = ((long) t << 56) | k;
    byte[] cached = computed.get(key);
    if (cached != null) {
      return cached;
    }
    if (t == 0) {
      // Hash the whole partial tile of leaves at once: one scan of the records.
      long from = tileIndex << TileFiles.HEIGHT;
      int count = inTile + 1;
      byte[] out = new byte[count * TileFiles.HASH];
      leaves.leafHashes(from, count, out);
      for (int j = 0; j < count; j++) {
        byte[] h = new byte[TileFiles.HASH];
        System.arraycopy(out, j * TileFiles.HASH, h, 0, TileFiles.HASH);
        computed.put(from + j, h);
      }
      return computed.get(key);
    }
    byte[] buf = new byte[TileFiles.TILE_BYTES];
    long first = k << TileFiles.HEIGHT;
    for (int j = 0; j < TileFiles.WIDTH; j++) {
      System.arraycopy(hashAt(t - 1, first + j), 0, buf, j * TileFiles.HASH, TileFiles.HASH);
    }
    byte[] h = reduce(buf, TileFiles.WIDTH);
    computed.put(key, h);
    return h;
  }

  private byte[] tile(int t, long index) throws IOException {
    long key = ((long) t << 56) | index;
    byte[] tile = tileCache.get(key);
    if (tile == null) {
      tile =
          tiles
              .read(t, index)
              .orElseThrow(() -> new IOException("tile (" + t + ", " + index + ") vanished"));
      tileCache.put(key, tile);
    }
    return tile;
  }

  /** The root of {@code n} (a power of two) consecutive hashes in {@code buf}; clobbers buf. */
  byte[] reduce(byte[] buf, int n) {
    while (n > 1) {
      for (int j = 0; j < n / 2; j++) {
        hasher.hashChildren(
            buf,
            2 * j * TileFiles.HASH,
            buf,
            (2 * j + 1) * TileFiles.HASH,
            buf,
            j * TileFiles.HASH);
      }
      n /= 2;
    }
    byte[] root = new byte[TileFiles.HASH];
    System.arraycopy(buf, 0, root, 0, TileFiles.HASH);
    return root;
  }
}
