package dev.trailwatch.ingest.file;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.ingest.EventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EventSink} that keeps events in memory, numbered from 0 in the order stored. Futures
 * complete at once, or after a delay; {@link #block()} makes {@code store} wait (back-pressure),
 * and {@link #failFromBatch} makes batches fail.
 */
final class CollectingSink implements EventSink {
  private final List<AccessEvent> events = new ArrayList<>();
  private final Semaphore gate = new Semaphore(Integer.MAX_VALUE);
  private volatile long delayMillis;
  private volatile int failFromBatch = Integer.MAX_VALUE;
  private int batches;

  @Override
  public CompletableFuture<Stored> store(List<AccessEvent> batch) throws InterruptedException {
    gate.acquire();
    gate.release();
    Stored stored;
    synchronized (this) {
      batches++;
      if (batches >= failFromBatch) {
        return CompletableFuture.failedFuture(new java.io.IOException("test: ledger is read-only"));
      }
      stored = new Stored(events.size(), batch.size());
      events.addAll(batch);
    }
    long delay = delayMillis;
    return delay == 0
        ? CompletableFuture.completedFuture(stored)
        : CompletableFuture.supplyAsync(
            () -> stored, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS));
  }

  /** Completes futures only after this delay. */
  CollectingSink delayMillis(long millis) {
    this.delayMillis = millis;
    return this;
  }

  /** Batch number {@code n} (from 1) and every later one fail, storing nothing. */
  CollectingSink failFromBatch(int n) {
    this.failFromBatch = n;
    return this;
  }

  /** Makes {@code store} block until {@link #unblock()}. */
  void block() throws InterruptedException {
    gate.acquire(Integer.MAX_VALUE);
  }

  void unblock() {
    gate.release(Integer.MAX_VALUE);
  }

  synchronized int size() {
    return events.size();
  }

  synchronized int batches() {
    return batches;
  }

  synchronized List<AccessEvent> events() {
    return List.copyOf(events);
  }

  /** The events stored after sequence number {@code seq} (all for {@link Position#NO_SEQ}). */
  synchronized List<AccessEvent> eventsAfter(long seq) {
    return List.copyOf(events.subList((int) (seq + 1), events.size()));
  }

  synchronized List<String> messages() {
    return events.stream().map(e -> e.message().orElse("")).toList();
  }

  synchronized Optional<AccessEvent> last() {
    return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1));
  }
}
