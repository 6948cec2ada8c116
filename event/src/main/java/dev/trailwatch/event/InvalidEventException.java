package dev.trailwatch.event;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link AccessEvent.Builder#build()} when the values do not make a valid event. The
 * message lists every problem; {@link #errors()} gives them one by one.
 */
public final class InvalidEventException extends IllegalArgumentException {
  private final List<FieldError> errors;

  public InvalidEventException(List<FieldError> errors) {
    super(
        "invalid access event: "
            + errors.stream().map(FieldError::describe).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  /** The problems, in field order; never empty. */
  public List<FieldError> errors() {
    return errors;
  }
}
