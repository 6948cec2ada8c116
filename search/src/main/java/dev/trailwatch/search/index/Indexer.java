package dev.trailwatch.search.index;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.ledger.Entry;
import dev.trailwatch.ledger.Follower;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerReader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The consumer that keeps a data directory's {@link SearchIndex} up to date with its ledger. Ingest
 * never waits for it: it only reads what the ledger has made durable, on threads of its own.
 *
 * <p>Threads: {@code indexer-read} follows the ledger from the index's cursor and cuts what it
 * reads into chunks of consecutive entries; {@code indexer-N} ({@link IndexerConfig#threads()} of
 * them) decode each entry's event and add its document, one chunk at a time; {@code indexer-commit}
 * refreshes the searchers and commits. Chunks complete out of order; {@link #position()} is the end
 * of the longest run of completed chunks from the cursor, and every commit carries the position it
 * was taken at (see {@link SearchIndex} for why documents beyond it do no harm). Entries whose
 * payload is not an event (system entries) are counted and skipped.
 *
 * <p>An I/O error stops the indexer (the ledger is unaffected): {@link #failure()} says why, and
 * the next start or {@code trailwatch reindex} continues from the last commit.
 *
 * <p>Thread-safe.
 */
public final class Indexer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Indexer.class.getName());
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long TICK_MILLIS = 100;

  /**
   * Beyond this many entries behind, searchers are refreshed ten times less often: each refresh
   * writes the buffered documents out as a small segment (to be merged later), and while the index
   * catches up the newest events are not in it anyway.
   */
  private static final long CATCHING_UP = 100_000;

  private final Ledger ledger;
  private final SearchIndex index;
  private final IndexerConfig config;
  private final InstantSource clock;
  private final BlockingQueue<Chunk> work;
  private final ArrayDeque<Chunk> pending = new ArrayDeque<>(); // read, in order; guarded by itself
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread reader;
  private final List<Thread> workers = new ArrayList<>();
  private final Thread committer;
  private final LongAdder indexed = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder commits = new LongAdder();

  private volatile long position;
  private volatile long committed;
  private volatile boolean readerDone;
  private volatile String failure;
  private boolean closed;

  /**
   * Consecutive entries, handed to one thread; done once each is indexed or skipped. A done chunk
   * lets go of its entries: it may wait in {@link #pending} while an earlier one is still being
   * indexed (its thread flushing a segment, say).
   */
  private static final class Chunk {
    final long first;
    final long firstIngestNanos;
    final long end;
    List<Entry> entries; // null once done
    boolean done; // guarded by pending

    Chunk(List<Entry> entries) {
      this.entries = entries;
      this.first = entries.get(0).seq();
      this.firstIngestNanos = entries.get(0).ingestNanos();
      this.end = entries.get(entries.size() - 1).seq() + 1;
    }
  }

  private Indexer(Ledger ledger, SearchIndex index, IndexerConfig config, InstantSource clock) {
    this.ledger = ledger;
    this.index = index;
    this.config = config;
    this.clock = clock;
    this.work = new ArrayBlockingQueue<>(4 * config.threads());
    this.position = index.cursor();
    this.committed = index.cursor();
    this.reader = new Thread(this::readLoop, "indexer-read");
    for (int i = 0; i < config.threads(); i++) {
      workers.add(new Thread(this::indexLoop, "indexer-" + i));
    }
    this.committer = new Thread(this::commitLoop, "indexer-commit");
    reader.start();
    workers.forEach(Thread::start);
    committer.start();
  }

  /**
   * Opens the index of {@code ledger}'s data directory (rebuilding it when it cannot be continued,
   * see {@link SearchIndex#open}) and starts following the ledger from its cursor.
   */
  public static Indexer start(Ledger ledger, IndexerConfig config, InstantSource clock)
      throws IOException {
    return new Indexer(
        ledger,
        SearchIndex.open(ledger.dataDir(), ledger.origin(), ledger.size(), config),
        config,
        clock);
  }

  /** Deletes the index of {@code ledger}'s data directory and indexes the ledger from entry 0. */
  public static Indexer rebuild(Ledger ledger, IndexerConfig config, InstantSource clock)
      throws IOException {
    return new Indexer(
        ledger, SearchIndex.create(ledger.dataDir(), ledger.origin(), config), config, clock);
  }

  /** The index, for searching. */
  public SearchIndex index() {
    return index;
  }

  /** Every ledger entry below this one is in the index (or skipped, not being an event). */
  public long position() {
    return position;
  }

  /** The position of the last commit: what a crash now would fall back to. */
  public long committed() {
    return committed;
  }

  /** Events added to the index since start. */
  public long indexed() {
    return indexed.sum();
  }

  /** Entries skipped since start because their payload is not an event. */
  public long skipped() {
    return skipped.sum();
  }

  /** Events Lucene refused since start (each is logged); they are not in the index. */
  public long rejected() {
    return rejected.sum();
  }

  /** Commits since start. */
  public long commits() {
    return commits.sum();
  }

  /** Why the indexer stopped, if an error stopped it. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** How far the index is behind the ledger now. */
  public Lag lag() {
    long size = ledger.size();
    long at = position;
    if (at >= size) {
      return Lag.NONE;
    }
    long oldest = -1;
    synchronized (pending) {
      Chunk head = pending.peekFirst();
      if (head != null && head.first == at) {
        oldest = head.firstIngestNanos;
      }
    }
    if (oldest < 0) {
      oldest = ingestNanos(at);
    }
    long now = IndexFields.epochNanos(clock.instant());
    return new Lag(size - at, oldest < 0 ? 0 : Math.max(0, now - oldest) / 1e9);
  }

  private long ingestNanos(long seq) {
    try (LedgerReader r = ledger.reader()) {
      return r.read(seq).map(Entry::ingestNanos).orElse(-1L);
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Waits until {@link #position()} reaches {@code target} or {@code timeout} passes; returns
   * whether it was reached.
   *
   * @throws IOException when the indexer stopped after an error
   */
  public boolean awaitPosition(long target, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (pending) {
      while (position < target && failure == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(pending, left);
      }
    }
    if (failure != null) {
      throw new IOException(failure);
    }
    return true;
  }

  // ---------------------------------------------------------------- indexer-read

  private void readLoop() {
    try (Follower follower = ledger.follow(index.cursor())) {
      while (stop.getCount() > 0) {
        List<Entry> entries = follower.poll(config.chunk(), POLL);
        if (entries.isEmpty()) {
          continue;
        }
        Chunk chunk = new Chunk(entries);
        synchronized (pending) {
          pending.addLast(chunk);
        }
        while (!work.offer(chunk, TICK_MILLIS, TimeUnit.MILLISECONDS)) {
          if (failure != null) {
            return;
          }
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      fail("reading the ledger", e);
    } finally {
      readerDone = true;
    }
  }

  // ---------------------------------------------------------------- indexer-N

  private void indexLoop() {
    EventDocuments documents = new EventDocuments();
    try {
      while (failure == null) {
        Chunk chunk = work.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
        if (chunk == null) {
          if (readerDone && work.isEmpty()) {
            index.flushBuffer(); // in parallel with the other threads, before the final commit
            return;
          }
          continue;
        }
        for (Entry entry : chunk.entries) {
          add(entry, documents);
        }
        complete(chunk);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      fail("indexing", e);
    }
  }

  private void add(Entry entry, EventDocuments documents) throws IOException {
    AccessEvent event;
    try {
      event = EventJson.decodeCanonical(entry.payload());
    } catch (IllegalArgumentException notAnEvent) {
      skipped.increment();
      return;
    }
    try {
      index.add(documents.fields(entry.seq(), entry.offset(), event));
      indexed.increment();
    } catch (IllegalArgumentException refused) {
      // Lucene refuses this document alone and goes on; the mapping should never let it happen.
      if (rejected.sum() == 0) {
        LOG.log(
            Level.WARNING,
            "entry {0} cannot be indexed and is left out of the search index: {1}",
            entry.seq(),
            refused.getMessage());
      }
      rejected.increment();
    }
  }

  private void complete(Chunk chunk) {
    synchronized (pending) {
      chunk.done = true;
      chunk.entries = null;
      Chunk head;
      while ((head = pending.peekFirst()) != null && head.done) {
        pending.removeFirst();
        position = head.end;
      }
      pending.notifyAll();
    }
  }

  // ---------------------------------------------------------------- indexer-commit

  private void commitLoop() {
    long lastCommit = System.nanoTime();
    long lastRefresh = lastCommit;
    long refreshNanos = config.refreshInterval().toNanos();
    try {
      while (!stop.await(TICK_MILLIS, TimeUnit.MILLISECONDS) && failure == null) {
        long now = System.nanoTime();
        long every = ledger.size() - position > CATCHING_UP ? 10 * refreshNanos : refreshNanos;
        if (refreshNanos > 0 && now - lastRefresh >= every) {
          index.refresh();
          lastRefresh = now;
        }
        long at = position;
        if (at > committed
            && (at - committed >= config.commitEvery()
                || now - lastCommit >= config.commitInterval().toNanos())) {
          commit(at);
          lastCommit = now;
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      fail("committing", e);
    }
  }

  private void commit(long at) throws IOException {
    index.commit(at);
    committed = at;
    commits.increment();
  }

  private void fail(String doing, Throwable e) {
    synchronized (pending) {
      if (failure != null) {
        return;
      }
      failure =
          "the search index stopped after an error while "
              + doing
              + ": "
              + e
              + "; the next start continues from entry "
              + committed;
      pending.notifyAll();
    }
    LOG.log(Level.ERROR, failure, e);
  }

  // ---------------------------------------------------------------- closing

  /**
   * Stops following the ledger, indexes what was already read, commits it, and closes the index.
   */
  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    stop.countDown();
    boolean interrupted = false;
    for (Thread t : allThreads()) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    try {
      if (failure == null && position > committed) {
        commit(position);
      }
    } finally {
      index.close();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private List<Thread> allThreads() {
    List<Thread> all = new ArrayList<>();
    all.add(reader);
    all.addAll(workers);
    all.add(committer);
    return all;
  }
}
