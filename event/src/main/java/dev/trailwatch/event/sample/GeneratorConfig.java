package dev.trailwatch.event.sample;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * What {@link EventGenerator} produces.
 *
 * @param events how many events span {@code duration}: this sets the event rate (the generator
 *     keeps going, at the same daily rhythm, if asked for more)
 * @param users distinct human users (service accounts and attackers' guesses come on top)
 * @param addresses distinct client IP addresses (about 12% IPv6, 1.5% attackers)
 * @param start time of the first event
 * @param duration time that {@code events} events span
 * @param invalidFraction share of NDJSON lines that {@link EventGenerator#writeNdjson} replaces by
 *     invalid ones (bad JSON, missing fields, bad IPs, ...), 0 to 1
 */
public record GeneratorConfig(
    long events,
    int users,
    int addresses,
    Instant start,
    Duration duration,
    double invalidFraction) {

  /** The longest duration: 100 years. */
  public static final Duration MAX_DURATION = Duration.ofDays(36_525);

  public GeneratorConfig {
    if (events < 1) {
      throw new IllegalArgumentException("events must be at least 1, got " + events);
    }
    if (users < 10 || users > 1_000_000) {
      throw new IllegalArgumentException("users must be 10..1000000, got " + users);
    }
    if (addresses < 20 || addresses > 10_000_000) {
      throw new IllegalArgumentException("addresses must be 20..10000000, got " + addresses);
    }
    requireNonNull(start, "start");
    requireNonNull(duration, "duration");
    if (duration.compareTo(Duration.ofMillis(1)) < 0 || duration.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          "duration must be between 1 ms and " + MAX_DURATION.toDays() + " days, got " + duration);
    }
    if (!(invalidFraction >= 0 && invalidFraction <= 1)) {
      throw new IllegalArgumentException(
          "invalidFraction must be between 0 and 1, got " + invalidFraction);
    }
  }

  /**
   * One million events by 5,000 users from 20,000 addresses over the 7 days from 2026-11-02 (a
   * Monday) 00:00 UTC; no invalid lines.
   */
  public static GeneratorConfig defaults() {
    return new GeneratorConfig(
        1_000_000, 5_000, 20_000, Instant.parse("2026-11-02T00:00:00Z"), Duration.ofDays(7), 0);
  }

  public GeneratorConfig withEvents(long value) {
    return new GeneratorConfig(value, users, addresses, start, duration, invalidFraction);
  }

  public GeneratorConfig withUsers(int value) {
    return new GeneratorConfig(events, value, addresses, start, duration, invalidFraction);
  }

  public GeneratorConfig withAddresses(int value) {
    return new GeneratorConfig(events, users, value, start, duration, invalidFraction);
  }

  public GeneratorConfig withStart(Instant value) {
    return new GeneratorConfig(events, users, addresses, value, duration, invalidFraction);
  }

  public GeneratorConfig withDuration(Duration value) {
    return new GeneratorConfig(events, users, addresses, start, value, invalidFraction);
  }

  public GeneratorConfig withInvalidFraction(double value) {
    return new GeneratorConfig(events, users, addresses, start, duration, value);
  }
}
