package dev.trailwatch.search.service;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.ledger.Entry;
import dev.trailwatch.ledger.LedgerReader;
import dev.trailwatch.search.index.EventDocuments;
import dev.trailwatch.search.index.IndexFields;
import dev.trailwatch.search.index.Searchers;
import dev.trailwatch.search.query.Hits;
import dev.trailwatch.search.query.LuceneQueries;
import dev.trailwatch.search.query.ParsedQuery;
import dev.trailwatch.search.query.PipelineExecutor;
import dev.trailwatch.search.query.QueryException;
import dev.trailwatch.search.query.QueryParser;
import dev.trailwatch.search.query.Result;
import dev.trailwatch.search.query.Stage;
import dev.trailwatch.search.query.Table;
import dev.trailwatch.search.query.TimeExpressions;
import dev.trailwatch.search.query.TimeRange;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.search.TopDocs;

/**
 * Searches the index and reads the hits from the ledger: what {@code GET /api/v1/search}, {@code
 * GET /api/v1/export} and {@code trailwatch search} run.
 *
 * <p>Two paths. A query whose stages keep events in their natural order ({@code head}, {@code
 * fields}, {@code sort -@timestamp}, or none) is a <em>page</em>: Lucene collects only the top
 * {@code limit} hits by {@code @timestamp} then {@code seq}, both descending, from their doc
 * values, and continues after a {@link PageCursor} ({@code searchAfter}); the total is {@code
 * IndexSearcher.count}. Nothing grows with the number of matches, so the newest 100 events of one
 * user in a day take a few milliseconds over millions of events. Every other pipeline ({@code
 * stats}, {@code timechart}, {@code top}, another {@code sort}) runs through {@link
 * PipelineExecutor}, which holds every match in memory.
 *
 * <p>Every hit is read from the ledger with the record offset the index keeps ({@link
 * LedgerReader#read(long, long)}), so its bytes are the ledger's, not a copy kept by the index. An
 * entry the index names but the ledger cannot give back is an error, never a silently shorter page.
 *
 * <p>Thread-safe: each call acquires its own searcher and releases it before returning (an export
 * holds one for as long as it writes).
 */
public final class SearchService {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 10_000;

  /** Hits per page when exporting. */
  static final int EXPORT_PAGE = 1_000;

  /** Newest first: {@code @timestamp} descending, then the later ledger entry first. */
  static final Sort NEWEST_FIRST =
      new Sort(
          LongField.newSortField(IndexFields.TIMESTAMP, true, SortedNumericSelector.Type.MAX),
          LongField.newSortField(IndexFields.SEQ, true, SortedNumericSelector.Type.MAX));

  private final Searchers searchers;
  private final LedgerReader ledger;
  private final InstantSource clock;

  /**
   * @param searchers the index to search
   * @param ledger the ledger the index was built from; keep it open as long as this service
   * @param clock what {@code now} means in relative times
   */
  public SearchService(Searchers searchers, LedgerReader ledger, InstantSource clock) {
    this.searchers = requireNonNull(searchers, "searchers");
    this.ledger = requireNonNull(ledger, "ledger");
    this.clock = requireNonNull(clock, "clock");
  }

  /** A query and range ready to run. */
  record Plan(String text, ParsedQuery query, TimeRange range, int scope) {
    Query lucene() {
      return LuceneQueries.of(query.filter(), range);
    }

    /** Whether the stages keep events in the index's order, so the hits can be paged. */
    boolean pages() {
      for (Stage s : query.stages()) {
        boolean ok =
            switch (s) {
              case Stage.Head h -> true;
              case Stage.Fields f -> true;
              case Stage.Sort sort ->
                  sort.keys().equals(List.of(new Stage.SortKey(IndexFields.TIMESTAMP, true)));
              default -> false;
            };
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    /** The smallest {@code head}, or no limit. */
    long head() {
      long head = Long.MAX_VALUE;
      for (Stage s : query.stages()) {
        if (s instanceof Stage.Head h) {
          head = Math.min(head, h.count());
        }
      }
      return head;
    }

    /** The fields of the last {@code fields} stage; empty for all. */
    List<String> fields() {
      List<String> fields = List.of();
      for (Stage s : query.stages()) {
        if (s instanceof Stage.Fields f) {
          fields = f.names();
        }
      }
      return fields;
    }
  }

  /**
   * Parses the query and the time range.
   *
   * @throws QueryException for either; the range's message names {@code from} or {@code to}
   */
  Plan plan(String text, Optional<String> from, Optional<String> to) throws QueryException {
    ParsedQuery query = QueryParser.parse(text);
    TimeRange range = TimeExpressions.range(from, to, clock);
    return new Plan(text, query, range, PageCursor.scope(text, from.orElse(""), to.orElse("")));
  }

  /**
   * One page of a search.
   *
   * @throws QueryException when the query or the range cannot be read (with line and column)
   * @throws InvalidCursorException when the cursor is not one of this search
   * @throws IOException when the index or the ledger cannot be read
   */
  public SearchResult search(SearchRequest request)
      throws QueryException, InvalidCursorException, IOException {
    Plan plan = plan(request.query(), request.from(), request.to());
    Optional<PageCursor> after = Optional.empty();
    if (request.cursor().isPresent()) {
      after = Optional.of(PageCursor.decode(request.cursor().get(), plan.scope()));
    }
    IndexSearcher searcher = searchers.acquire();
    try {
      long total = searcher.count(plan.lucene());
      if (!plan.pages()) {
        return pipeline(searcher, plan, total, request.limit(), after.isPresent());
      }
      long sent = after.map(PageCursor::sent).orElse(0L);
      long wanted = Math.min(plan.head(), total);
      int n = (int) Math.max(0, Math.min(request.limit(), wanted - sent));
      List<FieldDoc> docs = page(searcher, plan, after, n);
      List<SearchResult.Hit> hits = read(searcher, docs);
      Optional<String> next = Optional.empty();
      if (!docs.isEmpty() && sent + docs.size() < wanted) {
        FieldDoc last = docs.getLast();
        next =
            Optional.of(
                new PageCursor(
                        (Long) last.fields[0],
                        (Long) last.fields[1],
                        sent + docs.size(),
                        plan.scope())
                    .encode());
      }
      return new SearchResult(plan.range(), total, hits, plan.fields(), next, Optional.empty());
    } finally {
      searchers.release(searcher);
    }
  }

  /** A pipeline through {@link PipelineExecutor}: a table, or events in the pipeline's order. */
  private SearchResult pipeline(
      IndexSearcher searcher, Plan plan, long total, int limit, boolean paged) throws IOException {
    Result result = new PipelineExecutor(searcher).execute(plan.query(), plan.range());
    return switch (result) {
      case Table t ->
          new SearchResult(
              plan.range(), total, List.of(), List.of(), Optional.empty(), Optional.of(t));
      case Hits h -> {
        // Sorted by a field: not pageable by cursor; the first page only.
        List<Long> seqs = paged ? List.of() : h.seqs().subList(0, Math.min(limit, h.seqs().size()));
        yield new SearchResult(
            plan.range(),
            total,
            readSeqs(searcher, seqs),
            h.fields(),
            Optional.empty(),
            Optional.empty());
      }
    };
  }

  /** Up to {@code n} hits in the natural order, after the cursor if any. */
  static List<FieldDoc> page(IndexSearcher searcher, Plan plan, Optional<PageCursor> after, int n)
      throws IOException {
    if (n <= 0) {
      return List.of();
    }
    TopDocs top =
        after.isPresent()
            ? searcher.searchAfter(
                after.get().after(searcher.getIndexReader().maxDoc()),
                plan.lucene(),
                n,
                NEWEST_FIRST)
            : searcher.search(plan.lucene(), n, NEWEST_FIRST);
    List<FieldDoc> docs = new ArrayList<>(top.scoreDocs.length);
    for (ScoreDoc d : top.scoreDocs) {
      docs.add((FieldDoc) d);
    }
    return docs;
  }

  /** The ledger entries of these documents, in their order. */
  List<SearchResult.Hit> read(IndexSearcher searcher, List<? extends ScoreDoc> docs)
      throws IOException {
    long[] seqs = new long[docs.size()];
    long[] offsets = new long[docs.size()];
    docValues(searcher, docs, seqs, offsets);
    List<SearchResult.Hit> hits = new ArrayList<>(docs.size());
    for (int i = 0; i < seqs.length; i++) {
      hits.add(entry(seqs[i], offsets[i]));
    }
    return hits;
  }

  /** The ledger entries of these sequence numbers, each found through its document's offset. */
  List<SearchResult.Hit> readSeqs(IndexSearcher searcher, List<Long> seqs) throws IOException {
    List<SearchResult.Hit> hits = new ArrayList<>(seqs.size());
    for (long seq : seqs) {
      OptionalLong offset = EventDocuments.offsetOf(searcher, seq);
      if (offset.isEmpty()) {
        throw new IOException("entry " + seq + " left the search index while it was searched");
      }
      hits.add(entry(seq, offset.getAsLong()));
    }
    return hits;
  }

  /** Each document's sequence number and record offset, read from doc values in index order. */
  private static void docValues(
      IndexSearcher searcher, List<? extends ScoreDoc> docs, long[] seqs, long[] offsets)
      throws IOException {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    Integer[] order = new Integer[docs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingInt(i -> docs.get(i).doc));
    int leafIndex = -1;
    LeafReaderContext leaf = null;
    org.apache.lucene.index.SortedNumericDocValues seqValues = null;
    NumericDocValues offsetValues = null;
    for (int i : order) {
      int doc = docs.get(i).doc;
      int li = ReaderUtil.subIndex(doc, leaves);
      if (li != leafIndex) {
        leafIndex = li;
        leaf = leaves.get(li);
        seqValues = leaf.reader().getSortedNumericDocValues(IndexFields.SEQ);
        offsetValues = leaf.reader().getNumericDocValues(IndexFields.OFFSET);
      }
      int local = doc - leaf.docBase;
      if (seqValues == null || !seqValues.advanceExact(local)) {
        throw new IOException("a document of the search index has no sequence number: rebuild it");
      }
      seqs[i] = seqValues.nextValue();
      offsets[i] =
          offsetValues != null && offsetValues.advanceExact(local) ? offsetValues.longValue() : -1;
    }
  }

  private SearchResult.Hit entry(long seq, long offset) throws IOException {
    Optional<Entry> e = ledger.read(seq, offset);
    if (e.isEmpty()) {
      throw new IOException(
          "entry "
              + seq
              + " is in the search index but the ledger cannot give it back (trailwatch verify"
              + " says why)");
    }
    return new SearchResult.Hit(seq, e.get().payload());
  }

  /**
   * Prepares an export of every match, without running it: the query and range are checked now, so
   * that a bad one is refused before any output.
   *
   * @throws QueryException when the query or the range cannot be read
   */
  public Export export(
      String query, Optional<String> from, Optional<String> to, ExportFormat format)
      throws QueryException {
    return new Export(this, plan(query, from, to), format);
  }

  Searchers searchers() {
    return searchers;
  }

  Result pipelineResult(IndexSearcher searcher, Plan plan) throws IOException {
    return new PipelineExecutor(searcher).execute(plan.query(), plan.range());
  }
}
