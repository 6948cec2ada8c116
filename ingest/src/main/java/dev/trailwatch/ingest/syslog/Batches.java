package dev.trailwatch.ingest.syslog;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.ingest.EventSink;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands batches to the sink and keeps the futures of those not yet durable, so that closing can
 * wait for them. Syslog has no acknowledgement, so nothing else waits. Thread-safe.
 */
final class Batches {
  private static final System.Logger LOG = System.getLogger(SyslogServer.class.getName());

  private final EventSink sink;
  private final SyslogStats stats;
  private final Set<CompletableFuture<EventSink.Stored>> pending = ConcurrentHashMap.newKeySet();

  Batches(EventSink sink, SyslogStats stats) {
    this.sink = sink;
    this.stats = stats;
  }

  /**
   * Stores {@code events} (which the caller must not change afterwards); blocks while the sink is
   * behind, which is the receiver's back-pressure.
   *
   * @param from who sent them, for the log line if the sink fails
   */
  void store(List<AccessEvent> events, String from) {
    if (events.isEmpty()) {
      return;
    }
    CompletableFuture<EventSink.Stored> future;
    try {
      future = requireNonNull(sink.store(events), "the sink returned no future");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed(events.size(), from, e);
      return;
    } catch (RuntimeException e) {
      failed(events.size(), from, e);
      return;
    }
    pending.add(future);
    future.whenComplete(
        (stored, error) -> {
          pending.remove(future);
          if (error != null) {
            failed(events.size(), from, error);
          }
        });
  }

  /** Waits until every batch stored so far is durable or has failed. */
  void awaitPending() {
    for (CompletableFuture<EventSink.Stored> f : List.copyOf(pending)) {
      try {
        f.join();
      } catch (CompletionException | CancellationException e) {
        // counted and logged by the callback
      }
    }
  }

  private void failed(int count, String from, Throwable error) {
    stats.storeFailures.addAndGet(count);
    LOG.log(
        Level.ERROR,
        "syslog: the sink failed to store " + count + " messages from " + from + ": " + error);
  }
}
