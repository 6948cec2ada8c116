package dev.trailwatch.search.service;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a user asks: the query text, the time range as written ({@code --from}/{@code --to}, the
 * API's {@code from}/{@code to}: RFC 3339 or relative like {@code now-15m}; absent means the last
 * 24 hours), how many hits at most, and where to continue.
 *
 * @param query the query (docs/QUERY.md); empty matches everything
 * @param from the start of the range as written, if given
 * @param to the end of the range as written, if given
 * @param limit hits per page, 0 to {@link SearchService#MAX_LIMIT} (0: only the total)
 * @param cursor the {@code next} of the previous page, if this is not the first
 */
public record SearchRequest(
    String query, Optional<String> from, Optional<String> to, int limit, Optional<String> cursor) {
  public SearchRequest {
    requireNonNull(query, "query");
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    requireNonNull(cursor, "cursor");
    if (limit < 0 || limit > SearchService.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 0 and " + SearchService.MAX_LIMIT + ", not " + limit);
    }
  }

  /** The first page of {@code query} over the range, with the default limit. */
  public static SearchRequest of(String query, Optional<String> from, Optional<String> to) {
    return new SearchRequest(query, from, to, SearchService.DEFAULT_LIMIT, Optional.empty());
  }

  /** The same search with another limit. */
  public SearchRequest withLimit(int limit) {
    return new SearchRequest(query, from, to, limit, cursor);
  }

  /** The same search from {@code cursor} on. */
  public SearchRequest after(String cursor) {
    return new SearchRequest(query, from, to, limit, Optional.of(cursor));
  }
}
