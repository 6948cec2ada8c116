/**
 * Search as users run it: {@link dev.trailwatch.search.service.SearchService} takes query text, a
 * time range as written, a limit and a cursor, and answers a page of hits read from the ledger, the
 * total, the next cursor and, for pipelines, the table; {@link
 * dev.trailwatch.search.service.Export} streams every match as NDJSON or CSV ({@link
 * dev.trailwatch.search.service.EventCsv}).
 */
package dev.trailwatch.search.service;
