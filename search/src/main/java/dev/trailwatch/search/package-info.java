/**
 * Investigation: the Lucene index that follows the ledger with a cursor, the query language
 * (filters in the style of Kibana's KQL, a pipeline of stages after {@code |}), aggregations,
 * timelines and export. The index is a cache: everything in it can be rebuilt from the ledger.
 */
package dev.trailwatch.search;
