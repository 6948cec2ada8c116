package dev.trailwatch.ingest;

import dev.trailwatch.event.AccessEvent;
import java.time.Instant;
import java.util.Map;

/** The unparsed events parsers emit for what they cannot read. */
public final class Unparsed {
  /** Longer reasons are cut: a reason quotes input, and input can be long. */
  private static final int MAX_REASON = 300;

  private Unparsed() {}

  /** The raw record, stored as it came, with the reason it could not be parsed. */
  public static AccessEvent of(String raw, String reason, ParseContext context) {
    return AccessEvent.unparsed(raw, shorten(reason), context.receivedAt());
  }

  /**
   * An unparsed event that keeps what was understood: the time the record gives, its host and
   * program, labels.
   */
  public static AccessEvent of(
      String raw,
      String reason,
      Instant time,
      String hostName,
      String serviceName,
      Map<String, String> labels) {
    AccessEvent.Builder b = AccessEvent.unparsed(raw, shorten(reason), time).toBuilder();
    if (hostName != null && !hostName.isEmpty()) {
      b.hostName(hostName);
    }
    if (serviceName != null && !serviceName.isEmpty()) {
      b.serviceName(serviceName);
    }
    labels.forEach(b::label);
    return b.build();
  }

  /** A reason cut to a readable length. */
  public static String shorten(String reason) {
    return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 3) + "...";
  }

  /** Quotes a piece of input for a reason, cut to 60 characters. */
  public static String quote(CharSequence input) {
    String s = input.toString();
    if (s.length() > 60) {
      s = s.substring(0, 57) + "...";
    }
    return "'" + s + "'";
  }
}
