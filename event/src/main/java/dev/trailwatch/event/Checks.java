package dev.trailwatch.event;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** Value rules shared by the records' constructors and {@link AccessEvent.Builder}. */
final class Checks {
  static final String EMPTY_KEYWORD = "must not be empty (omit the field when there is no value)";

  private Checks() {}

  static void keyword(Field field, Optional<String> value) {
    requireNonNull(value, field.ecsName());
    if (value.isPresent()) {
      keyword(field, value.get());
    }
  }

  static void keyword(Field field, String value) {
    requireNonNull(value, field.ecsName());
    if (value.isEmpty()) {
      throw new IllegalArgumentException(field.ecsName() + " " + EMPTY_KEYWORD);
    }
  }

  static String outOfRange(Field field, long value) {
    return value + " is out of range " + field.minValue() + ".." + field.maxValue();
  }
}
