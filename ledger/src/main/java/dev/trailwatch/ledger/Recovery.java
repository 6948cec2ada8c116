package dev.trailwatch.ledger;

import dev.trailwatch.ledger.LedgerProblem.Kind;
import dev.trailwatch.ledger.checkpoint.NoteException;
import dev.trailwatch.ledger.checkpoint.NoteLog;
import dev.trailwatch.ledger.checkpoint.NoteVerifier;
import dev.trailwatch.ledger.merkle.CompactRange;
import dev.trailwatch.ledger.merkle.Rfc6962Hasher;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Brings a data directory back to a consistent state before the writer starts, as Kafka's {@code
 * LogSegment.recover} does for its active segment.
 *
 * <ol>
 *   <li>The checkpoint log: an incomplete last note (interrupted append) is cut off; the latest
 *       checkpoint must verify with the ledger's key, or opening fails.
 *   <li>The last segment is scanned: a torn tail (a damaged record, or a damaged header of a new
 *       segment, with nothing valid after it, beyond the latest checkpoint) is truncated; any other
 *       damage fails the open with the file, offset and sequence number. Sealed segments are not
 *       read, except those after the latest checkpoint (step 4): {@code verify} checks them.
 *   <li>Tiles beyond the latest checkpoint were not fsynced and are discarded; the tiles up to it
 *       must all be there and reproduce its root hash, or opening fails.
 *   <li>Records after the checkpoint are hashed into the tree again; one that cannot be read fails
 *       the open.
 * </ol>
 *
 * <p>Never truncates anything a signed checkpoint covers.
 */
final class Recovery {
  private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

  /** What the writer continues from. */
  record State(
      long size,
      long activeBase,
      long activeEnd,
      TreeWriter tree,
      Optional<SignedCheckpoint> latest,
      long checkpointCount) {}

  private Recovery() {}

  static State run(
      Path dir,
      LedgerMeta meta,
      NoteVerifier verifier,
      SegmentSet segments,
      TileFiles tiles,
      Rfc6962Hasher hasher)
      throws IOException {
    Path cpFile = Layout.checkpoints(dir);
    CheckpointLog.Contents log = CheckpointLog.read(cpFile);
    if (log.tail().isPresent()) {
      NoteLog.Tail tail = log.tail().get();
      if (!log.tailIsInterruptedWrite()) {
        throw new LedgerCorruptException(
            "the checkpoint log is damaged: " + tail.reason(), cpFile, tail.offset(), -1);
      }
      LOG.log(
          Level.WARNING,
          "cutting an incomplete checkpoint off the end of {0} at offset {1} (interrupted write)",
          cpFile,
          tail.offset());
      DurableFiles.truncate(cpFile, tail.offset());
    }
    Optional<SignedCheckpoint> latest = Optional.empty();
    if (!log.notes().isEmpty()) {
      NoteLog.Entry last = log.notes().get(log.notes().size() - 1);
      try {
        SignedCheckpoint cp = SignedCheckpoint.open(last.note(), verifier);
        if (!cp.checkpoint().origin().equals(meta.origin())) {
          throw new LedgerCorruptException(
              "the latest checkpoint is for origin '"
                  + cp.checkpoint().origin()
                  + "', not this ledger's '"
                  + meta.origin()
                  + "'",
              cpFile,
              last.offset(),
              -1);
        }
        latest = Optional.of(cp);
      } catch (NoteException e) {
        throw new LedgerCorruptException(
            "the latest checkpoint cannot be trusted: " + e.getMessage(),
            cpFile,
            last.offset(),
            -1);
      }
    }
    long checkpointed = latest.map(SignedCheckpoint::size).orElse(0L);

    // The last segment: find its end, truncate a torn tail.
    long size;
    long activeBase;
    long activeEnd;
    Optional<SegmentSet.Segment> last = segments.last();
    if (last.isEmpty()) {
      if (checkpointed > 0) {
        throw new LedgerCorruptException(
            "no segment files, but the latest checkpoint covers " + checkpointed + " entries",
            Layout.segments(dir),
            0,
            0);
      }
      activeBase = 0;
      activeEnd = -1; // create it
      size = 0;
    } else {
      SegmentSet.Segment seg = last.get();
      activeBase = seg.baseSeq();
      try (RecordCursor cursor = new RecordCursor(segments, seg.baseSeq(), Long.MAX_VALUE)) {
        long end = SegmentFormat.HEADER_SIZE;
        while (cursor.next()) {
          end = cursor.reader().position();
        }
        size = cursor.expected();
        Optional<LedgerProblem> problem = cursor.problem();
        if (problem.isPresent()) {
          LedgerProblem p = problem.get();
          if (p.kind() != Kind.TORN_TAIL || p.seq() < checkpointed) {
            throw new LedgerCorruptException(
                p.message()
                    + (p.seq() < checkpointed && p.kind() == Kind.TORN_TAIL
                        ? "; a signed checkpoint covers this entry, so it must not be truncated"
                        : ""),
                p.file().orElse(seg.file()),
                p.offset(),
                p.seq());
          }
          if (p.offset() < SegmentFormat.HEADER_SIZE) {
            LOG.log(Level.WARNING, "rewriting the torn header of {0}", seg.file());
            rewriteHeader(seg);
            end = SegmentFormat.HEADER_SIZE;
          } else {
            LOG.log(
                Level.WARNING,
                "truncating an incomplete record at the end of {0} (offset {1}, entry {2}): an"
                    + " interrupted write, never acknowledged",
                seg.file(),
                p.offset(),
                p.seq());
            DurableFiles.truncate(seg.file(), p.offset());
            end = p.offset();
          }
        }
        activeEnd = end;
      }
    }
    if (size < checkpointed) {
      throw new LedgerCorruptException(
          "the ledger holds "
              + size
              + " entries but its latest checkpoint (#"
              + latest.get().index()
              + ") covers "
              + checkpointed
              + ": entries were lost or removed",
          last.map(SegmentSet.Segment::file).orElse(Layout.segments(dir)),
          activeEnd,
          size);
    }

    TreeWriter tree = restoreTree(dir, segments, tiles, hasher, latest);
    // Hash what was written after the checkpoint.
    try (RecordCursor cursor = new RecordCursor(segments, checkpointed, size)) {
      while (cursor.next()) {
        SegmentReader r = cursor.reader();
        tree.appendLeafData(r.buffer(), r.recordStart(), r.leafLength());
      }
      // Only the last segment was scanned above; a sealed segment after the checkpoint was fsynced
      // before the next one was created, so damage there is corruption, not an interrupted write.
      Optional<LedgerProblem> problem = cursor.problem();
      if (problem.isPresent()) {
        LedgerProblem p = problem.get();
        throw new LedgerCorruptException(
            p.message() + "; recovery must rehash this entry but cannot read it",
            p.file().orElse(Layout.segments(dir)),
            p.offset(),
            p.seq());
      }
    }
    if (tree.size() != size) {
      throw new IllegalStateException(
          "tree size " + tree.size() + " after replay, expected " + size);
    }
    return new State(size, activeBase, activeEnd, tree, latest, log.notes().size());
  }

  /** The tree at the latest checkpoint's size, from the tiles, checked against its root. */
  private static TreeWriter restoreTree(
      Path dir,
      SegmentSet segments,
      TileFiles tiles,
      Rfc6962Hasher hasher,
      Optional<SignedCheckpoint> latest)
      throws IOException {
    long s = latest.map(SignedCheckpoint::size).orElse(0L);
    for (int t = 0; t < 8; t++) {
      long keep =
          t * TileFiles.HEIGHT + TileFiles.HEIGHT >= 64 ? 0 : s >>> (TileFiles.HEIGHT * (t + 1));
      tiles.truncate(t, keep);
      if (tiles.count(t) < keep) {
        // Tiles are fsynced before the checkpoint that covers them, so these were removed or cut
        // since; the writer could not file new tiles after the gap.
        long have = tiles.count(t);
        throw new LedgerCorruptException(
            "tile level "
                + t
                + " holds "
                + have
                + " full tiles but the latest checkpoint (#"
                + latest.get().index()
                + ", size "
                + s
                + ") covers "
                + keep
                + ": tiles were removed or cut short",
            tiles.file(t),
            TileFiles.HEADER + have * TileFiles.TILE_BYTES,
            have << (TileFiles.HEIGHT * (t + 1)));
      }
    }
    if (s == 0) {
      return TreeWriter.empty(hasher, (t, i, tile) -> tiles.append(t, i, tile, 0));
    }
    Optional<PartialTiles> partial =
        PartialTiles.read(Layout.tiles(dir)).filter(p -> p.size() == s);
    TileNodeReader nodes = new TileNodeReader(tiles, partial, leafSource(segments, hasher), hasher);
    CompactRange range = CompactRange.load(hasher, s, nodes);
    byte[] root = range.root();
    if (!java.util.Arrays.equals(root, latest.get().root())) {
      HexFormat hex = HexFormat.of();
      throw new LedgerCorruptException(
          "the Merkle tiles do not reproduce the root of the latest checkpoint (#"
              + latest.get().index()
              + ", size "
              + s
              + "): expected="
              + hex.formatHex(latest.get().root())
              + ", actual="
              + hex.formatHex(root),
          Layout.tiles(dir),
          0,
          -1);
    }
    PartialTiles edge = partial.orElse(null);
    if (edge == null) {
      int n = PartialTiles.levelCount(s);
      byte[][] levels = new byte[n][];
      for (int t = 0; t < n; t++) {
        int w = PartialTiles.widthAt(s, t);
        long count = s >>> (t * TileFiles.HEIGHT);
        levels[t] = new byte[w * TileFiles.HASH];
        for (int j = 0; j < w; j++) {
          System.arraycopy(
              nodes.hashAt(t, count - w + j), 0, levels[t], j * TileFiles.HASH, TileFiles.HASH);
        }
      }
      edge = new PartialTiles(s, levels);
    }
    return new TreeWriter(hasher, (t, i, tile) -> tiles.append(t, i, tile, 0), range, edge);
  }

  /** Leaf hashes straight from the records. */
  static TileNodeReader.LeafSource leafSource(SegmentSet segments, Rfc6962Hasher hasher) {
    return (from, count, out) -> {
      try (RecordCursor cursor = new RecordCursor(segments, from, from + count, 1 << 16)) {
        int i = 0;
        while (cursor.next()) {
          SegmentReader r = cursor.reader();
          hasher.hashLeaf(r.buffer(), r.recordStart(), r.leafLength(), out, i * TileFiles.HASH);
          i++;
        }
        if (i != count) {
          LedgerProblem p =
              cursor
                  .problem()
                  .orElse(LedgerProblem.of(Kind.SEQUENCE_BREAK, from + i, "entry is missing"));
          throw new LedgerCorruptException(
              p.message(), p.file().orElse(segments.dir()), p.offset(), p.seq());
        }
      }
    };
  }

  private static void rewriteHeader(SegmentSet.Segment seg) throws IOException {
    try (FileChannel ch = FileChannel.open(seg.file(), StandardOpenOption.WRITE)) {
      ch.truncate(0);
      DurableFiles.writeFully(ch, ByteBuffer.wrap(SegmentFormat.header(seg.baseSeq())));
      ch.force(true);
    }
    if (!Files.exists(seg.file())) {
      throw new IOException("segment " + seg.file() + " vanished");
    }
  }
}
