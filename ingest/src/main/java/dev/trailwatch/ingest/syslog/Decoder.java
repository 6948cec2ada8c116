package dev.trailwatch.ingest.syslog;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.InvalidEventException;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.Unparsed;
import dev.trailwatch.ingest.parse.SyslogFormat;
import dev.trailwatch.ingest.parse.SyslogMessage;
import dev.trailwatch.ingest.parse.SyslogParser;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the text of one received message into its event: parsed by the {@link SyslogFormat}, or
 * unparsed with the reason, and in both cases labelled with {@code syslog.transport} and {@code
 * syslog.peer} (the sender's IP address). Counts the unparsed events. Thread-safe.
 */
final class Decoder {
  static final String TRANSPORT_LABEL = "syslog.transport";
  static final String PEER_LABEL = "syslog.peer";

  private final SyslogFormat format;
  private final ZoneId zone;
  private final SyslogStats stats;

  Decoder(SyslogFormat format, ZoneId zone, SyslogStats stats) {
    this.format = format;
    this.zone = zone;
    this.stats = stats;
  }

  /** A complete message. */
  AccessEvent message(String text, Transport transport, String peer, Instant receivedAt) {
    ParseContext context = new ParseContext(receivedAt, zone);
    SyslogMessage m;
    try {
      m = SyslogParser.parse(text, context);
    } catch (SyslogParser.SyslogFormatException e) {
      return unparsed(
          text, "not a syslog message: " + e.describe(), transport, peer, receivedAt, false);
    }
    AccessEvent event = format.toEvent(m, context);
    if (event.isUnparsed()) {
      stats.unparsed.incrementAndGet();
    }
    try {
      return event.toBuilder()
          .label(TRANSPORT_LABEL, transport.label())
          .label(PEER_LABEL, peer)
          .build();
    } catch (InvalidEventException e) {
      return event; // cannot happen: two non-empty labels on a valid event
    }
  }

  /**
   * Bytes that are not a complete message (cut to the maximum size, broken framing, cut by the end
   * of the connection): stored unparsed with {@code reason}, keeping the header's time, host,
   * program and labels when the bytes start with a readable header.
   */
  AccessEvent cut(
      String received, String reason, Transport transport, String peer, Instant receivedAt) {
    return unparsed(received, reason, transport, peer, receivedAt, true);
  }

  private AccessEvent unparsed(
      String received,
      String reason,
      Transport transport,
      String peer,
      Instant receivedAt,
      boolean tryHeader) {
    stats.unparsed.incrementAndGet();
    Map<String, String> labels = new LinkedHashMap<>();
    Instant time = receivedAt;
    String host = null;
    String app = null;
    if (tryHeader) {
      try {
        SyslogMessage m = SyslogParser.parse(received, new ParseContext(receivedAt, zone));
        labels.putAll(m.labels());
        time = m.timestamp().orElse(receivedAt);
        host = m.hostname().orElse(null);
        app = m.appName().orElse(null);
      } catch (SyslogParser.SyslogFormatException e) {
        // nothing to keep but the bytes
      }
    }
    labels.put(TRANSPORT_LABEL, transport.label());
    labels.put(PEER_LABEL, peer);
    return Unparsed.of(received, reason, time, host, app, labels);
  }
}
