package dev.trailwatch.search.query;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One stage of the pipeline after {@code |}. The first stage receives the matching events, newest
 * first; {@code stats}, {@code timechart} and {@code top} turn events into a {@link Table}, and
 * {@code sort}, {@code head} and {@code fields} work on either. The parser has checked that every
 * field or column a stage names exists where it stands. docs/QUERY.md gives the semantics.
 */
public sealed interface Stage {

  /** {@code stats count(), dc(f) by a, b}: one row per group of events. */
  record Stats(List<Aggregation> aggregations, List<String> by) implements Stage {
    public Stats {
      aggregations = List.copyOf(aggregations);
      by = List.copyOf(by);
    }
  }

  /** {@code timechart span=1m count() by f}: one row per time bucket (and value of {@code by}). */
  record Timechart(Duration span, List<Aggregation> aggregations, Optional<String> by)
      implements Stage {
    public Timechart {
      requireNonNull(span, "span");
      aggregations = List.copyOf(aggregations);
      requireNonNull(by, "by");
    }
  }

  /** {@code sort -count(), user.name}: a stable sort on the keys. */
  record Sort(List<SortKey> keys) implements Stage {
    public Sort {
      keys = List.copyOf(keys);
    }
  }

  /** {@code head 10}: the first {@code count} events or rows. */
  record Head(int count) implements Stage {}

  /** {@code fields a, b}: keep only these fields or columns, in this order. */
  record Fields(List<String> names) implements Stage {
    public Fields {
      names = List.copyOf(names);
    }
  }

  /** {@code top 10 user.name}: the most frequent values and their counts. */
  record Top(int count, String field) implements Stage {}

  /**
   * One key of {@code sort}.
   *
   * @param name a field (when sorting events) or a column (when sorting a table)
   * @param descending {@code -name}: largest first
   */
  record SortKey(String name, boolean descending) {}
}
