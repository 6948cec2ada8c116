/**
 * The query language of Trailwatch: a filter in the style of Kibana's KQL and a pipeline of stages
 * after {@code |} in the style of Splunk and ES|QL, specified in docs/QUERY.md.
 *
 * <p>{@link dev.trailwatch.search.query.QueryParser} reads a query into a {@link
 * dev.trailwatch.search.query.ParsedQuery} (a {@link dev.trailwatch.search.query.Filter} and {@link
 * dev.trailwatch.search.query.Stage}s), checking field names and types; {@link
 * dev.trailwatch.search.query.TimeExpressions} reads {@code --from}/{@code --to}. Two
 * implementations give a query its meaning and must agree: {@link
 * dev.trailwatch.search.query.NaiveEvaluator}, the reference over events in memory, and {@link
 * dev.trailwatch.search.query.LuceneQueries} with {@link
 * dev.trailwatch.search.query.PipelineExecutor}, over the search index.
 *
 * <p>Every problem a user can cause is a {@link dev.trailwatch.search.query.QueryException} with
 * its line and column; nothing else escapes for any input.
 */
package dev.trailwatch.search.query;
