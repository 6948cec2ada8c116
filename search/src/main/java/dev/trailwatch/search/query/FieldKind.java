package dev.trailwatch.search.query;

import dev.trailwatch.event.Field;

/** What a query can do with a field, by its type in the schema. */
enum FieldKind {
  /** {@code @timestamp}: exact instants and comparisons. */
  TIME,
  /** Keywords, {@code user.roles} and labels: exact values, wildcards, comparisons. */
  KEYWORD,
  /**
   * {@code event.outcome}: a keyword whose value is {@code success}, {@code failure} or {@code
   * unknown}.
   */
  OUTCOME,
  /** Ports and status codes: exact numbers and comparisons. */
  INT,
  /** {@code source.ip}, {@code destination.ip}: addresses and CIDR networks. */
  IP,
  /** {@code message}: words, phrases and word patterns. */
  TEXT;

  static FieldKind of(Field.Type type) {
    return switch (type) {
      case INSTANT -> TIME;
      case KEYWORD, KEYWORD_LIST, KEYWORD_MAP -> KEYWORD;
      case OUTCOME -> OUTCOME;
      case INT -> INT;
      case IP -> IP;
      case TEXT -> TEXT;
    };
  }

  /** How an error message names the type: "an integer field". */
  String describe() {
    return switch (this) {
      case TIME -> "a time field";
      case KEYWORD -> "a keyword field";
      case OUTCOME -> "a keyword field (success, failure or unknown)";
      case INT -> "an integer field";
      case IP -> "an IP address field";
      case TEXT -> "a full-text field";
    };
  }

  /** True when the index keeps the field's values per event (all but {@code message}). */
  boolean hasValues() {
    return this != TEXT;
  }
}
