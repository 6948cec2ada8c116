package dev.trailwatch.event;

import static java.util.Objects.requireNonNull;

/**
 * One problem with one field of an event, in words a user can act on.
 *
 * @param field the ECS name of the field ({@code source.ip}, {@code labels.env}), or {@code ""}
 *     when the problem is not about one field (the line is not JSON, not an object, ...)
 * @param reason what is wrong and, where it helps, what to send instead; never empty
 */
public record FieldError(String field, String reason) {
  public FieldError {
    requireNonNull(field, "field");
    requireNonNull(reason, "reason");
    if (reason.isEmpty()) {
      throw new IllegalArgumentException("a FieldError needs a reason");
    }
  }

  /** An error about the whole input rather than one field. */
  static FieldError whole(String reason) {
    return new FieldError("", reason);
  }

  /** {@code "field: reason"}, or just the reason when it is not about one field. */
  public String describe() {
    return field.isEmpty() ? reason : field + ": " + reason;
  }
}
