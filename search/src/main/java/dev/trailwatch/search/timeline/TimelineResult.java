package dev.trailwatch.search.timeline;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.event.IpAddress;
import java.time.Instant;
import java.util.List;

/**
 * A timeline: the first events in time order ({@code @timestamp}, then {@code seq}, ascending), how
 * many there are in all, and the addresses and sessions it followed.
 *
 * @param hits the events, at most the query's limit
 * @param total how many events the timeline holds; more than {@code hits.size()} when truncated
 * @param addresses the source addresses of the entity's own events that the timeline followed
 * @param sessions the session ids of the entity's own events that the timeline followed
 * @param pivotsTruncated whether there were more than {@link Timeline#MAX_PIVOTS} addresses or
 *     sessions, of which the first (in address or text order) were followed
 */
public record TimelineResult(
    List<Hit> hits,
    long total,
    List<IpAddress> addresses,
    List<String> sessions,
    boolean pivotsTruncated) {
  public TimelineResult {
    hits = List.copyOf(hits);
    addresses = List.copyOf(addresses);
    sessions = List.copyOf(sessions);
  }

  /** Whether more events than {@link #hits} belong to the timeline. */
  public boolean truncated() {
    return total > hits.size();
  }

  /**
   * One event of a timeline.
   *
   * @param seq its ledger sequence number
   * @param timestamp its {@code @timestamp}
   * @param reasons why it is in the timeline: the roles in which it involves the entity ({@code
   *     actor}, {@code source}, {@code target}); for an event that does not involve it, {@code
   *     same_ip:ADDRESS} and {@code same_session:ID} for each followed address and session it has
   */
  public record Hit(long seq, Instant timestamp, List<String> reasons) {
    public Hit {
      requireNonNull(timestamp, "timestamp");
      reasons = List.copyOf(reasons);
    }
  }
}
