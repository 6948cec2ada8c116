package dev.trailwatch.search.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --from/--to: RFC 3339 and now-relative times against a fixed clock; the default window. */
class TimeExpressionsTest {
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final InstantSource CLOCK = InstantSource.fixed(NOW);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "now, 2026-11-22T10:00:00Z",
    "now-15m, 2026-11-22T09:45:00Z",
    "now-1h, 2026-11-22T09:00:00Z",
    "now-7d, 2026-11-15T10:00:00Z",
    "now-2w, 2026-11-08T10:00:00Z",
    "now+30s, 2026-11-22T10:00:30Z",
    "now-0m, 2026-11-22T10:00:00Z",
    "2026-11-02T10:00:00Z, 2026-11-02T10:00:00Z",
    "2026-11-02T12:00:00.5+02:00, 2026-11-02T10:00:00.5Z",
  })
  void readsTimes(String text, String expected) throws QueryException {
    assertThat(TimeExpressions.parse(text, "from", NOW)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = "¦",
      textBlock =
          """
          now-15x     ¦ 5 ¦ from: 'x' is not a unit; use s, m, h, d or w
          now-1M      ¦ 5 ¦ from: 'M' is not a unit: months and years have no fixed length; use s, m, h, d or w
          now-        ¦ 5 ¦ from: expected an amount and a unit (s, m, h, d or w), like 15m, not ''
          now-15      ¦ 5 ¦ from: the amount 15 needs a unit: s, m, h, d or w, like 15m
          now 15m     ¦ 4 ¦ from: expected '-' or '+' after 'now', like now-15m
          now-9999999999d ¦ 5 ¦ from: the amount '9999999999d' is too large
          now-999999999w  ¦ 1 ¦ from: 'now-999999999w' is outside the years 0000-9999
          yesterday   ¦ 1 ¦ from: 'yesterday' is neither a time like 2026-11-02T10:00:00Z nor one like now-15m
          2026-11-02  ¦ 1 ¦ from: '2026-11-02' is not an RFC 3339 timestamp like 2024-05-01T12:34:56.789Z: too short for a date and time with offset
          """)
  void errorsSayWhereAndWhat(String text, int column, String problem) {
    assertThatThrownBy(() -> TimeExpressions.parse(text, "from", NOW))
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(problem);
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.column()).isEqualTo(column);
            });
  }

  @Test
  void rangesDefaultToTheLast24Hours() throws QueryException {
    assertThat(TimeExpressions.range(Optional.empty(), Optional.empty(), CLOCK))
        .isEqualTo(new TimeRange(NOW.minus(Duration.ofHours(24)), NOW));
    assertThat(TimeExpressions.range(Optional.of("now-15m"), Optional.empty(), CLOCK))
        .isEqualTo(new TimeRange(NOW.minusSeconds(900), NOW));
    assertThat(TimeExpressions.range(Optional.empty(), Optional.of("now-1h"), CLOCK))
        .isEqualTo(new TimeRange(NOW.minus(Duration.ofHours(24)), NOW.minusSeconds(3600)));
    assertThat(TimeExpressions.range(Optional.of("now"), Optional.of("now"), CLOCK))
        .isEqualTo(new TimeRange(NOW, NOW));
  }

  @Test
  void fromAfterToIsAnError() {
    assertThatThrownBy(
            () -> TimeExpressions.range(Optional.of("now-1h"), Optional.of("now-2h"), CLOCK))
        .isInstanceOf(QueryException.class)
        .hasMessage(
            "line 1, column 1: from: 2026-11-22T09:00:00.000000000Z is after to,"
                + " 2026-11-22T08:00:00.000000000Z: the range must not end before it starts");
    assertThatThrownBy(() -> TimeExpressions.range(Optional.of("now+1m"), Optional.empty(), CLOCK))
        .isInstanceOf(QueryException.class);
  }

  @Test
  void theEndOfARangeIsExclusive() {
    TimeRange range = new TimeRange(NOW.minusSeconds(60), NOW);
    assertThat(range.contains(NOW.minusSeconds(60))).isTrue();
    assertThat(range.contains(NOW.minusNanos(1))).isTrue();
    assertThat(range.contains(NOW)).isFalse();
  }
}
