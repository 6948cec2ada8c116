package dev.trailwatch.app.server;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.ingest.EventSink;
import dev.trailwatch.ledger.Ledger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Events into the ledger, in their canonical form. */
final class LedgerSink implements EventSink, IngestService.Store {
  private final Ledger ledger;

  LedgerSink(Ledger ledger) {
    this.ledger = ledger;
  }

  @Override
  public CompletableFuture<Stored> store(List<AccessEvent> events) throws InterruptedException {
    List<byte[]> payloads = new ArrayList<>(events.size());
    for (AccessEvent e : events) {
      payloads.add(EventJson.canonical(e));
    }
    return storeCanonical(payloads);
  }

  /** Stores events already in canonical form. */
  @Override
  public CompletableFuture<Stored> storeCanonical(List<byte[]> payloads)
      throws InterruptedException {
    return ledger.appendAsync(payloads).thenApply(r -> new Stored(r.first(), (int) r.count()));
  }
}
