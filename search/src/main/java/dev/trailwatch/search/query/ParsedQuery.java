package dev.trailwatch.search.query;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A query that {@link QueryParser} has read and checked: the events it selects and what the
 * pipeline does with them. The time range is not part of it: it comes from {@code --from}/{@code
 * --to} ({@link TimeRange}).
 */
public record ParsedQuery(Filter filter, List<Stage> stages) {
  public ParsedQuery {
    requireNonNull(filter, "filter");
    stages = List.copyOf(stages);
  }
}
