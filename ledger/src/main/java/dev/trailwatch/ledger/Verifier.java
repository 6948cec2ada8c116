package dev.trailwatch.ledger;

import dev.trailwatch.ledger.LedgerProblem.Kind;
import dev.trailwatch.ledger.checkpoint.NoteException;
import dev.trailwatch.ledger.checkpoint.NoteLog;
import dev.trailwatch.ledger.checkpoint.NoteSigner;
import dev.trailwatch.ledger.checkpoint.NoteVerifier;
import dev.trailwatch.ledger.merkle.Rfc6962Hasher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks a data directory from scratch, trusting nothing but a public key: every record's CRC and
 * sequence number, every segment boundary, every leaf hash against the tiles written with it, every
 * checkpoint's signature, order and root hash against the tree recomputed from the records, and
 * every checkpoint a witness holds. Read-only; works beside a running writer (it then checks what
 * the latest checkpoint covers) and on a directory left by a crash.
 *
 * <p>What it cannot see: without a witness, removing the newest entries together with every
 * checkpoint that covers them leaves an older, self-consistent ledger. A witness copy of the
 * checkpoints on other storage closes that gap.
 */
public final class Verifier {
  private static final int PROGRESS_EVERY = 1 << 16;

  /** Receives progress: entries checked so far and the number expected. */
  @FunctionalInterface
  public interface Progress {
    void update(long done, long total);
  }

  /**
   * What to verify.
   *
   * @param dataDir the data directory
   * @param publicKey the verifier key to trust; empty: the one in the data directory
   * @param witness a witness location (folder or file) to check against
   * @param progress progress callback
   */
  public record Options(
      Path dataDir, Optional<NoteVerifier> publicKey, Optional<Path> witness, Progress progress) {}

  /** A verification that could not run at all (no data directory, no key): exit code 2. */
  public static final class CannotVerifyException extends IOException {
    private static final long serialVersionUID = 1L;

    public CannotVerifyException(String message) {
      super(message);
    }
  }

  private final Options options;
  private final Path dir;
  private final List<LedgerProblem> problems = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final HexFormat hex = HexFormat.of();

  private Verifier(Options options) {
    this.options = options;
    this.dir = options.dataDir();
  }

  public static VerifyReport verify(Options options) throws IOException {
    return new Verifier(options).run();
  }

  private VerifyReport run() throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new CannotVerifyException("no data directory at " + dir);
    }
    Optional<LedgerMeta> meta = readMeta();
    Keys keys = keys();
    NoteVerifier verifier = keys.verifier();
    boolean writerRunning = DataLock.isHeld(dir);

    // 1. The checkpoint log: signatures, origin, order.
    Path cpFile = Layout.checkpoints(dir);
    CheckpointLog.Contents log = CheckpointLog.read(cpFile);
    List<SignedCheckpoint> checkpoints = new ArrayList<>();
    TreeMap<Long, List<Target>> targets = new TreeMap<>();
    SignedCheckpoint previous = null;
    for (int i = 0; i < log.notes().size(); i++) {
      NoteLog.Entry note = log.notes().get(i);
      SignedCheckpoint cp;
      try {
        cp = SignedCheckpoint.open(note.note(), verifier);
      } catch (NoteException e) {
        problems.add(
            LedgerProblem.at(
                Kind.CHECKPOINT_SIGNATURE,
                -1,
                cpFile,
                note.offset(),
                "checkpoint #" + i + " cannot be trusted: " + e.getMessage()));
        continue;
      }
      if (meta.isPresent() && !cp.checkpoint().origin().equals(meta.get().origin())) {
        problems.add(
            LedgerProblem.at(
                Kind.CHECKPOINT_SEQUENCE,
                -1,
                cpFile,
                note.offset(),
                "checkpoint #"
                    + i
                    + " is for origin '"
                    + cp.checkpoint().origin()
                    + "', not this ledger's '"
                    + meta.get().origin()
                    + "'"));
      }
      if (cp.index() != i) {
        problems.add(
            LedgerProblem.at(
                Kind.CHECKPOINT_SEQUENCE,
                -1,
                cpFile,
                note.offset(),
                "checkpoint at position "
                    + i
                    + " of the log says it is checkpoint #"
                    + cp.index()
                    + ": checkpoints were removed, duplicated or reordered"));
      }
      if (previous != null
          && (cp.size() < previous.size() || cp.time().isBefore(previous.time()))) {
        problems.add(
            LedgerProblem.at(
                Kind.CHECKPOINT_SEQUENCE,
                -1,
                cpFile,
                note.offset(),
                "checkpoint #"
                    + cp.index()
                    + " (size "
                    + cp.size()
                    + ", "
                    + cp.time()
                    + ") goes back before checkpoint #"
                    + previous.index()
                    + " (size "
                    + previous.size()
                    + ", "
                    + previous.time()
                    + ")"));
      }
      checkpoints.add(cp);
      targets
          .computeIfAbsent(cp.size(), k -> new ArrayList<>())
          .add(new Target("checkpoint #" + cp.index(), cp.root(), cpFile, note.offset()));
      previous = cp;
    }
    if (log.tail().isPresent()) {
      NoteLog.Tail tail = log.tail().get();
      if (log.tailIsInterruptedWrite()) {
        notes.add(
            "the checkpoint log ends with an incomplete note at offset "
                + tail.offset()
                + " (an interrupted write): "
                + tail.reason());
      } else {
        problems.add(
            LedgerProblem.at(Kind.CHECKPOINT_SIGNATURE, -1, cpFile, tail.offset(), tail.reason()));
      }
    }

    // 2. The witness.
    long witnessed = 0;
    long witnessedSize = -1;
    if (options.witness().isPresent()) {
      String origin =
          meta.map(LedgerMeta::origin)
              .orElse(checkpoints.isEmpty() ? "" : checkpoints.get(0).checkpoint().origin());
      Path wf = CheckpointLog.witnessFile(options.witness().get(), origin);
      if (!Files.exists(wf)) {
        throw new CannotVerifyException("the witness " + wf + " does not exist");
      }
      CheckpointLog.Contents w = CheckpointLog.read(wf);
      for (NoteLog.Entry note : w.notes()) {
        SignedCheckpoint cp;
        try {
          if (verifier.inspect(note.note()).signatures().stream()
              .noneMatch(f -> f.name().equals(verifier.name()))) {
            continue; // another ledger's checkpoint sharing the witness file
          }
          cp = SignedCheckpoint.open(note.note(), verifier);
        } catch (NoteException e) {
          problems.add(
              LedgerProblem.at(
                  Kind.WITNESS_MISMATCH,
                  -1,
                  wf,
                  note.offset(),
                  "a witnessed checkpoint cannot be trusted: " + e.getMessage()));
          continue;
        }
        witnessed++;
        witnessedSize = Math.max(witnessedSize, cp.size());
        targets
            .computeIfAbsent(cp.size(), k -> new ArrayList<>())
            .add(new Target("witnessed checkpoint #" + cp.index(), cp.root(), wf, note.offset()));
        if (cp.index() < checkpoints.size()) {
          SignedCheckpoint local = checkpoints.get((int) cp.index());
          if (local.index() == cp.index() && !local.note().equals(cp.note())) {
            problems.add(
                LedgerProblem.at(
                    Kind.WITNESS_MISMATCH,
                    -1,
                    cpFile,
                    -1,
                    "checkpoint #"
                        + cp.index()
                        + " differs from the copy the witness holds (size "
                        + local.size()
                        + " here, "
                        + cp.size()
                        + " at the witness)"));
          }
        } else {
          problems.add(
              LedgerProblem.at(
                  Kind.CHECKPOINT_SEQUENCE,
                  -1,
                  cpFile,
                  -1,
                  "checkpoint #"
                      + cp.index()
                      + " (size "
                      + cp.size()
                      + ") is at the witness but missing from the data directory"));
        }
      }
      if (witnessed == 0) {
        notes.add("the witness " + wf + " holds no checkpoint of this ledger yet");
      }
    }

    // 3. The records, the tree and the tiles.
    long entries;
    long latestSize = checkpoints.isEmpty() ? 0 : checkpoints.get(checkpoints.size() - 1).size();
    long signedSize = Math.max(latestSize, witnessedSize);
    List<Path> strangers = new ArrayList<>();
    SegmentSet segments = SegmentSet.scan(Layout.segments(dir), strangers);
    for (Path s : strangers) {
      problems.add(
          LedgerProblem.at(
              Kind.LAYOUT, -1, s, -1, "a file that is not a segment is among the segments"));
    }
    checkTileDirectory();
    List<TileFiles.TileFileException> damagedTiles = new ArrayList<>();
    try (TileFiles tiles = TileFiles.openForVerifying(Layout.tiles(dir), damagedTiles)) {
      for (TileFiles.TileFileException e : damagedTiles) {
        problems.add(
            LedgerProblem.at(
                Kind.TILE_MISMATCH,
                -1,
                e.file(),
                0,
                "the tile file cannot be read ("
                    + e.problem()
                    + "): none of its tiles can be checked"));
      }
      entries = streamRecords(segments, tiles, targets, latestSize, signedSize);
    }

    // 4. What the records do not cover, or what covers no records.
    for (Map.Entry<Long, List<Target>> t : targets.entrySet()) {
      if (t.getKey() > entries) {
        for (Target target : t.getValue()) {
          problems.add(
              LedgerProblem.at(
                  Kind.ENTRIES_MISSING,
                  entries,
                  target.file(),
                  target.offset(),
                  "the ledger holds "
                      + entries
                      + " readable entries but "
                      + target.what()
                      + " covers "
                      + t.getKey()
                      + ": entries were removed or damaged"));
        }
      }
    }
    if (entries > signedSize && problems.stream().noneMatch(p -> p.kind().isTampering())) {
      long unsigned = entries - Math.max(signedSize, 0);
      if (writerRunning) {
        notes.add(
            unsigned
                + " newest entries are not yet covered by a checkpoint: a writer is running ("
                + DataLock.describeHolder(dir)
                + ") and signs one at least every second");
      } else {
        problems.add(
            LedgerProblem.of(
                Kind.UNSIGNED_ENTRIES,
                Math.max(signedSize, 0),
                "entries "
                    + Math.max(signedSize, 0)
                    + ".."
                    + (entries - 1)
                    + " are not covered by any signed checkpoint: either the writer stopped"
                    + " without closing (a crash; opening the ledger for writing recovers and signs"
                    + " them) or the checkpoints that covered them were removed"));
      }
    }
    if (!keys.problem().isEmpty()) {
      problems.add(LedgerProblem.at(Kind.KEY_MISMATCH, -1, Layout.keys(dir), -1, keys.problem()));
    }
    Optional<SignedCheckpoint> latest =
        checkpoints.isEmpty()
            ? Optional.empty()
            : Optional.of(checkpoints.get(checkpoints.size() - 1));
    return new VerifyReport(
        entries, log.notes().size(), witnessed, latest, keys.source(), problems, notes);
  }

  private long streamRecords(
      SegmentSet segments,
      TileFiles tiles,
      TreeMap<Long, List<Target>> targets,
      long latestSize,
      long signedSize)
      throws IOException {
    Rfc6962Hasher hasher = Rfc6962Hasher.create();
    TileCheck tileCheck = new TileCheck(tiles, latestSize);
    TreeWriter tree = TreeWriter.empty(hasher, tileCheck);
    checkTargets(targets, tree);
    long[] sizes = targets.keySet().stream().mapToLong(Long::longValue).toArray();
    int nextTarget = 0;
    while (nextTarget < sizes.length && sizes[nextTarget] <= 0) {
      nextTarget++;
    }
    long total = estimateTotal(segments);
    // Three stages run at once: this thread reads and checks CRCs and sequence numbers; a pool
    // hashes the leaves, the bulk of the work; one tree thread grows the tree in order, comparing
    // tiles and checkpoint roots. Batches are recycled, so memory stays flat.
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    int maxInFlight = 2 * threads + 2;
    ExecutorService pool = daemonPool(threads, "verify-hash-");
    ExecutorService treeThread = daemonPool(1, "verify-tree");
    TreeStage stage = new TreeStage(tree, targets, sizes, nextTarget, total);
    ArrayDeque<Future<LeafBatch>> inFlight = new ArrayDeque<>();
    ArrayDeque<LeafBatch> free = new ArrayDeque<>();
    try (RecordCursor cursor = new RecordCursor(segments, 0, Long.MAX_VALUE, 4 << 20, true)) {
      LeafBatch batch = new LeafBatch();
      while (true) {
        boolean more = cursor.next();
        if (more) {
          SegmentReader r = cursor.reader();
          batch.add(r.buffer(), r.recordStart(), r.leafLength());
        }
        if (batch.count > 0 && (!more || batch.isFull())) {
          Future<LeafBatch> hashed = pool.submit(batch::hash);
          inFlight.add(treeThread.submit(() -> stage.append(await(hashed))));
          batch = null;
        }
        while (!inFlight.isEmpty() && (!more || inFlight.size() >= maxInFlight)) {
          free.add(await(inFlight.poll()).clear());
        }
        if (!more) {
          break;
        }
        if (batch == null) {
          batch = free.isEmpty() ? new LeafBatch() : free.poll();
        }
      }
      long checked = stage.checked;
      options.progress().update(checked, Math.max(total, checked));
      if (cursor.paddingAt() >= 0 && cursor.expected() < signedSize) {
        problems.add(
            LedgerProblem.at(
                Kind.CORRUPT_RECORD,
                cursor.expected(),
                cursor.currentFile(),
                cursor.paddingAt(),
                "the ledger ends in zero bytes where entry "
                    + cursor.expected()
                    + " should be, and a signed checkpoint covers it: it was truncated or"
                    + " overwritten with zeros"));
      }
      Optional<LedgerProblem> stop = cursor.problem();
      if (stop.isPresent()) {
        LedgerProblem p = stop.get();
        if (p.kind() == Kind.TORN_TAIL && p.seq() >= signedSize) {
          notes.add(p.describe());
        } else if (p.kind() == Kind.TORN_TAIL) {
          problems.add(
              new LedgerProblem(
                  Kind.CORRUPT_RECORD,
                  p.seq(),
                  p.file(),
                  p.offset(),
                  "the ledger is cut off inside an entry that a signed checkpoint covers: "
                      + p.message()));
        } else {
          problems.add(p);
        }
      }
    } finally {
      pool.shutdownNow();
      treeThread.shutdownNow();
    }
    tileCheck.unfinished(tree.edge(), PartialTiles.read(Layout.tiles(dir)));
    tileCheck.finish(tree.size());
    checkPartialTiles(tree);
    return tree.size();
  }

  private static ExecutorService daemonPool(int threads, String name) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, threads == 1 ? name : name + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  private static LeafBatch await(Future<LeafBatch> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("verify interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof java.io.UncheckedIOException io) {
        throw io.getCause();
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("leaf hashing failed", cause);
    }
  }

  /**
   * Grows the recomputed tree from hashed batches, in order, checking checkpoint roots as it
   * reaches their sizes (tiles are checked by the tree's sink). Used by one thread at a time.
   */
  private final class TreeStage {
    private final TreeWriter tree;
    private final TreeMap<Long, List<Target>> targets;
    private final long[] sizes;
    private final long total;
    private int nextTarget;
    private long checked;

    TreeStage(
        TreeWriter tree,
        TreeMap<Long, List<Target>> targets,
        long[] sizes,
        int nextTarget,
        long total) {
      this.tree = tree;
      this.targets = targets;
      this.sizes = sizes;
      this.nextTarget = nextTarget;
      this.total = total;
    }

    LeafBatch append(LeafBatch batch) {
      for (int i = 0; i < batch.count; i++) {
        tree.appendLeafHash(batch.hashes, i * TileFiles.HASH);
        if (nextTarget < sizes.length && tree.size() == sizes[nextTarget]) {
          checkTargets(targets, tree);
          nextTarget++;
        }
        if (++checked % PROGRESS_EVERY == 0) {
          options.progress().update(checked, total);
        }
      }
      return batch;
    }
  }

  /** Leaf data copied out of the segments, then their leaf hashes; reused once appended. */
  private static final class LeafBatch {
    private static final int RECORDS = 4096;
    private static final int BYTES = 2 << 20;
    private static final ThreadLocal<Rfc6962Hasher> HASHER =
        ThreadLocal.withInitial(Rfc6962Hasher::create);

    private byte[] data = new byte[BYTES];
    private final int[] starts = new int[RECORDS];
    private final int[] lengths = new int[RECORDS];
    private final byte[] hashes = new byte[RECORDS * TileFiles.HASH];
    private int used;
    private int count;

    void add(byte[] src, int from, int length) {
      if (used + length > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, used + length));
      }
      System.arraycopy(src, from, data, used, length);
      starts[count] = used;
      lengths[count] = length;
      used += length;
      count++;
    }

    boolean isFull() {
      return count == RECORDS || used >= BYTES;
    }

    LeafBatch hash() {
      Rfc6962Hasher h = HASHER.get();
      for (int i = 0; i < count; i++) {
        h.hashLeaf(data, starts[i], lengths[i], hashes, i * TileFiles.HASH);
      }
      return this;
    }

    LeafBatch clear() {
      used = 0;
      count = 0;
      return this;
    }
  }

  private long estimateTotal(SegmentSet segments) throws IOException {
    Optional<SegmentSet.Segment> last = segments.last();
    if (last.isEmpty()) {
      return 0;
    }
    long lastBytes = Files.size(last.get().file());
    // Entries before the last segment are known exactly; the last one is estimated from its size.
    return last.get().baseSeq() + Math.max(0, lastBytes / 300);
  }

  private void checkTargets(TreeMap<Long, List<Target>> targets, TreeWriter tree) {
    List<Target> here = targets.get(tree.size());
    if (here == null) {
      return;
    }
    byte[] root = tree.root();
    for (Target t : here) {
      if (!Arrays.equals(root, t.root())) {
        Long lower = targets.lowerKey(tree.size());
        long from = lower == null ? 0 : lower;
        problems.add(
            LedgerProblem.at(
                Kind.ROOT_MISMATCH,
                from,
                t.file(),
                t.offset(),
                "the root hash of "
                    + t.what()
                    + " (size "
                    + tree.size()
                    + ") differs from the root recomputed from the records: expected="
                    + hex.formatHex(t.root())
                    + ", actual="
                    + hex.formatHex(root)
                    + "; an entry in "
                    + from
                    + ".."
                    + (tree.size() - 1)
                    + " was changed, inserted or removed"));
      }
    }
  }

  /** Compares each tile the recomputed tree fills with the stored one. */
  private final class TileCheck implements TreeWriter.TileSink {
    private final TileFiles tiles;
    private final long latestSize;
    private boolean reported;

    TileCheck(TileFiles tiles, long latestSize) {
      this.tiles = tiles;
      this.latestSize = latestSize;
    }

    @Override
    public void fullTile(int level, long index, byte[] tile) throws IOException {
      long firstLeaf = index << (TileFiles.HEIGHT * (level + 1));
      long endLeaf = (index + 1) << (TileFiles.HEIGHT * (level + 1));
      boolean mustExist = endLeaf <= latestSize;
      Optional<byte[]> stored = tiles.read(level, index);
      if (stored.isEmpty()) {
        if (mustExist && !reported) {
          reported = true;
          problems.add(
              LedgerProblem.at(
                  Kind.TILE_MISMATCH,
                  firstLeaf,
                  tiles.file(level),
                  TileFiles.HEADER + index * TileFiles.TILE_BYTES,
                  "tile "
                      + index
                      + " of level "
                      + level
                      + " is missing although a signed checkpoint covers it"));
        }
        return;
      }
      compare(level, index, stored.get(), tile, TileFiles.WIDTH);
    }

    /**
     * Compares the hashes that the records put into tiles they did not fill (at the end of the
     * records, or where reading stopped at damage) with the same hashes stored in a full tile or in
     * the partial tiles: a changed record there is named even though its tile never filled up.
     */
    void unfinished(PartialTiles edge, Optional<PartialTiles> partial) throws IOException {
      for (int level = 0; level < edge.levels(); level++) {
        byte[] hashes = edge.level(level);
        if (hashes.length == 0) {
          continue;
        }
        long index = (edge.size() >>> (TileFiles.HEIGHT * level)) >>> TileFiles.HEIGHT;
        Optional<byte[]> stored = tiles.read(level, index);
        if (stored.isEmpty()
            && partial.isPresent()
            && level < partial.get().levels()
            && (partial.get().size() >>> (TileFiles.HEIGHT * level)) >>> TileFiles.HEIGHT
                == index) {
          stored = Optional.of(partial.get().level(level));
        }
        if (stored.isPresent()) {
          int width = Math.min(hashes.length, stored.get().length) / TileFiles.HASH;
          compare(level, index, stored.get(), hashes, width);
        }
      }
    }

    /** Reports the first of the first {@code width} hashes of tile (level, index) that differs. */
    private void compare(int level, long index, byte[] stored, byte[] tile, int width) {
      int j = 0;
      while (j < width
          && Arrays.equals(
              stored,
              j * TileFiles.HASH,
              (j + 1) * TileFiles.HASH,
              tile,
              j * TileFiles.HASH,
              (j + 1) * TileFiles.HASH)) {
        j++;
      }
      if (j == width) {
        return;
      }
      long firstLeaf = index << (TileFiles.HEIGHT * (level + 1));
      long seq = firstLeaf + ((long) j << (TileFiles.HEIGHT * level));
      boolean mustExist = firstLeaf + ((long) width << (TileFiles.HEIGHT * level)) <= latestSize;
      if (!mustExist) {
        notes.add(
            "tile "
                + index
                + " of level "
                + level
                + " (after the latest checkpoint) differs from the records; recovery rewrites it");
        return;
      }
      if (reported) {
        return;
      }
      reported = true;
      problems.add(
          LedgerProblem.at(
              level == 0 ? Kind.LEAF_MISMATCH : Kind.TILE_MISMATCH,
              seq,
              tiles.file(level),
              TileFiles.HEADER + index * TileFiles.TILE_BYTES + j * TileFiles.HASH,
              level == 0
                  ? "the hash of entry "
                      + seq
                      + " differs from the leaf hash stored in the tiles when it was written:"
                      + " the record or the tile was changed"
                  : "hash "
                      + j
                      + " of tile "
                      + index
                      + " of level "
                      + level
                      + " differs from the records"));
    }

    void finish(long entries) {
      for (int level = 0; level < 8; level++) {
        int shift = TileFiles.HEIGHT * (level + 1);
        long possible = shift >= 63 ? 0 : entries >>> shift;
        long stored = tiles.count(level);
        if (stored > possible) {
          problems.add(
              LedgerProblem.at(
                  Kind.ENTRIES_MISSING,
                  entries,
                  tiles.file(level),
                  TileFiles.HEADER + possible * TileFiles.TILE_BYTES,
                  "tile level "
                      + level
                      + " holds "
                      + stored
                      + " tiles but the "
                      + entries
                      + " readable entries fill only "
                      + possible
                      + ": entries were removed"));
        }
      }
    }
  }

  private void checkPartialTiles(TreeWriter tree) throws IOException {
    Path file = Layout.tiles(dir).resolve(PartialTiles.FILE);
    if (!Files.exists(file)) {
      return;
    }
    Optional<PartialTiles> p = PartialTiles.read(Layout.tiles(dir));
    if (p.isEmpty()) {
      problems.add(
          LedgerProblem.at(Kind.TILE_MISMATCH, -1, file, 0, "the partial tiles file is damaged"));
      return;
    }
    if (p.get().size() == tree.size()) {
      PartialTiles actual = tree.edge();
      for (int t = 0; t < actual.levels(); t++) {
        if (t >= p.get().levels() || !Arrays.equals(actual.level(t), p.get().level(t))) {
          problems.add(
              LedgerProblem.at(
                  Kind.TILE_MISMATCH,
                  -1,
                  file,
                  -1,
                  "the partial tile of level " + t + " differs from the records"));
          return;
        }
      }
    }
  }

  private void checkTileDirectory() throws IOException {
    Path tilesDir = Layout.tiles(dir);
    if (!Files.isDirectory(tilesDir)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tilesDir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        // *.tmp: what an interrupted publish (write, fsync, rename) leaves; harmless.
        if (!name.matches("level-[0-7](\\.tmp)?")
            && !name.equals(PartialTiles.FILE)
            && !name.equals(PartialTiles.FILE + ".tmp")) {
          problems.add(
              LedgerProblem.at(Kind.LAYOUT, -1, f, -1, "an unexpected file among the tiles"));
        }
      }
    }
  }

  private Optional<LedgerMeta> readMeta() throws IOException {
    try {
      Optional<LedgerMeta> meta = LedgerMeta.read(dir);
      if (meta.isEmpty()) {
        if (!Files.exists(Layout.segments(dir)) && !Files.exists(Layout.checkpoints(dir))) {
          throw new CannotVerifyException(
              dir + " is not a Trailwatch data directory (no LEDGER file)");
        }
        problems.add(
            LedgerProblem.at(
                Kind.LAYOUT,
                -1,
                dir.resolve(Layout.VERSION_FILE),
                -1,
                "the LEDGER file is missing"));
      }
      return meta;
    } catch (LedgerFormatException e) {
      problems.add(
          LedgerProblem.at(Kind.LAYOUT, -1, dir.resolve(Layout.VERSION_FILE), 0, e.getMessage()));
      return Optional.empty();
    }
  }

  private record Keys(NoteVerifier verifier, String source, String problem) {}

  /** The key to verify with, and whether the data directory's key files agree with it. */
  private Keys keys() throws IOException {
    Path pubFile = Layout.keys(dir).resolve("signing.pub");
    Path keyFile = Layout.keys(dir).resolve("signing.key");
    Optional<String> pubText = readKey(pubFile);
    Optional<String> keyText = readKey(keyFile);
    List<String> trouble = new ArrayList<>();
    Optional<NoteVerifier> fromPub = Optional.empty();
    Optional<NoteVerifier> fromKey = Optional.empty();
    if (pubText.isPresent()) {
      try {
        fromPub = Optional.of(NoteVerifier.parse(pubText.get()));
      } catch (IllegalArgumentException e) {
        trouble.add(pubFile + " is damaged: " + e.getMessage());
      }
    }
    if (keyText.isPresent()) {
      try {
        fromKey = Optional.of(NoteSigner.parse(keyText.get()).verifier());
      } catch (IllegalArgumentException e) {
        trouble.add(keyFile + " is damaged");
      }
    }
    if (fromPub.isPresent() && fromKey.isPresent() && !fromPub.get().equals(fromKey.get())) {
      trouble.add(pubFile + " does not belong to the private key " + keyFile);
    }
    Optional<NoteVerifier> local = fromPub.isPresent() ? fromPub : fromKey;
    if (options.publicKey().isPresent()) {
      NoteVerifier given = options.publicKey().get();
      if (local.isPresent() && !local.get().equals(given)) {
        trouble.add(
            "the data directory's key "
                + local.get().keyId()
                + " is not the public key you gave ("
                + given.keyId()
                + ")");
      }
      return new Keys(
          given, "the public key you gave (" + given.keyId() + ")", String.join("; ", trouble));
    }
    if (local.isEmpty()) {
      throw new CannotVerifyException(
          "no public key to verify with: the data directory has no readable keys/signing.pub;"
              + " pass --public-key FILE");
    }
    return new Keys(
        local.get(),
        "the key in the data directory ("
            + local.get().keyId()
            + "); an auditor should pass --public-key with a key obtained independently",
        String.join("; ", trouble));
  }

  /**
   * A key file's text as {@link dev.trailwatch.ledger.checkpoint.KeyFiles} reads it: without
   * surrounding whitespace, but with any other character (trim() would also drop control
   * characters, which make the writer refuse the key).
   */
  private static Optional<String> readKey(Path file) throws IOException {
    try {
      return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip());
    } catch (NoSuchFileException | java.nio.file.AccessDeniedException e) {
      return Optional.empty();
    }
  }

  private record Target(String what, byte[] root, Path file, long offset) {}
}
