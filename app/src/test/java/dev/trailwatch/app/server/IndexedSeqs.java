package dev.trailwatch.app.server;

import dev.trailwatch.search.index.IndexFields;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/** What a closed search index holds: for tests that compare it with the ledger. */
public final class IndexedSeqs {
  private IndexedSeqs() {}

  /** Ledger sequence number to the number of live documents that hold it. */
  public static Map<Long, Integer> of(Path index) throws IOException {
    Map<Long, Integer> out = new HashMap<>();
    try (FSDirectory d = FSDirectory.open(index);
        DirectoryReader r = DirectoryReader.open(d)) {
      for (LeafReaderContext leaf : r.leaves()) {
        SortedNumericDocValues seqs = leaf.reader().getSortedNumericDocValues(IndexFields.SEQ);
        Bits live = leaf.reader().getLiveDocs();
        for (int doc = seqs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = seqs.nextDoc()) {
          if (live == null || live.get(doc)) {
            out.merge(seqs.nextValue(), 1, Integer::sum);
          }
        }
      }
    }
    return out;
  }
}
