package dev.trailwatch.search.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * The Lucene index of a data directory, under {@code DIR/index/}: a cache of the ledger, which can
 * always be rebuilt from it.
 *
 * <p>Every commit carries, in its user data, the cursor ({@value #CURSOR}: every ledger entry below
 * it is in the index), the mapping version ({@value #MAPPING}, {@link IndexFields#MAPPING_VERSION})
 * and the ledger's origin ({@value #ORIGIN}). The cursor and the documents are therefore committed
 * atomically. Documents of entries at or above the cursor may also be in a commit (they were being
 * added while it was taken); {@link #open} deletes them, so that indexing again from the cursor
 * leaves every entry in the index exactly once. {@link #close()} never commits: what was added
 * since the last {@link #commit} is discarded, as after a crash.
 *
 * <p>{@link #open} rebuilds from scratch (and logs why) when the index is missing, cannot be read,
 * was written with another mapping version or for another ledger, or claims more entries than the
 * ledger holds.
 *
 * <p>The Lucene write lock ({@code index/write.lock}) keeps a second writer out; the ledger's own
 * lock, which every writer of the data directory holds, keeps it out first.
 *
 * <p>Thread-safe: documents may be added from many threads while another commits or refreshes.
 */
public final class SearchIndex implements Searchers, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SearchIndex.class.getName());

  /** The directory of the index inside a data directory. */
  public static final String DIRECTORY = "index";

  static final String CURSOR = "trailwatch.cursor";
  static final String MAPPING = "trailwatch.mapping";
  static final String ORIGIN = "trailwatch.origin";

  private static final String MISSING = "does not exist yet";

  private final Path path;
  private final Analyzer analyzer;
  private final FSDirectory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final String origin;
  private final long cursor;
  private final Optional<String> rebuilt;

  private SearchIndex(
      Path path,
      Analyzer analyzer,
      FSDirectory directory,
      IndexWriter writer,
      SearcherManager searchers,
      String origin,
      long cursor,
      Optional<String> rebuilt) {
    this.path = path;
    this.analyzer = analyzer;
    this.directory = directory;
    this.writer = writer;
    this.searchers = searchers;
    this.origin = origin;
    this.cursor = cursor;
    this.rebuilt = rebuilt;
  }

  /** Where the index of {@code dataDir} lives. */
  public static Path path(Path dataDir) {
    return dataDir.resolve(DIRECTORY);
  }

  /**
   * Opens the index of {@code dataDir} to continue from its last commit, or starts it afresh (see
   * the class comment).
   *
   * @param origin the ledger's origin, which the index must have been built from
   * @param ledgerSize the number of entries in the ledger now
   */
  public static SearchIndex open(Path dataDir, String origin, long ledgerSize, IndexerConfig config)
      throws IOException {
    Path path = path(dataDir);
    Optional<String> problem = problem(path, origin, ledgerSize);
    if (problem.isEmpty()) {
      try {
        return openWriter(path, origin, config, Optional.empty());
      } catch (LockObtainFailedException e) {
        throw new IOException(
            "the search index " + path + " is open in another process; stop it first", e);
      } catch (IOException | RuntimeException e) {
        problem = Optional.of("cannot be opened (" + e + ")");
      }
    }
    if (ledgerSize > 0 || !problem.get().equals(MISSING)) {
      LOG.log(
          Level.WARNING,
          "the search index {0} {1}: {2} it from the ledger''s {3} entries",
          path,
          problem.get(),
          problem.get().equals(MISSING) ? "building" : "rebuilding",
          ledgerSize);
    }
    return create(dataDir, origin, config, problem);
  }

  /** Deletes the index of {@code dataDir}, if any, and starts an empty one. */
  public static SearchIndex create(Path dataDir, String origin, IndexerConfig config)
      throws IOException {
    return create(dataDir, origin, config, Optional.of("was deleted to be rebuilt"));
  }

  private static SearchIndex create(
      Path dataDir, String origin, IndexerConfig config, Optional<String> why) throws IOException {
    Path path = path(dataDir);
    deleteRecursively(path);
    return openWriter(path, origin, config, why);
  }

  /** Why the index at {@code path} cannot be continued, if it cannot. */
  private static Optional<String> problem(Path path, String origin, long ledgerSize) {
    if (!Files.isDirectory(path)) {
      return Optional.of(MISSING);
    }
    Map<String, String> data;
    try (FSDirectory dir = FSDirectory.open(path)) {
      if (!DirectoryReader.indexExists(dir)) {
        return Optional.of(MISSING);
      }
      data = SegmentInfos.readLatestCommit(dir).getUserData();
    } catch (IOException | RuntimeException e) {
      return Optional.of("cannot be read (" + e + ")");
    }
    String mapping = data.getOrDefault(MAPPING, "none");
    if (!mapping.equals(Integer.toString(IndexFields.MAPPING_VERSION))) {
      return Optional.of(
          "has mapping version "
              + mapping
              + " where this Trailwatch writes version "
              + IndexFields.MAPPING_VERSION);
    }
    if (!origin.equals(data.get(ORIGIN))) {
      return Optional.of("was built from another ledger (origin " + data.get(ORIGIN) + ")");
    }
    long cursor;
    try {
      cursor = Long.parseLong(data.getOrDefault(CURSOR, "-1"));
    } catch (NumberFormatException e) {
      cursor = -1;
    }
    if (cursor < 0) {
      return Optional.of("has no valid cursor in its last commit");
    }
    if (cursor > ledgerSize) {
      return Optional.of("covers " + cursor + " entries but the ledger holds only " + ledgerSize);
    }
    return Optional.empty();
  }

  private static SearchIndex openWriter(
      Path path, String origin, IndexerConfig config, Optional<String> rebuilt) throws IOException {
    Files.createDirectories(path);
    Analyzer analyzer = IndexFields.analyzer();
    FSDirectory directory = FSDirectory.open(path);
    IndexWriter writer = null;
    try {
      writer = new IndexWriter(directory, config.writerConfig(analyzer));
      long cursor = 0;
      if (rebuilt.isEmpty()) {
        cursor = Long.parseLong(SegmentInfos.readLatestCommit(directory).getUserData().get(CURSOR));
        // Entries at or above the cursor are indexed again: drop what a commit caught of them.
        writer.deleteDocuments(LongField.newRangeQuery(IndexFields.SEQ, cursor, Long.MAX_VALUE));
      }
      SearcherManager searchers = new SearcherManager(writer, true, false, null);
      SearchIndex index =
          new SearchIndex(path, analyzer, directory, writer, searchers, origin, cursor, rebuilt);
      if (rebuilt.isPresent()) {
        index.commit(0); // an empty index with its version and origin, replacing what was there
      }
      return index;
    } catch (IOException | RuntimeException e) {
      if (writer != null) {
        writer.rollback();
      }
      directory.close();
      analyzer.close();
      throw e;
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Where this index lives. */
  public Path path() {
    return path;
  }

  /** The committed cursor it was opened at: indexing continues from this ledger entry. */
  public long cursor() {
    return cursor;
  }

  /** Why the index was started afresh when it was opened, if it was. */
  public Optional<String> rebuilt() {
    return rebuilt;
  }

  /** Adds one document (see {@link EventDocuments}). */
  void add(Iterable<? extends IndexableField> document) throws IOException {
    writer.addDocument(document);
  }

  /**
   * Writes this thread's share of the buffered documents to a new segment, so that several threads
   * can flush at once before a commit, which would otherwise flush everything on one thread.
   */
  void flushBuffer() throws IOException {
    writer.flushNextBuffer();
  }

  /**
   * Commits every document added so far, durably, with {@code cursor}: every ledger entry below it
   * must have been added (or skipped) before this call.
   */
  void commit(long cursor) throws IOException {
    writer.setLiveCommitData(
        Map.of(
                CURSOR,
                Long.toString(cursor),
                MAPPING,
                Integer.toString(IndexFields.MAPPING_VERSION),
                ORIGIN,
                origin)
            .entrySet());
    writer.commit();
  }

  /**
   * A searcher over what was added up to the last {@link #refresh()} (committed or not). Give it
   * back with {@link #release}; documents hold only {@link IndexFields#SEQ}: read the event from
   * the ledger by its sequence number.
   */
  @Override
  public IndexSearcher acquire() throws IOException {
    return searchers.acquire();
  }

  /** Gives back a searcher from {@link #acquire()}. */
  @Override
  public void release(IndexSearcher searcher) throws IOException {
    searchers.release(searcher);
  }

  /**
   * Makes what was added so far visible to new searchers; waits for a refresh that another thread
   * is doing, so that what was added before this call is visible when it returns.
   */
  public void refresh() throws IOException {
    searchers.maybeRefreshBlocking();
  }

  /** Documents in the index, committed or not, including those not yet visible to searchers. */
  public long documents() {
    return writer.getDocStats().numDocs;
  }

  /** The bytes the index's files take now. */
  public long sizeBytes() {
    try (Stream<Path> files = Files.list(path)) {
      long total = 0;
      for (Path f : files.toList()) {
        try {
          total += Files.size(f);
        } catch (NoSuchFileException gone) {
          // merged away while we counted
        }
      }
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes without committing: what was added since the last commit is discarded. */
  @Override
  public void close() throws IOException {
    try {
      searchers.close();
    } finally {
      try {
        writer.close();
      } finally {
        directory.close();
        analyzer.close();
      }
    }
  }
}
