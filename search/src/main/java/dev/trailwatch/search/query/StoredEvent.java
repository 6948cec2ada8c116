package dev.trailwatch.search.query;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.event.AccessEvent;

/**
 * An event as the ledger holds it: with its sequence number, which identifies it in results.
 *
 * @param seq the ledger sequence number
 * @param event the event
 */
public record StoredEvent(long seq, AccessEvent event) {
  public StoredEvent {
    requireNonNull(event, "event");
  }
}
