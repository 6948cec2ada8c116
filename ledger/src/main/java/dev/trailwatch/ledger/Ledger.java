package dev.trailwatch.ledger;

import dev.trailwatch.ledger.checkpoint.Checkpoint;
import dev.trailwatch.ledger.checkpoint.KeyFiles;
import dev.trailwatch.ledger.checkpoint.NoteSigner;
import dev.trailwatch.ledger.merkle.Rfc6962Hasher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The writer of a data directory: appends batches of records durably and keeps their Merkle tree
 * and signed checkpoints.
 *
 * <p>Three threads do the work, in a pipeline. {@code ledger-writer} takes every waiting append
 * request, gives them sequence numbers and writes them to the active segment as one group ({@link
 * ActiveSegment}: direct I/O where the file system allows it). {@code ledger-sync} fsyncs what was
 * written, one fsync for every group written since the last one (group commit: many concurrent
 * appenders share one fsync), while the writer already writes the next group; only then does {@link
 * #append} return. {@code ledger-tree} hashes the durable records into the tree and tiles, and
 * signs a checkpoint at least every {@link LedgerConfig#checkpointInterval()} while the tree grows,
 * and at {@link #close()}. So the tree lags the records by a few milliseconds; after a crash,
 * recovery rehashes whatever the latest checkpoint does not cover.
 *
 * <p>Only one process may write a data directory: {@link #open} takes a file lock and fails with
 * {@link LedgerLockedException} naming the holder. After an I/O error on the write path the ledger
 * fails every later append with {@link LedgerFailedException} (fail-stop).
 *
 * <p>Thread-safe: {@link #append} and {@link #appendAsync} may be called from any number of
 * threads.
 */
public final class Ledger implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Ledger.class.getName());
  private static final Chunk END = new Chunk(new byte[0], 0, 0);

  /** Bytes written but not yet hashed before appenders wait for the tree thread. */
  private static final int MAX_HASH_BACKLOG = 64 << 20;

  /** Bytes written but not yet fsynced before the writer waits for the sync thread. */
  private static final int MAX_UNSYNCED = 64 << 20;

  private static final SyncJob END_JOB =
      new SyncJob(List.of(), List.of(), null, false, new byte[0], 0, 0);

  private final LedgerConfig config;
  private final Path dir;
  private final DataLock lock;
  private final LedgerMeta meta;
  private final NoteSigner signer;
  private final SegmentSet segments;
  private final TileFiles tiles;
  private final Optional<Path> witnessFile;

  private final BlockingQueue<Request> requests;
  private final BlockingQueue<Chunk> written;
  private final ConcurrentLinkedQueue<CheckpointWaiter> checkpointWaiters =
      new ConcurrentLinkedQueue<>();
  private final Object commitSignal = new Object();
  private final BlockingQueue<SyncJob> toSync = new LinkedBlockingQueue<>();
  private final Semaphore unsynced = new Semaphore(MAX_UNSYNCED);
  private final Thread writerThread;
  private final Thread syncThread;
  private final Thread treeThread;

  // Writer thread only.
  private ActiveSegment active;
  private long activeBase;
  private long activeBytes;
  private long nextSeq;
  private long lastIngestNanos;
  private final CRC32C crc = new CRC32C();

  // Tree thread only.
  private final TreeWriter tree;
  private long checkpointIndex;
  private long lastCheckpointNanos;

  private volatile long committed;
  private volatile SignedCheckpoint latest;
  private volatile PartialTiles latestEdge;
  private volatile IOException failure;
  private volatile boolean closing;
  private volatile String witnessProblem;
  private volatile boolean writerDone;
  private final Semaphore hashBacklog = new Semaphore(MAX_HASH_BACKLOG);
  private boolean closed;

  private record Request(Batch payloads, int bytes, CompletableFuture<SeqRange> done) {}

  private record Chunk(byte[] data, int length, long endSeq) {}

  /**
   * One group written by the writer thread, waiting for the sync thread: the requests to answer,
   * the segment it wrote last, whether it created segment files (fsync the directory), and its
   * records for the tree.
   */
  private record SyncJob(
      List<Request> group,
      List<SeqRange> ranges,
      ActiveSegment channel,
      boolean newFiles,
      byte[] chunk,
      int length,
      long endSeq) {}

  private record CheckpointWaiter(long size, CompletableFuture<SignedCheckpoint> done) {}

  private Ledger(
      LedgerConfig config,
      DataLock lock,
      LedgerMeta meta,
      NoteSigner signer,
      SegmentSet segments,
      TileFiles tiles,
      Recovery.State state)
      throws IOException {
    this.config = config;
    this.dir = config.dataDir();
    this.lock = lock;
    this.meta = meta;
    this.signer = signer;
    this.segments = segments;
    this.tiles = tiles;
    this.witnessFile = config.witness().map(w -> CheckpointLog.witnessFile(w, meta.origin()));
    this.requests = new ArrayBlockingQueue<>(config.queueCapacity());
    this.written = new LinkedBlockingQueue<>();
    this.tree = state.tree();
    this.nextSeq = state.size();
    this.committed = state.size();
    this.checkpointIndex = state.latest().map(c -> c.index() + 1).orElse(0L);
    this.latest = state.latest().orElse(null);
    this.activeBase = state.activeBase();
    if (state.activeEnd() < 0) {
      startSegment(0);
    } else {
      this.active =
          ActiveSegment.reopen(
              segments.last().orElseThrow().file(),
              state.activeBase(),
              state.activeEnd(),
              config.directIo());
      this.activeBytes = state.activeEnd();
    }
    if (latest == null || tree.size() > latest.size()) {
      writeCheckpoint(); // the recovered tail, or checkpoint #0 of a new ledger
    }
    this.writerThread = new Thread(this::writeLoop, "ledger-writer");
    this.syncThread = new Thread(this::syncLoop, "ledger-sync");
    this.treeThread = new Thread(this::treeLoop, "ledger-tree");
    writerThread.start();
    syncThread.start();
    treeThread.start();
  }

  /**
   * Opens (creating if needed) the data directory for writing: takes the writer lock, creates the
   * signing key on first use, recovers from a crash, and starts the writer.
   */
  public static Ledger open(LedgerConfig config) throws IOException {
    Path dir = config.dataDir();
    DurableFiles.createDirectories(dir);
    refuseForeignDirectory(dir);
    DataLock lock = DataLock.acquire(dir);
    TileFiles tiles = null;
    try {
      LedgerMeta meta = LedgerMeta.readOrCreate(dir, config.origin(), config.random());
      NoteSigner signer = KeyFiles.loadOrCreate(Layout.keys(dir), meta.origin(), config.random());
      DurableFiles.createDirectories(Layout.segments(dir));
      List<Path> strangers = new ArrayList<>();
      SegmentSet segments = SegmentSet.scan(Layout.segments(dir), strangers);
      for (Path s : strangers) {
        LOG.log(Level.WARNING, "ignoring a file that is not a segment: {0}", s);
      }
      tiles = TileFiles.openForWriting(Layout.tiles(dir));
      Rfc6962Hasher hasher = Rfc6962Hasher.create();
      Recovery.State state = Recovery.run(dir, meta, signer.verifier(), segments, tiles, hasher);
      if (state.latest().isEmpty() && state.size() > 0) {
        throw new LedgerCorruptException(
            "the ledger holds "
                + state.size()
                + " entries but no signed checkpoint: the checkpoint log was removed",
            Layout.checkpoints(dir),
            0,
            0);
      }
      return new Ledger(config, lock, meta, signer, segments, tiles, state);
    } catch (IOException | RuntimeException e) {
      if (tiles != null) {
        tiles.close();
      }
      lock.close();
      throw e;
    }
  }

  /** A new ledger goes only into an empty directory, never among someone else's files. */
  private static void refuseForeignDirectory(Path dir) throws IOException {
    if (java.nio.file.Files.exists(dir.resolve(Layout.VERSION_FILE))) {
      return;
    }
    try (var entries = java.nio.file.Files.list(dir)) {
      List<String> other =
          entries
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.equals(Layout.LOCK))
              .sorted()
              .limit(3)
              .toList();
      if (!other.isEmpty()) {
        throw new LedgerFormatException(
            dir,
            "not a Trailwatch data directory and not empty (it holds "
                + String.join(", ", other)
                + (other.size() == 3 ? ", ..." : "")
                + "); give --data a new or empty directory");
      }
    }
  }

  /** The data directory. */
  public Path dataDir() {
    return dir;
  }

  /** The name this ledger's checkpoints carry (also its key's name). */
  public String origin() {
    return meta.origin();
  }

  /** The public key, in the form {@code verify --public-key} and {@code proof check} read. */
  public String verifierKey() {
    return signer.verifier().verifierKey();
  }

  /** How many entries are durable: the next entry gets this sequence number. */
  public long size() {
    return committed;
  }

  /** The latest signed checkpoint. */
  public SignedCheckpoint latestCheckpoint() {
    return latest;
  }

  /** Why the last checkpoint could not be copied to the witness, if it could not. */
  public Optional<String> witnessProblem() {
    return Optional.ofNullable(witnessProblem);
  }

  /**
   * Appends {@code payloads} as consecutive entries and returns their sequence numbers once they
   * are durable (fsynced). Blocks while the ledger is saturated.
   */
  public SeqRange append(List<byte[]> payloads) throws IOException, InterruptedException {
    try {
      return appendAsync(payloads).get();
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  /**
   * Like {@link #append}, but returns at once; the future completes (on the writer thread) when the
   * batch is durable, or exceptionally with an {@link IOException}.
   */
  public CompletableFuture<SeqRange> appendAsync(List<byte[]> payloads)
      throws InterruptedException {
    return appendAsync(Batch.of(payloads));
  }

  /**
   * Like {@link #appendAsync(List)}, for a {@link Batch}: its arrays are read until the future
   * completes.
   */
  public CompletableFuture<SeqRange> appendAsync(Batch payloads) throws InterruptedException {
    IOException failed = failure;
    if (failed != null) {
      return CompletableFuture.failedFuture(
          new LedgerFailedException(
              "the ledger stopped after an I/O error: " + failed.getMessage(), failed));
    }
    if (closing) {
      return CompletableFuture.failedFuture(new IllegalStateException("the ledger is closed"));
    }
    long bytes = 0;
    for (int i = 0; i < payloads.size(); i++) {
      int length = payloads.length(i);
      if (length > SegmentFormat.MAX_PAYLOAD) {
        throw new IllegalArgumentException(
            "entry of " + length + " bytes exceeds the limit of " + SegmentFormat.MAX_PAYLOAD);
      }
      bytes += SegmentFormat.recordSize(length);
    }
    if (bytes > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("batch of " + bytes + " bytes is too large; split it");
    }
    CompletableFuture<SeqRange> done = new CompletableFuture<>();
    if (payloads.isEmpty()) {
      done.complete(new SeqRange(committed, 0));
      return done;
    }
    requests.put(new Request(payloads, (int) bytes, done));
    if (writerDone) {
      // The writer has stopped (closed or failed) and may not see this request: fail it here.
      failPending(stoppedException());
    }
    return done;
  }

  /** Signs a checkpoint covering every entry durable now, and returns it once written. */
  public SignedCheckpoint checkpoint() throws IOException, InterruptedException {
    CompletableFuture<SignedCheckpoint> done = new CompletableFuture<>();
    checkpointWaiters.add(new CheckpointWaiter(committed, done));
    written.offer(new Chunk(new byte[0], 0, -1)); // wake the tree thread
    try {
      return done.get();
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  /**
   * Blocks until more than {@code seen} entries are durable, or the timeout passes; returns the
   * number of durable entries.
   */
  public long awaitSize(long seen, long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (commitSignal) {
      while (committed <= seen && !closing) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(commitSignal, left);
      }
    }
    return committed;
  }

  /** A reader over this ledger's files that sees every durable entry. */
  public LedgerReader reader() {
    return LedgerReader.live(this, dir, meta, segments, tiles);
  }

  /** Follows the ledger from {@code fromSeq}, blocking for new entries. */
  public Follower follow(long fromSeq) {
    return new Follower(this, segments, fromSeq);
  }

  /** The persisted consumer positions of this data directory. */
  public Cursors cursors() {
    return new Cursors(dir);
  }

  PartialTiles latestEdge() {
    return latestEdge;
  }

  NoteSigner signer() {
    return signer;
  }

  // ---------------------------------------------------------------- writer thread

  private void writeLoop() {
    List<Request> group = new ArrayList<>();
    try {
      while (true) {
        Request first = requests.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing && requests.isEmpty()) {
            break;
          }
          continue;
        }
        group.add(first);
        long bytes = first.bytes();
        Request next;
        while ((next = requests.peek()) != null && bytes + next.bytes() <= config.maxGroupBytes()) {
          group.add(requests.poll());
          bytes += next.bytes();
        }
        if (failure != null) {
          throw failure;
        }
        commit(group, (int) bytes);
        group = new ArrayList<>(); // the sync thread now owns the old list
      }
    } catch (IOException | RuntimeException e) {
      fail(e, group);
    } catch (InterruptedException e) {
      fail(new IOException("writer interrupted", e), group);
    } finally {
      writerDone = true;
      failPending(stoppedException());
      putQuietly(toSync, END_JOB);
    }
  }

  private Exception stoppedException() {
    IOException f = failure;
    return f != null
        ? new LedgerFailedException("the ledger stopped after an I/O error: " + f.getMessage(), f)
        : new IllegalStateException("the ledger is closed");
  }

  private void failPending(Exception e) {
    Request r;
    while ((r = requests.poll()) != null) {
      r.done().completeExceptionally(e);
    }
  }

  private void commit(List<Request> group, int bytes) throws IOException, InterruptedException {
    long now = nanos(config.clock().instant());
    long ingest = Math.max(now, lastIngestNanos);
    lastIngestNanos = ingest;
    byte[] chunk = new byte[bytes];
    int pos = 0;
    int flushed = 0;
    long seq = nextSeq;
    boolean newFiles = false;
    List<SeqRange> ranges = new ArrayList<>(group.size());
    for (Request r : group) {
      long first = seq;
      Batch payloads = r.payloads();
      for (int i = 0; i < payloads.size(); i++) {
        int length = payloads.length(i);
        int size = SegmentFormat.recordSize(length);
        if (activeBytes + size > config.maxSegmentBytes()
            && activeBytes > SegmentFormat.HEADER_SIZE) {
          write(chunk, flushed, pos);
          flushed = pos;
          // Sealed (padding cut, fsynced, closed) before the next segment exists: only the last
          // segment can ever end in padding or a torn record.
          active.seal();
          startSegment(seq);
          newFiles = true;
        }
        pos =
            SegmentFormat.encode(
                chunk, pos, seq, ingest, payloads.array(i), payloads.offset(i), length, crc);
        activeBytes += size;
        seq++;
      }
      ranges.add(new SeqRange(first, seq - first));
    }
    write(chunk, flushed, pos);
    nextSeq = seq;
    unsynced.acquire(Math.min(pos, MAX_UNSYNCED));
    toSync.put(new SyncJob(group, ranges, active, newFiles, chunk, pos, seq));
  }

  // ---------------------------------------------------------------- sync thread

  private void syncLoop() {
    List<SyncJob> jobs = new ArrayList<>();
    boolean end = false;
    try {
      while (!end) {
        jobs.add(toSync.take());
        toSync.drainTo(jobs);
        int endAt = jobs.indexOf(END_JOB);
        if (endAt >= 0) {
          end = true;
          jobs.subList(endAt, jobs.size()).clear();
        }
        if (jobs.isEmpty()) {
          continue;
        }
        if (failure != null) {
          throw failure;
        }
        sync(jobs);
        jobs.clear();
      }
    } catch (IOException | RuntimeException e) {
      IOException io = e instanceof IOException x ? x : new IOException(e.toString(), e);
      if (failure == null) {
        failure = io;
        LOG.log(Level.ERROR, "the ledger stops accepting writes after an I/O error", e);
      }
      LedgerFailedException ex =
          new LedgerFailedException(
              "the ledger stopped after an I/O error: " + io.getMessage(), io);
      for (SyncJob j : jobs) {
        j.group().forEach(r -> r.done().completeExceptionally(ex));
      }
      if (!end) {
        drainJobs(ex);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      putQuietly(written, END);
    }
  }

  /** Makes the jobs durable with as few fsyncs as possible, then answers them in order. */
  private void sync(List<SyncJob> jobs) throws IOException, InterruptedException {
    boolean newFiles = false;
    for (SyncJob j : jobs) {
      newFiles |= j.newFiles();
    }
    jobs.get(jobs.size() - 1).channel().force();
    if (newFiles) {
      DurableFiles.syncDirectory(segments.dir());
    }
    SyncJob last = jobs.get(jobs.size() - 1);
    synchronized (commitSignal) {
      committed = last.endSeq();
      commitSignal.notifyAll();
    }
    for (SyncJob j : jobs) {
      for (int i = 0; i < j.group().size(); i++) {
        j.group().get(i).done().complete(j.ranges().get(i));
      }
      unsynced.release(Math.min(j.length(), MAX_UNSYNCED));
      hashBacklog.acquire(Math.min(j.length(), MAX_HASH_BACKLOG));
      written.put(new Chunk(j.chunk(), j.length(), j.endSeq()));
    }
  }

  /** After a failure: fails every job the writer still hands over, until it stops. */
  private void drainJobs(Exception ex) {
    try {
      SyncJob j;
      while ((j = toSync.take()) != END_JOB) {
        j.group().forEach(r -> r.done().completeExceptionally(ex));
        unsynced.release(Math.min(j.length(), MAX_UNSYNCED));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(byte[] chunk, int from, int to) throws IOException {
    active.append(chunk, from, to - from);
  }

  private void startSegment(long baseSeq) throws IOException {
    Path file = segments.dir().resolve(SegmentFormat.fileName(baseSeq));
    active = ActiveSegment.create(file, baseSeq, config.directIo());
    activeBase = baseSeq;
    activeBytes = SegmentFormat.HEADER_SIZE;
    segments.add(baseSeq, file);
    if (baseSeq == 0) {
      active.force();
      DurableFiles.syncDirectory(segments.dir());
    }
  }

  private void fail(Exception e, List<Request> group) {
    IOException io = e instanceof IOException x ? x : new IOException(e.toString(), e);
    if (failure == null) {
      failure = io;
      LOG.log(Level.ERROR, "the ledger stops accepting writes after an I/O error", e);
    }
    LedgerFailedException ex =
        new LedgerFailedException("the ledger stopped after an I/O error: " + io.getMessage(), io);
    for (Request r : group) {
      r.done().completeExceptionally(ex);
    }
    failPending(ex);
  }

  // ---------------------------------------------------------------- tree thread

  private void treeLoop() {
    long interval = config.checkpointInterval().toNanos();
    lastCheckpointNanos = System.nanoTime();
    try {
      while (true) {
        long wait = Math.max(1, lastCheckpointNanos + interval - System.nanoTime());
        Chunk c = written.poll(wait, TimeUnit.NANOSECONDS);
        if (c == END) {
          break;
        }
        if (c != null && c.length() > 0) {
          tree.appendRecords(c.data(), 0, c.length());
          hashBacklog.release(Math.min(c.length(), MAX_HASH_BACKLOG));
        }
        boolean due = System.nanoTime() - lastCheckpointNanos >= interval;
        boolean asked = !checkpointWaiters.isEmpty();
        if ((due || asked) && tree.size() > latest.size()) {
          writeCheckpoint();
        }
        if (due) {
          lastCheckpointNanos = System.nanoTime();
        }
        releaseWaiters(false);
      }
      if (tree.size() > latest.size()) {
        writeCheckpoint();
      }
      releaseWaiters(true);
    } catch (IOException | RuntimeException e) {
      IOException io =
          e instanceof UncheckedIOException u
              ? u.getCause()
              : e instanceof IOException x ? x : new IOException("tree thread failed: " + e, e);
      if (failure == null) {
        failure = io;
        LOG.log(
            Level.ERROR,
            "the ledger stops after an I/O error while writing tiles or a checkpoint",
            e);
      }
      CheckpointWaiter w;
      while ((w = checkpointWaiters.poll()) != null) {
        w.done().completeExceptionally(io);
      }
      drainUntilEnd();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void releaseWaiters(boolean closingNow) {
    for (CheckpointWaiter w : checkpointWaiters) {
      if (latest.size() >= w.size() || closingNow) {
        checkpointWaiters.remove(w);
        w.done().complete(latest);
      }
    }
  }

  private void drainUntilEnd() {
    try {
      Chunk c;
      while ((c = written.take()) != END) {
        hashBacklog.release(Math.min(c.length(), MAX_HASH_BACKLOG)); // discard: the ledger failed
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Signs and writes a checkpoint of the tree as it is now. Tree thread (or constructor) only. */
  private void writeCheckpoint() throws IOException {
    tiles.sync();
    PartialTiles edge = tree.edge();
    DurableFiles.publish(Layout.tiles(dir).resolve(PartialTiles.FILE), edge.encode());
    Instant time = config.clock().instant();
    Checkpoint cp =
        new Checkpoint(
            meta.origin(),
            tree.size(),
            tree.root(),
            List.of(
                SignedCheckpoint.INDEX + " " + checkpointIndex,
                SignedCheckpoint.TIME + " " + time));
    String note = signer.sign(cp.toNoteText());
    CheckpointLog.append(Layout.checkpoints(dir), note);
    SignedCheckpoint signed = new SignedCheckpoint(cp, checkpointIndex, time, note);
    checkpointIndex++;
    latestEdge = edge;
    latest = signed;
    if (witnessFile.isPresent()) {
      try {
        DurableFiles.createDirectories(witnessFile.get().toAbsolutePath().getParent());
        CheckpointLog.append(witnessFile.get(), note);
        witnessProblem = null;
      } catch (IOException e) {
        if (witnessProblem == null) {
          LOG.log(
              Level.ERROR,
              "cannot copy checkpoints to the witness {0}: {1}; the ledger keeps going",
              witnessFile.get(),
              e.toString());
        }
        witnessProblem = e.toString();
      }
    }
  }

  // ---------------------------------------------------------------- closing

  /**
   * Stops accepting appends, finishes the ones accepted, writes a final checkpoint, and releases
   * the data directory.
   */
  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    closing = true;
    synchronized (commitSignal) {
      commitSignal.notifyAll();
    }
    boolean interrupted = false;
    try {
      writerThread.join();
      syncThread.join();
      treeThread.join();
    } catch (InterruptedException e) {
      interrupted = true;
    }
    IOException problem = failure;
    try {
      if (active != null) {
        if (problem == null) {
          active.seal(); // no padding left behind by a clean close
        } else {
          active.abandon();
        }
      }
      tiles.close();
    } finally {
      lock.close();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (problem != null) {
      throw new LedgerFailedException(
          "the ledger had stopped after an I/O error: " + problem.getMessage(), problem);
    }
  }

  private static <T> void putQuietly(BlockingQueue<T> queue, T item) {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(item);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  private static IOException unwrap(ExecutionException e) {
    Throwable c = e.getCause();
    if (c instanceof IOException io) {
      return io;
    }
    if (c instanceof RuntimeException re) {
      throw re;
    }
    return new IOException(c);
  }
}
