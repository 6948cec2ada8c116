package dev.trailwatch.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * What a parser needs to know besides the record itself.
 *
 * @param receivedAt when Trailwatch received the record: the time of an event whose source gives
 *     none, and "now" for timestamps without a year (BSD syslog), which are taken to be the latest
 *     such date not after it
 * @param zone the zone of timestamps that carry none (BSD syslog, Apache's error log)
 */
public record ParseContext(Instant receivedAt, ZoneId zone) {
  public ParseContext {
    requireNonNull(receivedAt, "receivedAt");
    requireNonNull(zone, "zone");
  }

  /** Received now, zone-less timestamps in UTC. */
  public static ParseContext now() {
    return new ParseContext(Instant.now(), ZoneOffset.UTC);
  }

  /** The same context for a record received at another time. */
  public ParseContext receivedAt(Instant time) {
    return new ParseContext(time, zone);
  }
}
