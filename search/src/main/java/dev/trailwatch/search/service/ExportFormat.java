package dev.trailwatch.search.service;

import java.util.Locale;
import java.util.Optional;

/** The formats of an export. */
public enum ExportFormat {
  /** The ledger entries' bytes, one per line (for tables: one JSON object per row). */
  NDJSON("application/x-ndjson"),
  /** {@link EventCsv}: a header, then one row per event or table row. */
  CSV("text/csv; charset=utf-8");

  private final String contentType;

  ExportFormat(String contentType) {
    this.contentType = contentType;
  }

  /** The HTTP Content-Type of an export in this format. */
  public String contentType() {
    return contentType;
  }

  /** The name used in the API and the CLI: {@code ndjson}, {@code csv}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ExportFormat> of(String id) {
    for (ExportFormat f : values()) {
      if (f.id().equals(id)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
