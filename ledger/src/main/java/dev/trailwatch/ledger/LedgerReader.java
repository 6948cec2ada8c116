package dev.trailwatch.ledger;

import dev.trailwatch.ledger.checkpoint.NoteLog;
import dev.trailwatch.ledger.merkle.Proofs;
import dev.trailwatch.ledger.merkle.Rfc6962Hasher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a data directory: entries, checkpoints and proofs. Needs no lock and works beside a running
 * writer (it then sees what was complete when it looked) and on a directory left by a crash (it
 * reads what is intact and says what is not). Thread-safe for concurrent reads, but proof
 * generation allocates per call.
 *
 * <p>{@link #read(long, long)} reads one entry at a remembered offset with one or two positional
 * reads; it keeps a channel per segment open until {@link #close()}, so a reader that serves many
 * such reads should live long (one per server, say) rather than be opened per read.
 */
public final class LedgerReader implements AutoCloseable {
  private final Path dir;
  private final LedgerMeta meta;
  private final SegmentSet segments;
  private final TileFiles tiles;
  private final Optional<Ledger> live;
  private final boolean ownsTiles;
  private final PositionalReads positional;

  private LedgerReader(
      Path dir,
      LedgerMeta meta,
      SegmentSet segments,
      TileFiles tiles,
      Optional<Ledger> live,
      boolean ownsTiles) {
    this.dir = dir;
    this.meta = meta;
    this.segments = segments;
    this.tiles = tiles;
    this.live = live;
    this.ownsTiles = ownsTiles;
    this.positional = new PositionalReads(segments);
  }

  /** Opens {@code dataDir} read-only. */
  public static LedgerReader open(Path dataDir) throws IOException {
    if (!Files.isDirectory(dataDir)) {
      throw new NoSuchFileException(
          dataDir.toString(), null, "no such data directory (pass --data DIR)");
    }
    LedgerMeta meta =
        LedgerMeta.read(dataDir)
            .orElseThrow(
                () ->
                    new LedgerFormatException(
                        dataDir,
                        "not a Trailwatch data directory (it has no LEDGER file; pass --data DIR)"));
    SegmentSet segments = SegmentSet.scan(Layout.segments(dataDir), new ArrayList<>());
    TileFiles tiles = TileFiles.openForReading(Layout.tiles(dataDir));
    return new LedgerReader(dataDir, meta, segments, tiles, Optional.empty(), true);
  }

  static LedgerReader live(
      Ledger ledger, Path dir, LedgerMeta meta, SegmentSet segments, TileFiles tiles) {
    return new LedgerReader(dir, meta, segments, tiles, Optional.of(ledger), false);
  }

  public Path dataDir() {
    return dir;
  }

  public String origin() {
    return meta.origin();
  }

  /** Whether a live process holds this directory's writer lock. */
  public boolean writerRunning() {
    return live.isPresent() || DataLock.isHeld(dir);
  }

  /** Who holds the writer lock, for messages. */
  public String writerDescription() {
    return DataLock.describeHolder(dir);
  }

  /**
   * The number of entries readable now: for a directory read from files, the entries up to the
   * first damaged or incomplete record of the last segment.
   */
  public long size() throws IOException {
    if (live.isPresent()) {
      return live.get().size();
    }
    Optional<SegmentSet.Segment> last = segments.last();
    if (last.isEmpty()) {
      return 0;
    }
    try (RecordCursor c = new RecordCursor(segments, last.get().baseSeq(), Long.MAX_VALUE)) {
      while (c.next()) {
        // count
      }
      return c.expected();
    }
  }

  /** Entries from {@code fromSeq} to the end. */
  public EntryIterator entries(long fromSeq) throws IOException {
    long end = live.isPresent() ? live.get().size() : Long.MAX_VALUE;
    return new EntryIterator(new RecordCursor(segments, fromSeq, end));
  }

  /** The entry {@code seq}, if it is stored and intact. */
  public Optional<Entry> read(long seq) throws IOException {
    try (EntryIterator it = entries(seq)) {
      return it.next() ? Optional.of(it.entry()) : Optional.empty();
    }
  }

  /**
   * The entry {@code seq}, found fast at {@code offsetHint}: the byte offset of its record in the
   * segment file that holds it, as {@link Entry#offset()} gave it when it was read before (a search
   * index keeps it, for instance). The hint is trusted for nothing: the record there is returned
   * only if its CRC matches and its sequence number is {@code seq}; a wrong, stale or damaged hint
   * (any value, negative included) falls back to {@link #read(long)}, which scans the segment.
   * Either way the answer is the entry {@code seq} as stored, or empty when it is not stored or not
   * intact.
   */
  public Optional<Entry> read(long seq, long offsetHint) throws IOException {
    if (live.isPresent() && seq >= live.get().size()) {
      return Optional.empty(); // written, perhaps, but not yet durable
    }
    Optional<Entry> found = positional.read(seq, offsetHint);
    return found.isPresent() ? found : read(seq);
  }

  /** The record bytes that are hashed into the leaf of {@code seq} (the record without its CRC). */
  public Optional<byte[]> leafData(long seq) throws IOException {
    long end = live.isPresent() ? live.get().size() : Long.MAX_VALUE;
    try (RecordCursor c = new RecordCursor(segments, seq, Math.min(end, seq + 1), 1 << 16)) {
      if (!c.next()) {
        return Optional.empty();
      }
      SegmentReader r = c.reader();
      byte[] out = new byte[r.leafLength()];
      System.arraycopy(r.buffer(), r.recordStart(), out, 0, out.length);
      return Optional.of(out);
    }
  }

  /** The signed notes of the checkpoint log, in order, unverified (verify before trusting). */
  public List<String> checkpointNotes() throws IOException {
    return CheckpointLog.read(Layout.checkpoints(dir)).notes().stream()
        .map(NoteLog.Entry::note)
        .toList();
  }

  /** The public key stored in the data directory, if any. */
  public Optional<Path> publicKeyFile() {
    Path p = Layout.keys(dir).resolve("signing.pub");
    return Files.exists(p) ? Optional.of(p) : Optional.empty();
  }

  /** The root hash of the first {@code size} entries, recomputed from tiles and records. */
  public byte[] root(long size) throws IOException {
    checkSize(size);
    Rfc6962Hasher h = Rfc6962Hasher.create();
    return Proofs.root(size, nodes(h), h);
  }

  /** An inclusion proof for entry {@code seq} in the tree of {@code treeSize} entries. */
  public Proof.Inclusion inclusion(long seq, long treeSize) throws IOException {
    checkSize(treeSize);
    if (seq < 0 || seq >= treeSize) {
      throw new IllegalArgumentException(
          "entry " + seq + " is not in a tree of " + treeSize + " entries");
    }
    Rfc6962Hasher h = Rfc6962Hasher.create();
    TileNodeReader nodes = nodes(h);
    return new Proof.Inclusion(
        seq, treeSize, nodes.hash(0, seq), Proofs.inclusion(seq, treeSize, nodes, h));
  }

  /** A consistency proof between the trees of {@code oldSize} and {@code newSize} entries. */
  public Proof.Consistency consistency(long oldSize, long newSize) throws IOException {
    checkSize(newSize);
    if (oldSize < 0 || oldSize > newSize) {
      throw new IllegalArgumentException(
          "old size " + oldSize + " must be between 0 and the new size " + newSize);
    }
    Rfc6962Hasher h = Rfc6962Hasher.create();
    return new Proof.Consistency(
        oldSize, newSize, Proofs.consistency(oldSize, newSize, nodes(h), h));
  }

  private void checkSize(long size) throws IOException {
    long have = size();
    if (size < 0 || size > have) {
      throw new IllegalArgumentException(
          "tree size " + size + " is beyond the " + have + " entries stored");
    }
  }

  private TileNodeReader nodes(Rfc6962Hasher h) throws IOException {
    Optional<PartialTiles> partial =
        live.isPresent()
            ? Optional.ofNullable(live.get().latestEdge())
            : PartialTiles.read(Layout.tiles(dir));
    return new TileNodeReader(tiles, partial, Recovery.leafSource(segments, h), h);
  }

  SegmentSet segments() {
    return segments;
  }

  TileFiles tiles() {
    return tiles;
  }

  LedgerMeta meta() {
    return meta;
  }

  @Override
  public void close() throws IOException {
    try {
      positional.close();
    } finally {
      if (ownsTiles) {
        tiles.close();
      }
    }
  }

  /** How many segment files {@link #read(long, long)} keeps open now (for tests). */
  int openSegmentChannels() {
    return positional.openChannels();
  }
}
