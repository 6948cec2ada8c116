package dev.trailwatch.app.server;

import java.util.Locale;
import java.util.Optional;

/**
 * What a token may do (DESIGN.md, "Access to the logs"). Each role includes the ones before it,
 * except {@code ingest}, which may only write events.
 */
public enum Role {
  /** Send events. */
  INGEST,
  /** Search and read. */
  VIEWER,
  /** Viewer, plus incidents and response actions. */
  RESPONDER,
  /** Everything: rules, tokens, retention, and sending events. */
  ADMIN;

  /** Whether a token of this role may act as {@code needed}. */
  public boolean allows(Role needed) {
    if (this == ADMIN) {
      return true;
    }
    if (needed == INGEST) {
      return this == INGEST;
    }
    return this != INGEST && ordinal() >= needed.ordinal();
  }

  /** The lower-case name used in files, the CLI and the API. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> of(String id) {
    for (Role r : values()) {
      if (r.id().equals(id)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
