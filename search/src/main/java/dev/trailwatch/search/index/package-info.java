/**
 * The search index: a Lucene index that follows the ledger. {@link
 * dev.trailwatch.search.index.IndexFields} is the document mapping (the contract with the query
 * side), {@link dev.trailwatch.search.index.EventDocuments} turns events into documents, {@link
 * dev.trailwatch.search.index.SearchIndex} owns the Lucene directory, writer and searchers, and
 * {@link dev.trailwatch.search.index.Indexer} is the consumer that feeds it from the ledger, with
 * its cursor inside each Lucene commit.
 */
package dev.trailwatch.search.index;
