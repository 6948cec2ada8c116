package dev.trailwatch.search.query;

import java.util.List;

/**
 * Matching events, by their ledger sequence numbers, in the order of the pipeline: newest first
 * ({@code @timestamp} descending, then {@code seq} descending) unless a {@code sort} changed it.
 * The events themselves are read from the ledger.
 *
 * @param seqs the events' sequence numbers, in order
 * @param fields the fields to show, from a {@code fields} stage; empty for all
 */
public record Hits(List<Long> seqs, List<String> fields) implements Result {
  public Hits {
    seqs = List.copyOf(seqs);
    fields = List.copyOf(fields);
  }
}
