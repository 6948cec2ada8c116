package dev.trailwatch.search.query;

/**
 * What a query gives: the matching events ({@link Hits}), or the table that a {@code stats}, {@code
 * timechart} or {@code top} stage made of them ({@link Table}).
 */
public sealed interface Result permits Hits, Table {}
