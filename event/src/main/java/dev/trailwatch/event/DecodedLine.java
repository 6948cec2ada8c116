package dev.trailwatch.event;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * One non-blank line of an NDJSON batch and what it decoded to.
 *
 * @param line the 1-based line number in the batch (blank lines count)
 * @param decoded the event, or its errors and raw text
 */
public record DecodedLine(long line, Decoded decoded) {
  public DecodedLine {
    if (line < 1) {
      throw new IllegalArgumentException("line numbers start at 1, got " + line);
    }
    requireNonNull(decoded, "decoded");
  }

  /** The column of a syntax error on this line; empty for valid lines and field errors. */
  public OptionalInt column() {
    return decoded instanceof Decoded.Invalid invalid ? invalid.column() : OptionalInt.empty();
  }

  /**
   * {@code "line 12: source.ip: ..."} or {@code "line 12, column 7: not valid JSON: ..."}, for
   * import reports; {@code "line 12: ok"} for a valid line.
   */
  public String describe() {
    if (!(decoded instanceof Decoded.Invalid invalid)) {
      return "line " + line + ": ok";
    }
    return "line " + line + ": " + invalid.summary();
  }
}
