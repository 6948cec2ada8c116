package dev.trailwatch.event;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Input recognised as the canonical form of a valid event ({@link EventJson#recogniseCanonical}):
 * the bytes to store as they are, and the few values a receiver looks at before storing, read
 * without decoding the event.
 *
 * @param bytes the canonical form, exactly as received (a copy, owned by this record)
 * @param eventId {@code event.id}
 * @param tenant {@code tenant}
 * @param labelKeys the keys of {@code labels}, sorted
 */
public record CanonicalEvent(
    byte[] bytes, Optional<String> eventId, Optional<String> tenant, List<String> labelKeys) {
  public CanonicalEvent {
    requireNonNull(bytes, "bytes");
    requireNonNull(eventId, "eventId");
    requireNonNull(tenant, "tenant");
    labelKeys = List.copyOf(labelKeys);
  }

  /** The event itself, decoded when it is needed after all (for a noise rule, say). */
  public AccessEvent decode() {
    return EventJson.decodeCanonical(bytes);
  }
}
