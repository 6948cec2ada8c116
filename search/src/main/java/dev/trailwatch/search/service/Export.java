package dev.trailwatch.search.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.search.query.Hits;
import dev.trailwatch.search.query.Result;
import dev.trailwatch.search.query.Table;
import dev.trailwatch.search.query.TimeRange;
import dev.trailwatch.search.query.Value;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;

/**
 * One export of every match of a query, prepared by {@link SearchService#export}: {@link #writeTo}
 * streams it in {@link ExportFormat} with constant memory, reading the index {@value
 * SearchService#EXPORT_PAGE} hits at a time after a cursor, in the order of a search (newest
 * first), and each hit's bytes from the ledger. It holds one searcher while it writes, so the
 * export is the hit set of one point in time, whatever arrives meanwhile. A pipeline that makes a
 * table exports the table; one sorted by a field is held in memory by {@link
 * dev.trailwatch.search.query.PipelineExecutor} first.
 *
 * <p>{@link #sent()} counts the hits (or table rows) handed to the stream, also when writing fails
 * halfway because the client went away: what to record in the ledger. Not thread-safe: one export,
 * written once.
 */
public final class Export {
  private static final JsonFactory JSON = new JsonFactory();

  private final SearchService service;
  private final SearchService.Plan plan;
  private final ExportFormat format;
  private long sent;
  private boolean complete;

  Export(SearchService service, SearchService.Plan plan, ExportFormat format) {
    this.service = service;
    this.plan = plan;
    this.format = format;
  }

  public ExportFormat format() {
    return format;
  }

  /** The time range, resolved. */
  public TimeRange range() {
    return plan.range();
  }

  /** The query text. */
  public String query() {
    return plan.text();
  }

  /** Hits or rows written so far. */
  public long sent() {
    return sent;
  }

  /** Whether {@link #writeTo} wrote everything. */
  public boolean complete() {
    return complete;
  }

  /**
   * Writes the export to {@code out}, flushing after every page; does not close it.
   *
   * @throws IOException when {@code out} fails (the client went away), or the index or the ledger
   *     cannot be read; {@link #sent()} then says how far it got
   */
  public void writeTo(OutputStream out) throws IOException {
    if (complete || sent > 0) {
      throw new IllegalStateException("an export is written once");
    }
    IndexSearcher searcher = service.searchers().acquire();
    try {
      if (plan.pages()) {
        writePages(searcher, out);
      } else {
        Result result = service.pipelineResult(searcher, plan);
        switch (result) {
          case Table t -> writeTable(t, out);
          case Hits h -> writeSeqs(searcher, h, out);
        }
      }
      out.flush();
      complete = true;
    } finally {
      service.searchers().release(searcher);
    }
  }

  private void writePages(IndexSearcher searcher, OutputStream out) throws IOException {
    List<String> columns = EventCsv.columns(plan.fields());
    header(columns, out);
    long head = plan.head();
    Optional<PageCursor> after = Optional.empty();
    while (sent < head) {
      int n = (int) Math.min(SearchService.EXPORT_PAGE, head - sent);
      List<FieldDoc> docs = SearchService.page(searcher, plan, after, n);
      for (SearchResult.Hit hit : service.read(searcher, docs)) {
        hit(columns, hit, out);
      }
      out.flush();
      if (docs.size() < n) {
        return;
      }
      FieldDoc last = docs.getLast();
      after =
          Optional.of(
              new PageCursor((Long) last.fields[0], (Long) last.fields[1], sent, plan.scope()));
    }
  }

  private void writeSeqs(IndexSearcher searcher, Hits hits, OutputStream out) throws IOException {
    List<String> columns = EventCsv.columns(hits.fields());
    header(columns, out);
    List<Long> seqs = hits.seqs();
    for (int from = 0; from < seqs.size(); from += SearchService.EXPORT_PAGE) {
      List<Long> page = seqs.subList(from, Math.min(seqs.size(), from + SearchService.EXPORT_PAGE));
      for (SearchResult.Hit hit : service.readSeqs(searcher, page)) {
        hit(columns, hit, out);
      }
      out.flush();
    }
  }

  private void header(List<String> columns, OutputStream out) throws IOException {
    if (format == ExportFormat.CSV) {
      out.write(EventCsv.row(columns).getBytes(StandardCharsets.UTF_8));
    }
  }

  private void hit(List<String> columns, SearchResult.Hit hit, OutputStream out)
      throws IOException {
    switch (format) {
      case NDJSON -> {
        out.write(hit.event());
        out.write('\n');
      }
      case CSV ->
          out.write(
              EventCsv.row(
                      EventCsv.cells(columns, hit.seq(), EventJson.decodeCanonical(hit.event())))
                  .getBytes(StandardCharsets.UTF_8));
    }
    sent++;
  }

  private void writeTable(Table table, OutputStream out) throws IOException {
    header(table.columns(), out);
    for (List<Value> row : table.rows()) {
      switch (format) {
        case NDJSON -> {
          JsonGenerator g = JSON.createGenerator(out);
          g.writeStartObject();
          for (int c = 0; c < row.size(); c++) {
            g.writeFieldName(table.columns().get(c));
            switch (row.get(c)) {
              case Value.Int i -> g.writeNumber(i.value());
              case Value.Absent a -> g.writeNull();
              default -> g.writeString(row.get(c).toString());
            }
          }
          g.writeEndObject();
          g.flush();
          out.write('\n');
        }
        case CSV ->
            out.write(
                EventCsv.row(row.stream().map(Value::toString).toList())
                    .getBytes(StandardCharsets.UTF_8));
      }
      sent++;
    }
  }
}
