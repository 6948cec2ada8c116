package dev.trailwatch.search.index;

import java.io.IOException;
import org.apache.lucene.search.IndexSearcher;

/**
 * Where searches get a point-in-time view of the index: the live {@link SearchIndex} of the process
 * that writes it, or a {@link ReadOnlyIndex} of its last commit beside a process that does. Every
 * searcher acquired must be released, in a {@code finally}. Implementations are thread-safe.
 */
public interface Searchers {
  /** A searcher; give it back with {@link #release}. */
  IndexSearcher acquire() throws IOException;

  /** Gives back a searcher from {@link #acquire()}. */
  void release(IndexSearcher searcher) throws IOException;
}
