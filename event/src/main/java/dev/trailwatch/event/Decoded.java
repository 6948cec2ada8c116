package dev.trailwatch.event;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/** The result of decoding one JSON event: the event, or everything that is wrong with the input. */
public sealed interface Decoded permits Decoded.Valid, Decoded.Invalid {

  /** The input was a valid event. */
  record Valid(AccessEvent event) implements Decoded {
    public Valid {
      requireNonNull(event, "event");
    }
  }

  /**
   * The input was not a valid event.
   *
   * @param errors every problem found, never empty; a syntax error (not JSON at all) is a single
   *     error whose {@link FieldError#field()} is {@code ""}
   * @param raw the input as text (invalid UTF-8 replaced by U+FFFD), e.g. for {@link
   *     AccessEvent#unparsed}
   * @param column for a syntax error, the 1-based column (in characters, counted from the start of
   *     the line where the error is) at which the parser gave up; otherwise empty
   */
  record Invalid(List<FieldError> errors, String raw, OptionalInt column) implements Decoded {
    public Invalid {
      errors = List.copyOf(errors);
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("an Invalid result needs at least one error");
      }
      requireNonNull(raw, "raw");
      requireNonNull(column, "column");
    }

    /** A result without a syntax error position. */
    public Invalid(List<FieldError> errors, String raw) {
      this(errors, raw, OptionalInt.empty());
    }

    /** All errors on one line: {@code "field: reason; field: reason"}. */
    public String summary() {
      return errors.stream().map(FieldError::describe).collect(Collectors.joining("; "));
    }
  }
}
