package dev.trailwatch.ingest;

import dev.trailwatch.event.AccessEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where receivers hand the events they parsed: the ledger, as the application wires it (tests may
 * use a list).
 */
public interface EventSink {
  /**
   * Stores a batch. The future completes, with the sequence numbers given, once every event of the
   * batch is durable, or exceptionally if it cannot be stored. The call itself blocks while the
   * store is behind (back-pressure): a receiver that calls it from its read loop stops reading,
   * which slows a TCP sender instead of dropping its messages.
   *
   * @throws InterruptedException if interrupted while waiting for room
   */
  CompletableFuture<Stored> store(List<AccessEvent> events) throws InterruptedException;

  /**
   * Where a stored batch went.
   *
   * @param firstSeq the sequence number of the batch's first event
   * @param count how many events the batch held
   */
  record Stored(long firstSeq, int count) {}
}
