package dev.trailwatch.search.service;

/**
 * A paging cursor that cannot be used: not one this server made, damaged in transit, or made for
 * another query or time range. Checked, so that the API answers 400 and the CLI one sentence.
 */
public final class InvalidCursorException extends Exception {
  private static final long serialVersionUID = 1L;

  InvalidCursorException(String message) {
    super(message);
  }
}
