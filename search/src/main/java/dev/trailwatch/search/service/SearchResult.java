package dev.trailwatch.search.service;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.search.query.Table;
import dev.trailwatch.search.query.TimeRange;
import java.util.List;
import java.util.Optional;

/**
 * One page of a search.
 *
 * @param range the time range searched, resolved (a relative {@code now-15m} became a time)
 * @param total how many events match the filter in the range (whatever the limit, the page and the
 *     pipeline's {@code head})
 * @param hits this page's events, newest first ({@code @timestamp} descending, then {@code seq}
 *     descending) unless a {@code sort} stage said otherwise; empty for a table
 * @param fields the fields of a {@code fields} stage, to show; empty for all
 * @param next where the next page starts, if there may be one
 * @param table the table of a {@code stats}, {@code timechart} or {@code top} pipeline
 */
public record SearchResult(
    TimeRange range,
    long total,
    List<Hit> hits,
    List<String> fields,
    Optional<String> next,
    Optional<Table> table) {
  public SearchResult {
    requireNonNull(range, "range");
    hits = List.copyOf(hits);
    fields = List.copyOf(fields);
    requireNonNull(next, "next");
    requireNonNull(table, "table");
  }

  /**
   * One matching event as the ledger holds it.
   *
   * @param seq its sequence number in the ledger
   * @param event the entry's stored bytes, byte for byte (the canonical JSON of the event)
   */
  public record Hit(long seq, byte[] event) {
    public Hit {
      requireNonNull(event, "event");
    }
  }
}
