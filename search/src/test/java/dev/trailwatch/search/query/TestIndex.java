package dev.trailwatch.search.query;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Field;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Outcome;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;

/**
 * Builds an in-memory index of events exactly as the index contract in {@link LuceneQueries}
 * describes, written here from the contract rather than from the translator, for tests until the
 * real indexer exists. Segments are kept small and unmerged so that every query spans several.
 */
final class TestIndex {
  private TestIndex() {}

  static Directory build(List<StoredEvent> events, int docsPerSegment) throws IOException {
    Directory dir = new ByteBuffersDirectory();
    IndexWriterConfig config =
        new IndexWriterConfig(new StandardAnalyzer(CharArraySet.EMPTY_SET))
            .setMergePolicy(NoMergePolicy.INSTANCE)
            .setMaxBufferedDocs(docsPerSegment)
            .setRAMBufferSizeMB(IndexWriterConfig.DISABLE_AUTO_FLUSH);
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      for (StoredEvent e : events) {
        writer.addDocument(document(e));
      }
    }
    return dir;
  }

  static Document document(StoredEvent stored) {
    AccessEvent e = stored.event();
    Document doc = new Document();
    doc.add(new LongField("@timestamp", nanos(e.timestamp()), Store.NO));
    doc.add(new LongField("_seq", stored.seq(), Store.YES));
    for (Field field : Field.values()) {
      if (field == Field.TIMESTAMP || field == Field.LABELS) {
        continue;
      }
      String name = field.ecsName();
      e.get(field)
          .ifPresent(
              value -> {
                switch (value) {
                  case String s ->
                      doc.add(
                          field == Field.MESSAGE
                              ? new TextField(name, s, Store.NO)
                              : new KeywordField(name, s, Store.NO));
                  case Outcome o -> doc.add(new KeywordField(name, o.ecsValue(), Store.NO));
                  case Integer i -> doc.add(new IntField(name, i, Store.NO));
                  case IpAddress ip -> {
                    InetAddress address = ip.toInetAddress();
                    doc.add(new InetAddressPoint(name, address));
                    doc.add(
                        new SortedSetDocValuesField(
                            name, new BytesRef(InetAddressPoint.encode(address))));
                  }
                  case List<?> roles ->
                      roles.forEach(r -> doc.add(new KeywordField(name, (String) r, Store.NO)));
                  default -> throw new IllegalArgumentException("unexpected " + value);
                }
              });
    }
    for (Map.Entry<String, String> label : e.labels().entrySet()) {
      doc.add(new KeywordField("labels." + label.getKey(), label.getValue(), Store.NO));
    }
    return doc;
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }
}
