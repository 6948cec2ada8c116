package dev.trailwatch.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3339 timestamps: what is accepted, what is rejected and why, and the canonical form. */
class Rfc3339Test {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "2024-05-01T12:34:56Z | 2024-05-01T12:34:56Z",
        "2024-05-01t12:34:56z | 2024-05-01T12:34:56Z",
        "2024-05-01 12:34:56Z | 2024-05-01T12:34:56Z",
        "2024-05-01T12:34:56.1Z | 2024-05-01T12:34:56.100Z",
        "2024-05-01T12:34:56.123456789Z | 2024-05-01T12:34:56.123456789Z",
        "2024-05-01T12:34:56.000000001Z | 2024-05-01T12:34:56.000000001Z",
        "2024-05-01T14:34:56+02:00 | 2024-05-01T12:34:56Z",
        "2024-05-01T07:04:56.5-05:30 | 2024-05-01T12:34:56.500Z",
        "2024-05-01T12:34:56-00:00 | 2024-05-01T12:34:56Z",
        "2024-01-01T00:30:00+01:00 | 2023-12-31T23:30:00Z",
        "2024-02-29T00:00:00Z | 2024-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z | 2000-02-29T00:00:00Z",
        "0000-01-01T00:00:00Z | 0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z | 9999-12-31T23:59:59.999999999Z",
        "1969-12-31T23:59:59.999Z | 1969-12-31T23:59:59.999Z",
      })
  void parses(String text, String expected) {
    assertThat(Rfc3339.parse(text)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "2024-05-01 | too short for a date and time with offset",
        "2024-05-01T12:34Z | too short for a date and time with offset",
        "2024-05-01T12:34:56 | too short for a date and time with offset",
        "2024-05-01T12:34:56.789 | the offset is missing: end with 'Z' for UTC or an offset like"
            + " +02:00",
        "2024-05-01X12:34:56Z | expected 'T' between date and time, found 'X' at position 11",
        "2024/05/01T12:34:56Z | expected '-' after the year at position 5, found '/'",
        "24-05-01T12:34:56Z00 | expected a digit of the year at position 3, found '-'",
        "2024-13-01T12:34:56Z | month 13 is not 01-12",
        "2024-00-01T12:34:56Z | month 00 is not 01-12",
        "2023-02-29T12:34:56Z | day 29 does not exist in 2023-02",
        "2024-04-31T12:34:56Z | day 31 does not exist in 2024-04",
        "1900-02-29T00:00:00Z | day 29 does not exist in 1900-02",
        "2024-05-01T24:00:00Z | hour 24 is not 00-23",
        "2024-05-01T12:60:00Z | minute 60 is not 00-59",
        "2016-12-31T23:59:60Z | leap second :60 cannot be stored; send :59.999999999 instead",
        "2024-05-01T12:34:61Z | second 61 is not 00-59",
        "2024-05-01T12:34:56.Z | a '.' must be followed by fraction digits",
        "2024-05-01T12:34:56.1234567891Z | it has 10 fraction digits; at most 9 (nanoseconds) are"
            + " kept",
        "2024-05-01T12:34:56+0200 | the offset must be written ±hh:mm, like +02:00",
        "2024-05-01T12:34:56+24:00 | offset +24:00 is out of range",
        "2024-05-01T12:34:56+02:60 | offset +02:60 is out of range",
        "2024-05-01T12:34:56 UTC | expected 'Z' or an offset like +02:00 at position 20, found ' '",
        "2024-05-01T12:34:56Zx | unexpected text after the offset at position 21",
        "0000-01-01T00:00:00+00:01 | it is outside the years 0000-9999 in UTC",
        "9999-12-31T23:59:59-00:01 | it is outside the years 0000-9999 in UTC",
      })
  void rejectsWithTheReason(String text, String reason) {
    assertThatThrownBy(() -> Rfc3339.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'" + text + "' is not an RFC 3339 timestamp like 2024-05-01T12:34:56.789Z: " + reason);
  }

  @Test
  void formatsOneFixedUtcForm() {
    assertThat(Rfc3339.format(Instant.parse("2024-05-01T12:34:56Z")))
        .isEqualTo("2024-05-01T12:34:56.000000000Z");
    assertThat(Rfc3339.format(Instant.parse("1969-12-31T23:59:59.999999999Z")))
        .isEqualTo("1969-12-31T23:59:59.999999999Z");
    assertThat(Rfc3339.format(Rfc3339.MIN)).isEqualTo("0000-01-01T00:00:00.000000000Z");
    assertThat(Rfc3339.format(Rfc3339.MAX)).isEqualTo("9999-12-31T23:59:59.999999999Z");
    assertThatThrownBy(() -> Rfc3339.format(Rfc3339.MAX.plusNanos(1)))
        .hasMessage(
            "+10000-01-01T00:00:00Z is outside the years 0000-9999 (UTC) that RFC 3339 can"
                + " write");
  }

  /** Random instants and random offsets: our parser agrees with java.time, both ways. */
  @Test
  void agreesWithJavaTimeOnRandomInstants() {
    long seed = TestSeeds.seed("rfc3339");
    SplittableRandom random = new SplittableRandom(seed);
    DateTimeFormatter withOffset =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnnxxx");
    for (int i = 0; i < 50_000; i++) {
      Instant t =
          Instant.ofEpochSecond(
              random.nextLong(
                  Rfc3339.MIN.getEpochSecond() + 86_400, Rfc3339.MAX.getEpochSecond() - 86_400),
              random.nextInt(1_000_000_000));
      String canonical = Rfc3339.format(t);
      assertThat(canonical).as("seed %d", seed).isEqualTo(expectedCanonical(t));
      assertThat(Rfc3339.parse(canonical)).as("seed %d, %s", seed, canonical).isEqualTo(t);
      ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
      String shifted = OffsetDateTime.ofInstant(t, offset).format(withOffset);
      assertThat(Rfc3339.parse(shifted)).as("seed %d, %s", seed, shifted).isEqualTo(t);
    }
  }

  private static String expectedCanonical(Instant t) {
    return DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'")
        .withZone(ZoneOffset.UTC)
        .format(t);
  }
}
