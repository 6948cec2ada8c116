package dev.trailwatch.ingest.parse;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One syslog message, split into its header and its text.
 *
 * @param raw the message as received (without the framing)
 * @param format which syslog format its header is in
 * @param priority the PRI value (facility * 8 + severity), absent when the line has none (as in
 *     files written by a syslog daemon)
 * @param timestamp the time in the header, absent when the header has none (RFC 5424 {@code -})
 * @param hostname the host that sent it, absent when the header has none
 * @param appName the program: {@code sshd} of {@code sshd[42]:}, absent when there is none
 * @param procId the process id or other process token: {@code 42} of {@code sshd[42]:}
 * @param msgId RFC 5424's MSGID
 * @param structuredData RFC 5424's structured data, as {@code sdid.param -> value} (a repeated
 *     parameter's values joined with commas), in order
 * @param text the free-form message after the header
 */
public record SyslogMessage(
    String raw,
    Format format,
    OptionalInt priority,
    Optional<Instant> timestamp,
    Optional<String> hostname,
    Optional<String> appName,
    Optional<String> procId,
    Optional<String> msgId,
    Map<String, String> structuredData,
    String text) {

  /** The header formats. */
  public enum Format {
    /** RFC 5424: {@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG}. */
    RFC5424,
    /**
     * RFC 3164 (BSD) and what daemons write to files: {@code [<PRI>]TIMESTAMP [HOST] TAG: MSG}, the
     * timestamp either {@code Mmm dd hh:mm:ss} or RFC 3339.
     */
    RFC3164
  }

  public SyslogMessage {
    requireNonNull(raw, "raw");
    requireNonNull(format, "format");
    requireNonNull(priority, "priority");
    requireNonNull(timestamp, "timestamp");
    requireNonNull(hostname, "hostname");
    requireNonNull(appName, "appName");
    requireNonNull(procId, "procId");
    requireNonNull(msgId, "msgId");
    structuredData = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(structuredData));
    requireNonNull(text, "text");
  }

  /** The facility (0-23), when there is a PRI. */
  public OptionalInt facility() {
    return priority.isPresent() ? OptionalInt.of(priority.getAsInt() >> 3) : OptionalInt.empty();
  }

  /** The severity (0 emergency - 7 debug), when there is a PRI. */
  public OptionalInt severity() {
    return priority.isPresent() ? OptionalInt.of(priority.getAsInt() & 7) : OptionalInt.empty();
  }

  /**
   * The program name used to pick a parser: the app name up to the first {@code (} or {@code /},
   * lower case ({@code sshd(pam_unix)} and {@code /usr/sbin/sshd} are both {@code sshd}).
   */
  public String program() {
    if (appName.isEmpty()) {
      return "";
    }
    String a = appName.get();
    int slash = a.lastIndexOf('/');
    if (slash >= 0 && slash + 1 < a.length()) {
      a = a.substring(slash + 1);
    }
    int paren = a.indexOf('(');
    if (paren > 0) {
      a = a.substring(0, paren);
    }
    return a.toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The labels every event from this message carries: {@code syslog.facility}, {@code
   * syslog.severity}, {@code syslog.procid}, {@code syslog.msgid}, and the structured data as
   * {@code syslog.sd.<sdid>.<param>}.
   */
  public Map<String, String> labels() {
    Map<String, String> out = new LinkedHashMap<>();
    facility().ifPresent(f -> out.put("syslog.facility", Integer.toString(f)));
    severity().ifPresent(s -> out.put("syslog.severity", Integer.toString(s)));
    procId.ifPresent(p -> out.put("syslog.procid", p));
    msgId.ifPresent(m -> out.put("syslog.msgid", m));
    structuredData.forEach((k, v) -> out.put("syslog.sd." + k, v));
    return out;
  }
}
