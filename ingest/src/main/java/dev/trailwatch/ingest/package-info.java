/**
 * Getting access events in: parsers of real log formats ({@link dev.trailwatch.ingest.parse}), and
 * the transports that feed them (syslog, files, the HTTP API's body handling). Every parser keeps
 * the {@link dev.trailwatch.ingest.RecordParser} contract: nothing is dropped, what cannot be
 * parsed is stored as an unparsed event with the reason.
 */
package dev.trailwatch.ingest;
