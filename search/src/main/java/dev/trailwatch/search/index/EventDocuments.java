package dev.trailwatch.search.index;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Field;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Outcome;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;

/**
 * Turns a ledger entry's event into the fields of its Lucene document, as {@link IndexFields}
 * describes. Every schema field is read through {@link AccessEvent#get(Field)} and indexed by its
 * {@link Field.Type}, so a field added to the schema is indexed without a change here.
 *
 * <p>An instance reuses its {@code Field} objects from one event to the next (Lucene allows that
 * once {@code addDocument} has returned): {@link #fields} allocates only the values' UTF-8 bytes.
 * Not thread-safe: one per indexing thread. {@link #document} makes a self-contained document for
 * callers that keep it.
 */
public final class EventDocuments {
  private static final Field[] SCHEMA = Field.values();

  /** Label names kept with their own reusable field; beyond this, a label gets a fresh field. */
  private static final int MAX_CACHED_LABELS = 1024;

  private final List<IndexableField> fields = new ArrayList<>(48);
  private final LongField seq = new LongField(IndexFields.SEQ, 0, Store.YES);
  private final NumericDocValuesField offset = new NumericDocValuesField(IndexFields.OFFSET, -1);
  private final LongField timestamp = new LongField(IndexFields.TIMESTAMP, 0, Store.NO);
  private final Keyword[] keywords = new Keyword[SCHEMA.length];
  private final IntField[] ints = new IntField[SCHEMA.length];
  private final Ip[] ips = new Ip[SCHEMA.length];
  private final TextField message = new TextField(IndexFields.MESSAGE, "", Store.NO);
  private final List<Keyword> roles = new ArrayList<>();
  private final Map<String, Keyword> labels = new HashMap<>();

  public EventDocuments() {
    for (Field f : SCHEMA) {
      int i = f.ordinal();
      switch (f.type()) {
        case KEYWORD, OUTCOME -> keywords[i] = new Keyword(f.ecsName());
        case INT -> ints[i] = new IntField(f.ecsName(), 0, Store.NO);
        case IP -> ips[i] = new Ip(f.ecsName());
        case INSTANT, TEXT, KEYWORD_LIST, KEYWORD_MAP -> {} // one field each, above
      }
    }
  }

  /**
   * The document of entry {@code seq} holding {@code event}, with fields of its own.
   *
   * @param offset where the entry's record starts in its segment file ({@code Entry.offset()}), -1
   *     when not known
   */
  public static Document document(long seq, long offset, AccessEvent event) {
    Document d = new Document();
    new EventDocuments().fields(seq, offset, event).forEach(d::add);
    return d;
  }

  /**
   * The record offset kept with entry {@code seq}'s document ({@code -1} when it was not known),
   * for {@code LedgerReader.read(seq, offset)}; empty when {@code searcher} has no document for
   * {@code seq}.
   */
  public static OptionalLong offsetOf(IndexSearcher searcher, long seq) throws IOException {
    TopDocs found = searcher.search(LongField.newExactQuery(IndexFields.SEQ, seq), 1);
    if (found.scoreDocs.length == 0) {
      return OptionalLong.empty();
    }
    int doc = found.scoreDocs[0].doc;
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    NumericDocValues offsets = leaf.reader().getNumericDocValues(IndexFields.OFFSET);
    return OptionalLong.of(
        offsets != null && offsets.advanceExact(doc - leaf.docBase) ? offsets.longValue() : -1);
  }

  /**
   * The fields of entry {@code seq}'s document: valid until the next call, which reuses them. Pass
   * them to {@code IndexWriter.addDocument} before calling again.
   *
   * @param offset where the entry's record starts in its segment file ({@code Entry.offset()}), -1
   *     when not known
   */
  public List<IndexableField> fields(long seq, long offset, AccessEvent event) {
    fields.clear();
    this.seq.setLongValue(seq);
    fields.add(this.seq);
    this.offset.setLongValue(offset);
    fields.add(this.offset);
    for (Field f : SCHEMA) {
      Object value = event.get(f).orElse(null);
      if (value == null) {
        continue;
      }
      int i = f.ordinal();
      switch (f.type()) {
        case INSTANT -> {
          timestamp.setLongValue(IndexFields.epochNanos((Instant) value));
          fields.add(timestamp);
        }
        case KEYWORD -> fields.add(keywords[i].set((String) value));
        case OUTCOME -> fields.add(keywords[i].set(((Outcome) value).ecsValue()));
        case INT -> {
          ints[i].setIntValue((Integer) value);
          fields.add(ints[i]);
        }
        case IP -> ips[i].add((IpAddress) value, fields);
        case TEXT -> {
          message.setStringValue((String) value);
          fields.add(message);
        }
        case KEYWORD_LIST -> addRoles(f, (List<?>) value);
        case KEYWORD_MAP -> addLabels((Map<?, ?>) value);
      }
    }
    return fields;
  }

  private void addRoles(Field f, List<?> values) {
    while (roles.size() < values.size()) {
      roles.add(new Keyword(f.ecsName()));
    }
    for (int i = 0; i < values.size(); i++) {
      fields.add(roles.get(i).set((String) values.get(i)));
    }
  }

  private void addLabels(Map<?, ?> values) {
    for (Map.Entry<?, ?> label : values.entrySet()) {
      String key = (String) label.getKey();
      Keyword k = labels.get(key);
      if (k == null) {
        k = new Keyword(IndexFields.label(key));
        if (labels.size() < MAX_CACHED_LABELS) {
          labels.put(key, k);
        }
      }
      fields.add(k.set((String) label.getValue()));
    }
  }

  /** A reusable keyword field. */
  private static final class Keyword {
    final KeywordField field;

    Keyword(String name) {
      field = new KeywordField(name, new BytesRef(), Store.NO);
    }

    KeywordField set(String value) {
      // String.getBytes is intrinsic: faster than encoding char by char into a reused buffer.
      field.setBytesValue(IndexFields.keywordTerm(value));
      return field;
    }
  }

  /** A reusable address point with its doc values field, which share the encoded bytes. */
  private static final class Ip {
    final InetAddressPoint point;
    final SortedSetDocValuesField docValues;

    Ip(String name) {
      point = new InetAddressPoint(name, InetAddress.getLoopbackAddress());
      docValues = new SortedSetDocValuesField(name, new BytesRef());
    }

    void add(IpAddress address, List<IndexableField> into) {
      point.setInetAddressValue(address.toInetAddress());
      docValues.setBytesValue(point.binaryValue()); // InetAddressPoint.encode(address)
      into.add(point);
      into.add(docValues);
    }
  }
}
