package dev.trailwatch.search.query;

import dev.trailwatch.event.IpAddress;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.BytesRef;

/**
 * The values of fields for a fixed set of matching documents, read from the index's doc values:
 * keywords and IP addresses from {@link SortedSetDocValues}, numbers and times from {@link
 * SortedNumericDocValues}. Each field is read once, in document order, and kept. Position {@code i}
 * of every column belongs to the {@code i}-th document given. Not thread-safe.
 *
 * <p>Public for the other readers of the index (the timeline), so that the encodings of doc values
 * are decoded in this one place.
 */
public final class IndexColumns {
  private final IndexReader reader;
  private final int[] docs;
  private final Map<String, List<List<Value>>> columns = new HashMap<>();
  private final Map<String, long[]> longColumns = new HashMap<>();

  /** Ordinals apart beyond which {@link #count} seeks rather than reads the terms between. */
  private static final int SEEK_GAP = 64;

  /**
   * @param docs global document ids, ascending
   */
  public IndexColumns(IndexReader reader, int[] docs) {
    this.reader = reader;
    this.docs = docs;
  }

  /** The global ids of every document {@code query} matches, ascending. */
  public static int[] matching(IndexSearcher searcher, Query query) throws IOException {
    return searcher.search(query, new PipelineExecutor.AllDocs());
  }

  int size() {
    return docs.length;
  }

  /** The values of {@code field} of each document: empty when it has none. */
  public List<List<Value>> values(String field) throws IOException {
    List<List<Value>> column = columns.get(field);
    if (column == null) {
      column = read(field);
      columns.put(field, column);
    }
    return column;
  }

  /** Whether {@link #count} can count {@code field}: a keyword or an address. */
  static boolean hasOrdinals(String field) {
    return Schema.lookup(field)
        .map(
            f ->
                f.kind() == FieldKind.KEYWORD
                    || f.kind() == FieldKind.OUTCOME
                    || f.kind() == FieldKind.IP)
        .orElse(false);
  }

  /**
   * How many of the documents at {@code positions} have each value of {@code field} (see {@link
   * #hasOrdinals}): {@link Value#ABSENT} for those without one, and a document with several values
   * counts once for each. Counted per segment by ordinal, so each distinct value is looked up once
   * per segment rather than once per document.
   */
  Map<Value, Long> count(String field, int[] positions) throws IOException {
    FromBytes convert =
        Schema.lookup(field).orElseThrow().kind() == FieldKind.IP
            ? IndexColumns::address
            : bytes -> new Value.Text(bytes.utf8ToString());
    int[] ascending = positions.clone();
    Arrays.sort(ascending);
    Map<Value, Long> counts = new HashMap<>();
    long absent = 0;
    int p = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      int end = leaf.docBase + leaf.reader().maxDoc();
      if (p == ascending.length || docs[ascending[p]] >= end) {
        continue;
      }
      SortedSetDocValues dv = DocValues.getSortedSet(leaf.reader(), field);
      int[] perOrd = new int[Math.toIntExact(dv.getValueCount())];
      for (; p < ascending.length && docs[ascending[p]] < end; p++) {
        if (!dv.advanceExact(docs[ascending[p]] - leaf.docBase)) {
          absent++;
          continue;
        }
        for (int k = dv.docValueCount(); k > 0; k--) {
          perOrd[(int) dv.nextOrd()]++;
        }
      }
      // The terms in ordinal order, read block by block: lookupOrd would seek (and decompress a
      // block) for every ordinal, which is most of the time on millions of documents.
      TermsEnum terms = dv.termsEnum();
      long at = -1;
      for (int ord = 0; ord < perOrd.length; ord++) {
        if (perOrd[ord] == 0) {
          continue;
        }
        if (ord - at > SEEK_GAP) {
          terms.seekExact(ord);
        } else {
          while (at < ord) {
            terms.next();
            at++;
          }
        }
        at = ord;
        counts.merge(convert.of(terms.term()), (long) perOrd[ord], Long::sum);
      }
    }
    if (absent > 0) {
      counts.put(Value.ABSENT, absent);
    }
    return counts;
  }

  /**
   * The single long value of {@code field} (a {@code LongField} every document has), read on first
   * use.
   */
  public long[] longs(String field) throws IOException {
    long[] out = longColumns.get(field);
    if (out == null) {
      out = readLongs(field);
      longColumns.put(field, out);
    }
    return out;
  }

  private long[] readLongs(String field) throws IOException {
    long[] out = new long[docs.length];
    int i = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      SortedNumericDocValues dv = DocValues.getSortedNumeric(leaf.reader(), field);
      int end = leaf.docBase + leaf.reader().maxDoc();
      for (; i < docs.length && docs[i] < end; i++) {
        if (!dv.advanceExact(docs[i] - leaf.docBase)) {
          throw new IllegalStateException("document " + docs[i] + " has no " + field);
        }
        out[i] = dv.nextValue();
      }
    }
    return out;
  }

  private List<List<Value>> read(String field) throws IOException {
    FieldKind kind =
        Schema.lookup(field)
            .orElseThrow(() -> new IllegalArgumentException("unknown field " + field))
            .kind();
    List<List<Value>> out = new ArrayList<>(docs.length);
    int i = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      LeafValues values = leafValues(leaf.reader(), field, kind);
      int end = leaf.docBase + leaf.reader().maxDoc();
      for (; i < docs.length && docs[i] < end; i++) {
        out.add(values.of(docs[i] - leaf.docBase));
      }
    }
    return out;
  }

  /** Reads one field's values in one segment, documents in increasing order. */
  private interface LeafValues {
    List<Value> of(int doc) throws IOException;
  }

  private static LeafValues leafValues(LeafReader leaf, String field, FieldKind kind)
      throws IOException {
    return switch (kind) {
      case KEYWORD, OUTCOME -> {
        SortedSetDocValues dv = DocValues.getSortedSet(leaf, field);
        yield doc -> terms(dv, doc, bytes -> new Value.Text(bytes.utf8ToString()));
      }
      case IP -> {
        SortedSetDocValues dv = DocValues.getSortedSet(leaf, field);
        yield doc -> terms(dv, doc, IndexColumns::address);
      }
      case INT -> {
        SortedNumericDocValues dv = DocValues.getSortedNumeric(leaf, field);
        yield doc -> numbers(dv, doc, Value.Int::new);
      }
      case TIME -> {
        SortedNumericDocValues dv = DocValues.getSortedNumeric(leaf, field);
        yield doc -> numbers(dv, doc, nanos -> new Value.Time(instant(nanos)));
      }
      case TEXT -> throw new IllegalArgumentException(field + " has no doc values");
    };
  }

  private interface FromBytes {
    Value of(BytesRef bytes);
  }

  private interface FromLong {
    Value of(long value);
  }

  private static List<Value> terms(SortedSetDocValues dv, int doc, FromBytes convert)
      throws IOException {
    if (!dv.advanceExact(doc)) {
      return List.of();
    }
    int count = dv.docValueCount();
    List<Value> values = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      values.add(convert.of(dv.lookupOrd(dv.nextOrd())));
    }
    return values;
  }

  private static List<Value> numbers(SortedNumericDocValues dv, int doc, FromLong convert)
      throws IOException {
    if (!dv.advanceExact(doc)) {
      return List.of();
    }
    int count = dv.docValueCount();
    List<Value> values = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      values.add(convert.of(dv.nextValue()));
    }
    return values;
  }

  private static Value address(BytesRef bytes) {
    byte[] encoded = Arrays.copyOfRange(bytes.bytes, bytes.offset, bytes.offset + bytes.length);
    return new Value.Ip(IpAddress.of(InetAddressPoint.decode(encoded)));
  }

  /** The instant of epoch nanoseconds. */
  public static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
