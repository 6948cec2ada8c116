package dev.trailwatch.event;

import java.util.Optional;

/** The {@code event.outcome} of an access event, as in ECS. */
public enum Outcome {
  SUCCESS("success"),
  FAILURE("failure"),
  UNKNOWN("unknown");

  /** The allowed JSON values, for error messages: {@code "success, failure, unknown"}. */
  static final String ALLOWED = "success, failure, unknown";

  private final String ecsValue;

  Outcome(String ecsValue) {
    this.ecsValue = ecsValue;
  }

  /** The value as written in JSON: {@code success}, {@code failure} or {@code unknown}. */
  public String ecsValue() {
    return ecsValue;
  }

  /**
   * The outcome whose {@link #ecsValue()} is exactly {@code value} (lowercase, as ECS spells it),
   * or empty.
   */
  public static Optional<Outcome> fromEcs(String value) {
    return switch (value) {
      case "success" -> Optional.of(SUCCESS);
      case "failure" -> Optional.of(FAILURE);
      case "unknown" -> Optional.of(UNKNOWN);
      default -> Optional.empty();
    };
  }

  @Override
  public String toString() {
    return ecsValue;
  }
}
