package dev.trailwatch.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Guesses the format of a file from its first bytes (and its name, to tell nginx from Apache), for
 * {@code trailwatch import} without {@code --format}. Looks at the first non-blank line; the guess
 * is printed, and {@code --format} overrides it.
 */
public final class Sniffer {
  private Sniffer() {}

  /** The format name, or empty when nothing fits. */
  public static Optional<String> sniff(byte[] head, int length, String fileName) {
    String text = new String(head, 0, length, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String trimmed = text.stripLeading();
    if (trimmed.isEmpty()) {
      return Optional.empty();
    }
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      return json(trimmed);
    }
    int nl = trimmed.indexOf('\n');
    String first = nl < 0 ? trimmed : trimmed.substring(0, nl);
    if (first.startsWith("type=") && first.contains(" msg=audit(")
        || first.startsWith("node=") && first.contains(" msg=audit(")) {
      return Optional.of("auditd");
    }
    if (accessLog(first)) {
      return Optional.of(fileName.toLowerCase(Locale.ROOT).contains("nginx") ? "nginx" : "apache");
    }
    if (syslog(first)) {
      return Optional.of("syslog");
    }
    return Optional.empty();
  }

  private static Optional<String> json(String t) {
    // Look at the start only: the keys that name each source.
    String s = t.length() > 65_536 ? t.substring(0, 65_536) : t;
    if (s.contains("\"Records\"") || s.contains("\"eventSource\"") && s.contains("\"eventName\"")) {
      return Optional.of("cloudtrail");
    }
    if (s.contains("\"auditID\"") && s.contains("\"verb\"")) {
      return Optional.of("k8s-audit");
    }
    if (s.contains("\"eventType\"") && s.contains("\"published\"")) {
      return Optional.of("okta");
    }
    return Optional.of("ndjson");
  }

  /** {@code HOST IDENT USER [dd/Mon/yyyy:hh:mm:ss +zzzz] "...}. */
  private static boolean accessLog(String line) {
    int open = line.indexOf(" [");
    int close = line.indexOf("] \"", open + 2);
    if (open < 0 || close < 0) {
      return false;
    }
    String time = line.substring(open + 2, close);
    return time.length() >= 20
        && time.charAt(2) == '/'
        && time.charAt(6) == '/'
        && time.charAt(11) == ':';
  }

  private static boolean syslog(String line) {
    if (line.startsWith("<")) {
      return true;
    }
    if (line.length() > 15 && Character.isLetter(line.charAt(0)) && line.charAt(3) == ' ') {
      return true; // "Nov 22 08:00:00 host prog: ..."
    }
    return line.length() > 20
        && Character.isDigit(line.charAt(0))
        && line.charAt(4) == '-'
        && line.charAt(10) == 'T';
  }
}
