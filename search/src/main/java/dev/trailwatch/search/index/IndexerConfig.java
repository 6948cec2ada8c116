package dev.trailwatch.search.index;

import java.time.Duration;
import java.util.Objects;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.TieredMergePolicy;

/**
 * How the {@link Indexer} works: its threads, Lucene's buffer, and when it commits and refreshes.
 *
 * @param threads threads that decode entries and add documents (Lucene indexes on the adding
 *     thread)
 * @param ramBufferMb Lucene's indexing buffer: documents are flushed to a new segment when the
 *     buffers of all threads together reach it
 * @param tunedWriter the writer settings of {@link #writerConfig}: {@code ramBufferMb}, no compound
 *     files, fewer merges; false: Lucene's defaults (16 MB, compound files, its merge policy), to
 *     measure what the tuning buys
 * @param commitEvery commit after this many entries since the last commit ...
 * @param commitInterval ... or after this much time, whichever comes first; after a crash at most
 *     this much work is done again
 * @param refreshInterval how often searchers are refreshed to see new documents; zero: never (a
 *     rebuild that nobody searches meanwhile)
 * @param chunk entries handed to a thread at a time
 */
public record IndexerConfig(
    int threads,
    double ramBufferMb,
    boolean tunedWriter,
    long commitEvery,
    Duration commitInterval,
    Duration refreshInterval,
    int chunk) {

  /** Segments of about one size that may accumulate before they are merged. */
  static final int SEGMENTS_PER_TIER = 20;

  public IndexerConfig {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    if (!(ramBufferMb >= 1 && ramBufferMb < 2048)) {
      throw new IllegalArgumentException("ramBufferMb must be 1 to 2047, not " + ramBufferMb);
    }
    if (commitEvery < 1) {
      throw new IllegalArgumentException("commitEvery must be at least 1, not " + commitEvery);
    }
    Objects.requireNonNull(commitInterval, "commitInterval");
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    if (commitInterval.isNegative() || commitInterval.isZero() || refreshInterval.isNegative()) {
      throw new IllegalArgumentException(
          "commitInterval must be positive and refreshInterval not negative");
    }
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be at least 1, not " + chunk);
    }
  }

  /**
   * For a server: one thread per core, a buffer of a quarter of the heap up to 256 MB, a commit
   * every 1,000,000 entries or 30 s, searchers refreshed every second.
   */
  public static IndexerConfig defaults() {
    double quarterHeapMb = Runtime.getRuntime().maxMemory() / 4.0 / (1 << 20);
    return new IndexerConfig(
        Runtime.getRuntime().availableProcessors(),
        Math.max(16, Math.min(256, quarterHeapMb)),
        true,
        1_000_000,
        Duration.ofSeconds(30),
        Duration.ofSeconds(1),
        1024);
  }

  /** As {@link #defaults()}, for a rebuild that nobody searches meanwhile: no refreshes. */
  public static IndexerConfig rebuild() {
    return defaults().withRefreshInterval(Duration.ZERO);
  }

  public IndexerConfig withThreads(int value) {
    return new IndexerConfig(
        value, ramBufferMb, tunedWriter, commitEvery, commitInterval, refreshInterval, chunk);
  }

  public IndexerConfig withRamBufferMb(double value) {
    return new IndexerConfig(
        threads, value, tunedWriter, commitEvery, commitInterval, refreshInterval, chunk);
  }

  public IndexerConfig withTunedWriter(boolean value) {
    return new IndexerConfig(
        threads, ramBufferMb, value, commitEvery, commitInterval, refreshInterval, chunk);
  }

  public IndexerConfig withCommitEvery(long entries, Duration interval) {
    return new IndexerConfig(
        threads, ramBufferMb, tunedWriter, entries, interval, refreshInterval, chunk);
  }

  public IndexerConfig withRefreshInterval(Duration value) {
    return new IndexerConfig(
        threads, ramBufferMb, tunedWriter, commitEvery, commitInterval, value, chunk);
  }

  public IndexerConfig withChunk(int value) {
    return new IndexerConfig(
        threads, ramBufferMb, tunedWriter, commitEvery, commitInterval, refreshInterval, value);
  }

  /**
   * Lucene's configuration: a large buffer (fewer, larger segments to merge later), no compound
   * files (each segment would be written twice), and 20 segments per tier merged 20 at a time
   * instead of Lucene's 8 and 10 (an append-only log index rewrites each document less often, for
   * somewhat more segments to search).
   */
  IndexWriterConfig writerConfig(Analyzer analyzer) {
    IndexWriterConfig config =
        new IndexWriterConfig(analyzer)
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
            // A commit must carry the cursor it was given: never commit on close.
            .setCommitOnClose(false);
    if (!tunedWriter) {
      return config;
    }
    TieredMergePolicy merges =
        new TieredMergePolicy()
            .setSegmentsPerTier(SEGMENTS_PER_TIER)
            .setMaxMergeAtOnce(SEGMENTS_PER_TIER);
    merges.setNoCFSRatio(0);
    return config.setRAMBufferSizeMB(ramBufferMb).setUseCompoundFile(false).setMergePolicy(merges);
  }
}
