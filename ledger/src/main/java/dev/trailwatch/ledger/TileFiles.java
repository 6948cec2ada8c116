package dev.trailwatch.ledger;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32C;

/**
 * The full Merkle tiles of a ledger, one file per tile level, packed.
 *
 * <p>Tiles follow C2SP tlog-tiles: height 8, so a full tile holds 256 hashes of 32 bytes; tile
 * level {@code t} holds the hashes of tree level {@code 8t} (level 0: the leaf hashes). Tile {@code
 * (t, i)} is what C2SP serves at {@code tile/t/i}. Instead of one file per tile, tile level {@code
 * t} is the file {@code tiles/level-t}:
 *
 * <pre>
 * file   = header tile*
 * header = magic "TWTILES1" (8) | u32 tile level | u32 crc32c of the preceding 12 bytes
 * tile   = 256 hashes of 32 bytes (8192 bytes); tile i at offset 16 + 8192 * i
 * </pre>
 *
 * <p>Only full tiles are written here, in order, and never change. The partial tiles at the right
 * edge of the tree are kept by {@link PartialTiles}. Tiles are derived data: they are fsynced
 * before each checkpoint that covers them, and recovery discards and recomputes any tile beyond the
 * latest checkpoint. Writes come from the single ledger writer; reads are thread-safe.
 */
final class TileFiles implements Closeable {
  static final int HEIGHT = 8;
  static final int WIDTH = 1 << HEIGHT;
  static final int HASH = 32;
  static final int TILE_BYTES = WIDTH * HASH;
  static final int HEADER = 16;
  private static final byte[] MAGIC = "TWTILES1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_LEVELS = 8; // 256^8 leaves

  private final Path dir;
  private final boolean writable;
  private final FileChannel[] channels = new FileChannel[MAX_LEVELS];
  private final AtomicLongArray counts = new AtomicLongArray(MAX_LEVELS);
  private final boolean[] dirty = new boolean[MAX_LEVELS];

  private TileFiles(Path dir, boolean writable) {
    this.dir = dir;
    this.writable = writable;
  }

  /** Opens the tile files for writing, creating the directory. */
  static TileFiles openForWriting(Path dir) throws IOException {
    DurableFiles.createDirectories(dir);
    TileFiles t = new TileFiles(dir, true);
    for (int level = 0; level < MAX_LEVELS; level++) {
      if (Files.exists(t.file(level))) {
        t.channel(level);
      }
    }
    return t;
  }

  static TileFiles openForReading(Path dir) throws IOException {
    TileFiles t = new TileFiles(dir, false);
    for (int level = 0; level < MAX_LEVELS; level++) {
      if (Files.exists(t.file(level))) {
        t.channel(level);
      }
    }
    return t;
  }

  /**
   * Opens the tile files for reading like {@link #openForReading}, but a file whose header is
   * damaged is added to {@code damaged} and reads as holding no tiles, so that the verifier can
   * report it and go on checking everything else.
   */
  static TileFiles openForVerifying(Path dir, List<TileFileException> damaged) throws IOException {
    TileFiles t = new TileFiles(dir, false);
    for (int level = 0; level < MAX_LEVELS; level++) {
      if (Files.exists(t.file(level))) {
        try {
          t.channel(level);
        } catch (TileFileException e) {
          damaged.add(e);
        }
      }
    }
    return t;
  }

  Path file(int level) {
    return dir.resolve("level-" + level);
  }

  /** The files that exist, for the verifier. */
  List<Path> existingFiles() {
    List<Path> out = new ArrayList<>();
    for (int level = 0; level < MAX_LEVELS; level++) {
      if (channels[level] != null) {
        out.add(file(level));
      }
    }
    return out;
  }

  /** How many full tiles level {@code level} holds. */
  long count(int level) {
    return level < MAX_LEVELS ? counts.get(level) : 0;
  }

  /** The full tile {@code (level, index)}, if stored. */
  Optional<byte[]> read(int level, long index) throws IOException {
    if (level >= MAX_LEVELS || channels[level] == null || index >= counts.get(level) || index < 0) {
      return Optional.empty();
    }
    byte[] tile = new byte[TILE_BYTES];
    DurableFiles.readFully(channels[level], ByteBuffer.wrap(tile), offset(index));
    return Optional.of(tile);
  }

  /** Reads stored hashes {@code [from, from + n)} of tile level {@code level} into {@code out}. */
  void readHashes(int level, long from, int n, byte[] out, int outOff) throws IOException {
    if (from + n > counts.get(level) * WIDTH) {
      throw new IllegalArgumentException("hashes beyond the stored tiles of level " + level);
    }
    DurableFiles.readFully(
        channels[level], ByteBuffer.wrap(out, outOff, n * HASH), HEADER + from * HASH);
  }

  /** Appends full tile {@code (level, index)}; {@code index} must be the next one. */
  void append(int level, long index, byte[] tile, int off) throws IOException {
    if (!writable) {
      throw new IllegalStateException("tile files opened read-only");
    }
    if (index != counts.get(level)) {
      throw new IllegalStateException(
          "tile (" + level + ", " + index + ") out of order: level has " + counts.get(level));
    }
    FileChannel ch = channel(level);
    ByteBuffer buf = ByteBuffer.wrap(tile, off, TILE_BYTES);
    long pos = offset(index);
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
    counts.set(level, index + 1);
    dirty[level] = true;
  }

  /** Forgets every tile of {@code level} from {@code count} on. */
  void truncate(int level, long count) throws IOException {
    if (level >= MAX_LEVELS || channels[level] == null || counts.get(level) <= count) {
      return;
    }
    channels[level].truncate(offset(count));
    channels[level].force(true);
    counts.set(level, count);
  }

  /** Makes every tile written so far durable. */
  void sync() throws IOException {
    for (int level = 0; level < MAX_LEVELS; level++) {
      if (dirty[level]) {
        channels[level].force(false);
        dirty[level] = false;
      }
    }
  }

  private static long offset(long index) {
    return HEADER + index * (long) TILE_BYTES;
  }

  private FileChannel channel(int level) throws IOException {
    if (channels[level] != null) {
      return channels[level];
    }
    Path f = file(level);
    boolean exists = Files.exists(f);
    if (!exists && !writable) {
      throw new IllegalStateException("no tile file " + f);
    }
    if (!exists) {
      // Born complete: a crash can never leave a tile file without its header.
      DurableFiles.publish(f, header(level));
    }
    FileChannel ch =
        writable
            ? FileChannel.open(
                f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
            : FileChannel.open(f, StandardOpenOption.READ);
    long size = ch.size();
    if (size < HEADER) {
      if (!writable) {
        ch.close();
        throw new TileFileException(f, "shorter than its header");
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(header(level)), 0);
      ch.force(true);
      DurableFiles.syncDirectory(dir);
      size = HEADER;
    } else {
      byte[] h = new byte[HEADER];
      DurableFiles.readFully(ch, ByteBuffer.wrap(h), 0);
      if (!Arrays.equals(h, header(level))) {
        ch.close();
        throw new TileFileException(f, "bad header (not a tile file of level " + level + ")");
      }
    }
    long full = (size - HEADER) / TILE_BYTES;
    if (writable && size != offset(full)) {
      ch.truncate(offset(full)); // a torn tile write: the tile is recomputed
    }
    channels[level] = ch;
    counts.set(level, full);
    return ch;
  }

  private static byte[] header(int level) {
    byte[] h = new byte[HEADER];
    System.arraycopy(MAGIC, 0, h, 0, 8);
    SegmentFormat.putInt(h, 8, level);
    CRC32C crc = new CRC32C();
    crc.update(h, 0, 12);
    SegmentFormat.putInt(h, 12, (int) crc.getValue());
    return h;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (int level = 0; level < MAX_LEVELS; level++) {
      if (channels[level] != null) {
        try {
          channels[level].close();
        } catch (IOException e) {
          if (first == null) {
            first = e;
          }
        }
        channels[level] = null;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** A tile file that cannot be read. */
  static final class TileFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    TileFileException(Path file, String problem) {
      super(file + ": " + problem);
      this.file = file;
      this.problem = problem;
    }

    Path file() {
      return file;
    }

    String problem() {
      return problem;
    }
  }
}
