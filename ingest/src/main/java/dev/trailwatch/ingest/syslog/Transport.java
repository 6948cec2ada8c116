package dev.trailwatch.ingest.syslog;

import java.util.Locale;

/**
 * How a message arrived; its {@link #label()} is the value of the label {@code syslog.transport}.
 */
enum Transport {
  TCP,
  UDP,
  TLS;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
