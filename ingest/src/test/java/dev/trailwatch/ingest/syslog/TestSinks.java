package dev.trailwatch.ingest.syslog;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.ingest.EventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Sinks for tests: one that collects, one that blocks until released. */
final class TestSinks {
  private TestSinks() {}

  /** Collects every event; each batch is durable at once. Thread-safe. */
  static class Collecting implements EventSink {
    private final List<AccessEvent> events = new ArrayList<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private long nextSeq;

    @Override
    public CompletableFuture<Stored> store(List<AccessEvent> batch) throws InterruptedException {
      return CompletableFuture.completedFuture(add(batch));
    }

    synchronized Stored add(List<AccessEvent> batch) {
      Stored s = new Stored(nextSeq, batch.size());
      nextSeq += batch.size();
      events.addAll(batch);
      batchSizes.add(batch.size());
      return s;
    }

    synchronized List<AccessEvent> events() {
      return List.copyOf(events);
    }

    synchronized int size() {
      return events.size();
    }

    synchronized List<Integer> batchSizes() {
      return List.copyOf(batchSizes);
    }
  }

  /**
   * Blocks every {@code store} call until {@link #release()}, as a ledger that is behind does; then
   * collects.
   */
  static final class Gated extends Collecting {
    private final CountDownLatch gate = new CountDownLatch(1);
    private final AtomicInteger waiting = new AtomicInteger();

    @Override
    public CompletableFuture<Stored> store(List<AccessEvent> batch) throws InterruptedException {
      waiting.incrementAndGet();
      gate.await();
      waiting.decrementAndGet();
      return super.store(batch);
    }

    /** How many calls are blocked now. */
    int waiting() {
      return waiting.get();
    }

    void release() {
      gate.countDown();
    }
  }

  /**
   * Takes batches at once but completes their futures only on {@link #complete()}: a ledger whose
   * fsync is slow.
   */
  static final class SlowDurability extends Collecting {
    private final List<CompletableFuture<Stored>> pending = new ArrayList<>();

    @Override
    public CompletableFuture<Stored> store(List<AccessEvent> batch) {
      Stored s = add(batch);
      CompletableFuture<Stored> f = new CompletableFuture<>();
      synchronized (this) {
        pending.add(f);
      }
      return f.thenApply(x -> s);
    }

    void complete() {
      List<CompletableFuture<Stored>> all;
      synchronized (this) {
        all = new ArrayList<>(pending);
        pending.clear();
      }
      all.forEach(f -> f.complete(new Stored(0, 0)));
    }
  }
}
