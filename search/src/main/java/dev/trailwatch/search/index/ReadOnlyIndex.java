package dev.trailwatch.search.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.FSDirectory;

/**
 * The last commit of a data directory's index, read without writing anything: for searching beside
 * a running server, which holds the writer (Lucene lets readers open a commit while another process
 * writes). What the server indexed after its last commit (at most {@code index.commit_interval}) is
 * not seen. Thread-safe.
 */
public final class ReadOnlyIndex implements Searchers, AutoCloseable {
  private final FSDirectory directory;
  private final SearcherManager searchers;
  private final long cursor;

  private ReadOnlyIndex(FSDirectory directory, SearcherManager searchers, long cursor) {
    this.directory = directory;
    this.searchers = searchers;
    this.cursor = cursor;
  }

  /**
   * Opens the last commit of {@code dataDir}'s index, if there is one this Trailwatch can search:
   * empty when the index does not exist yet or was written with another mapping version (the server
   * is rebuilding it) or for another ledger.
   */
  public static Optional<ReadOnlyIndex> open(Path dataDir, String origin) throws IOException {
    Path path = SearchIndex.path(dataDir);
    if (!Files.isDirectory(path)) {
      return Optional.empty();
    }
    FSDirectory directory = FSDirectory.open(path);
    try {
      if (!DirectoryReader.indexExists(directory)) {
        directory.close();
        return Optional.empty();
      }
      DirectoryReader reader = DirectoryReader.open(directory);
      IndexCommit commit = reader.getIndexCommit();
      Map<String, String> data = commit.getUserData();
      String cursor = data.get(SearchIndex.CURSOR);
      if (!Integer.toString(IndexFields.MAPPING_VERSION).equals(data.get(SearchIndex.MAPPING))
          || !origin.equals(data.get(SearchIndex.ORIGIN))
          || cursor == null) {
        reader.close();
        directory.close();
        return Optional.empty();
      }
      return Optional.of(
          new ReadOnlyIndex(directory, new SearcherManager(reader, null), Long.parseLong(cursor)));
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  /** Every ledger entry below this one is in the commit read. */
  public long cursor() {
    return cursor;
  }

  @Override
  public IndexSearcher acquire() throws IOException {
    return searchers.acquire();
  }

  @Override
  public void release(IndexSearcher searcher) throws IOException {
    searchers.release(searcher);
  }

  @Override
  public void close() throws IOException {
    try {
      searchers.close();
    } finally {
      directory.close();
    }
  }
}
