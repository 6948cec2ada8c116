package dev.trailwatch.search.query;

import dev.trailwatch.search.index.EventDocuments;
import dev.trailwatch.search.index.IndexFields;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;

/**
 * An in-memory index of events built with the indexer's own mapping ({@link EventDocuments}), so
 * that the query side is checked against the documents the server really writes. Segments are kept
 * small and unmerged so that every query spans several.
 */
public final class TestIndex {
  private TestIndex() {}

  public static Directory build(List<StoredEvent> events, int docsPerSegment) throws IOException {
    Directory dir = new ByteBuffersDirectory();
    IndexWriterConfig config =
        new IndexWriterConfig(IndexFields.analyzer())
            .setMergePolicy(NoMergePolicy.INSTANCE)
            .setMaxBufferedDocs(docsPerSegment)
            .setRAMBufferSizeMB(IndexWriterConfig.DISABLE_AUTO_FLUSH);
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      for (StoredEvent e : events) {
        writer.addDocument(EventDocuments.document(e.seq(), -1, e.event()));
      }
    }
    return dir;
  }
}
