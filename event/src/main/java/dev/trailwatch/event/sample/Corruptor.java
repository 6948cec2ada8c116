package dev.trailwatch.event.sample;

import java.nio.charset.StandardCharsets;

/**
 * Turns the canonical line of a valid event into an invalid line of one of the kinds an import
 * meets: truncated or broken JSON, a missing required field, a bad IP address, port, outcome or
 * timestamp, a plain-text log line, invalid UTF-8. Uses its own random stream, so that the valid
 * events of a run are the same whatever the invalid fraction.
 */
final class Corruptor {
  enum Kind {
    TRUNCATED,
    MISSING_ACTION,
    BAD_IP,
    BAD_PORT,
    BAD_OUTCOME,
    BAD_TIMESTAMP,
    PLAIN_TEXT,
    INVALID_UTF8,
    TRAILING_GARBAGE
  }

  private final SplitMix64 rng;

  Corruptor(long seed) {
    this.rng = new SplitMix64(seed ^ 0x5deece66dL);
  }

  boolean corrupt(double fraction) {
    return fraction > 0 && rng.chance(fraction);
  }

  /** An invalid line (without line break) made from a canonical line. */
  byte[] corrupt(byte[] canonical, String message) {
    String line = new String(canonical, StandardCharsets.UTF_8);
    Kind kind = Kind.values()[rng.nextInt(Kind.values().length)];
    String out =
        switch (kind) {
          case TRUNCATED -> line.substring(0, 1 + rng.nextInt(line.length() - 1));
          case MISSING_ACTION -> removeAction(line);
          case BAD_IP ->
              line.contains("\"source\":{\"ip\":\"")
                  ? line.replaceFirst(
                      "\"source\":\\{\"ip\":\"[^\"]*\"",
                      "\"source\":{\"ip\":\"" + rng.pick(BAD_IPS) + "\"")
                  : line.replaceFirst("^\\{", "{\"source.ip\":\"" + rng.pick(BAD_IPS) + "\",");
          case BAD_PORT ->
              line.replaceFirst("^\\{", "{\"source.port\":" + rng.between(65_536, 99_999) + ",");
          case BAD_OUTCOME ->
              line.replaceFirst(
                  "\"outcome\":\"[a-z]+\"", "\"outcome\":\"" + rng.pick(BAD_OUTCOMES) + "\"");
          case BAD_TIMESTAMP ->
              line.replaceFirst(
                  "\"@timestamp\":\"[^\"]*\"", "\"@timestamp\":" + rng.pick(BAD_TIMES));
          case PLAIN_TEXT -> message.isEmpty() ? "not json at all" : message;
          case INVALID_UTF8 -> null;
          case TRAILING_GARBAGE -> line + " " + line.substring(0, Math.min(12, line.length()));
        };
    if (out == null) {
      byte[] bad = canonical.clone();
      bad[Math.min(bad.length - 2, 20 + rng.nextInt(Math.max(1, bad.length - 22)))] = (byte) 0xc3;
      bad[bad.length - 1] = (byte) 0xff;
      return bad;
    }
    return out.getBytes(StandardCharsets.UTF_8);
  }

  private static String removeAction(String line) {
    int start = line.indexOf("{\"action\":");
    int end = line.indexOf(",\"outcome\"", start);
    if (start < 0 || end < 0) {
      return line.substring(0, line.length() / 2);
    }
    return line.substring(0, start + 1) + line.substring(end + 1);
  }

  private static final String[] BAD_IPS = {
    "999.1.2.3", "10.0.0", "not-an-ip", "fe80::1%eth0", "2001:db8:::1", "010.1.2.3", "localhost"
  };
  private static final String[] BAD_OUTCOMES = {"ok", "Success", "denied", "1", ""};
  private static final String[] BAD_TIMES = {
    "\"2026-13-01T00:00:00Z\"",
    "\"22/Nov/2026:05:42:00 +0000\"",
    "1732254120000000",
    "-1",
    "1.7322541E12",
    "\"2026-11-22 05:42:00\"",
    "null"
  };
}
