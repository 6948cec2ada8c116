package dev.trailwatch.app.server;

import dev.trailwatch.ingest.noise.NoiseFilter;
import dev.trailwatch.ingest.noise.NoiseRule;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.search.index.Indexer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/** What {@code GET /metrics} shows, in Prometheus' text format (docs/OPERATIONS.md lists it). */
final class Metrics implements AutoCloseable {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  Metrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
  }

  void ledger(Ledger ledger) {
    Gauge.builder("trailwatch_ledger_entries", ledger, Ledger::size)
        .description("Entries in the ledger")
        .register(registry);
    Gauge.builder("trailwatch_ledger_checkpoint_size", ledger, l -> l.latestCheckpoint().size())
        .description("Entries covered by the latest signed checkpoint")
        .register(registry);
  }

  void index(Indexer indexer) {
    Gauge.builder("trailwatch_index_lag_entries", indexer, i -> i.lag().entries())
        .description("Ledger entries not yet in the search index")
        .register(registry);
    Gauge.builder("trailwatch_index_lag_seconds", indexer, i -> i.lag().seconds())
        .description(
            "How long ago the ledger accepted the oldest entry not yet in the search index")
        .register(registry);
    Gauge.builder("trailwatch_index_position", indexer, Indexer::position)
        .description("Every ledger entry below this one is in the search index")
        .register(registry);
    Gauge.builder("trailwatch_index_size_bytes", indexer, i -> i.index().sizeBytes())
        .description("Bytes of the search index's files")
        .register(registry);
    fn("trailwatch_index_entries_total", indexer, Indexer::indexed, "result", "indexed");
    fn("trailwatch_index_entries_total", indexer, Indexer::skipped, "result", "not_an_event");
    fn("trailwatch_index_entries_total", indexer, Indexer::rejected, "result", "rejected");
    fn("trailwatch_index_commits_total", indexer, Indexer::commits);
  }

  void disk(DiskGuard disk) {
    Gauge.builder("trailwatch_disk_free_bytes", disk, DiskGuard::freeBytes)
        .description("Usable space on the data directory's disk")
        .register(registry);
  }

  void http(IngestStats s) {
    counter("trailwatch_ingest_events_total", s.accepted, "source", "http", "result", "accepted");
    counter("trailwatch_ingest_events_total", s.unparsed, "source", "http", "result", "unparsed");
    counter(
        "trailwatch_ingest_events_total", s.duplicates, "source", "http", "result", "duplicate");
    counter("trailwatch_ingest_events_total", s.dropped, "source", "http", "result", "dropped");
    counter("trailwatch_ingest_refused_total", s.refusedBusy, "reason", "busy");
    counter("trailwatch_ingest_refused_total", s.refusedDiskFull, "reason", "disk_full");
    counter("trailwatch_ingest_refused_total", s.failed, "reason", "ledger_failed");
  }

  void noise(NoiseFilter filter) {
    for (NoiseRule r : filter.rules()) {
      fn("trailwatch_noise_matched_total", r, NoiseRule::matched, "rule", r.name());
      fn("trailwatch_noise_removed_total", r, NoiseRule::removed, "rule", r.name());
      fn("trailwatch_noise_protected_total", r, NoiseRule::protectedCount, "rule", r.name());
    }
  }

  private void counter(String name, LongAdder adder, String... tags) {
    FunctionCounter.builder(name, adder, LongAdder::doubleValue).tags(tags).register(registry);
  }

  <T> void fn(String name, T obj, ToDoubleFunction<T> f, String... tags) {
    FunctionCounter.builder(name, obj, f).tags(tags).register(registry);
  }

  <T> void gauge(String name, T obj, ToDoubleFunction<T> f, String... tags) {
    Gauge.builder(name, obj, f).tags(tags).register(registry);
  }

  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
