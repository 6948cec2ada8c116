package dev.trailwatch.app.server;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the HTTP ingest API, for metrics and tests. */
final class IngestStats {
  final LongAdder accepted = new LongAdder();
  final LongAdder unparsed = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder refusedBusy = new LongAdder();
  final LongAdder refusedDiskFull = new LongAdder();
  final LongAdder failed = new LongAdder();
}
