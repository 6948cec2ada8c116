package dev.trailwatch.event.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Decoded;
import dev.trailwatch.event.DecodedLine;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.NdjsonDecoder;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.event.TestSeeds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Determinism and realism of generated events. */
class EventGeneratorTest {
  private static final int N = 100_000;
  private static final GeneratorConfig CONFIG = GeneratorConfig.defaults().withEvents(N);
  private static long seed;
  private static List<AccessEvent> events;

  @BeforeAll
  static void generate() {
    seed = TestSeeds.seed("generator");
    events = new EventGenerator(seed, CONFIG).stream().toList();
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
    byte[] a = ndjson(seed, CONFIG.withEvents(20_000), 20_000);
    byte[] b = ndjson(seed, CONFIG.withEvents(20_000), 20_000);
    byte[] c = ndjson(seed + 1, CONFIG.withEvents(20_000), 20_000);
    assertThat(a).as("seed %d", seed).isEqualTo(b);
    assertThat(c).isNotEqualTo(a);
    // The stream and the file agree.
    StringBuilder fromStream = new StringBuilder();
    new EventGenerator(seed, CONFIG.withEvents(20_000))
        .stream().forEach(e -> fromStream.append(EventJson.canonicalString(e)).append('\n'));
    assertThat(new String(a, java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(fromStream.toString());
  }

  /** A fixed seed's first event never changes: generated data is reproducible across releases. */
  @Test
  void fixedSeedIsStableAcrossRuns() {
    AccessEvent first = new EventGenerator(42, GeneratorConfig.defaults()).next();
    AccessEvent again = new EventGenerator(42, GeneratorConfig.defaults()).next();
    assertThat(EventJson.canonicalString(first)).isEqualTo(EventJson.canonicalString(again));
    assertThat(first.timestamp()).isAfterOrEqualTo(GeneratorConfig.defaults().start());
  }

  @Test
  void eventsAreValidAndRoundTrip() {
    for (AccessEvent e : events.subList(0, 5_000)) {
      byte[] bytes = EventJson.canonical(e);
      assertThat(EventJson.decode(bytes)).as("seed %d", seed).isEqualTo(new Decoded.Valid(e));
    }
  }

  @Test
  void timeIsOrderedAndSpansTheDuration() {
    Instant start = CONFIG.start();
    Instant end = start.plus(CONFIG.duration());
    Instant previous = start;
    for (AccessEvent e : events) {
      assertThat(e.timestamp()).as("seed %d", seed).isAfterOrEqualTo(previous).isBefore(end);
      previous = e.timestamp();
    }
    Duration span = Duration.between(events.get(0).timestamp(), previous);
    assertThat(span).isGreaterThan(CONFIG.duration().multipliedBy(95).dividedBy(100));
    // Office hours are busier than nights, weekdays busier than weekends.
    int[] byHour = new int[24];
    int weekend = 0;
    for (AccessEvent e : events) {
      var t = e.timestamp().atOffset(ZoneOffset.UTC);
      byHour[t.getHour()]++;
      if (t.getDayOfWeek().getValue() >= 6) {
        weekend++;
      }
    }
    assertThat(byHour[11]).isGreaterThan(3 * byHour[2]);
    assertThat(weekend).isBetween(N / 12, N / 5); // 2 of 7 days at 45% activity: about 11%
  }

  @Test
  void realisticMix() {
    Map<String, Integer> datasets = new TreeMap<>();
    Set<String> users = new HashSet<>();
    Set<IpAddress> ips = new HashSet<>();
    int failures = 0;
    int ipv6 = 0;
    int withIp = 0;
    Map<IpAddress, Integer> failuresByIp = new HashMap<>();
    for (AccessEvent e : events) {
      datasets.merge(e.event().dataset().orElseThrow(), 1, Integer::sum);
      e.user().name().ifPresent(users::add);
      if (e.source().ip().isPresent()) {
        IpAddress ip = e.source().ip().get();
        ips.add(ip);
        withIp++;
        if (ip.isIpv6()) {
          ipv6++;
        }
        if (e.event().outcome() == Outcome.FAILURE) {
          failuresByIp.merge(ip, 1, Integer::sum);
        }
      }
      if (e.event().outcome() == Outcome.FAILURE) {
        failures++;
      }
      assertThat(e.message()).as("every generated event has a message").isPresent();
    }
    double failureShare = (double) failures / N;
    int worstIp = failuresByIp.values().stream().max(Integer::compare).orElse(0);
    System.out.printf(
        Locale.ROOT,
        "generator (seed %d): %d events, datasets %s, failures %.1f%%, %d users, %d source IPs"
            + " (%.1f%% IPv6), worst IP %d failures%n",
        seed,
        N,
        datasets,
        100 * failureShare,
        users.size(),
        ips.size(),
        100.0 * ipv6 / withIp,
        worstIp);
    assertThat(datasets.keySet())
        .containsExactlyInAnyOrder(
            "app.auth", "cloudtrail", "kubernetes.audit", "nginx.access", "sshd", "sudo");
    datasets.values().forEach(count -> assertThat(count).isGreaterThan(N / 25));
    assertThat(failureShare).as("seed %d", seed).isBetween(0.04, 0.20);
    assertThat(users.size()).as("distinct user names").isGreaterThan(2_500);
    assertThat(ips.size()).as("distinct source IPs").isGreaterThan(8_000);
    assertThat((double) ipv6 / withIp).as("IPv6 share").isBetween(0.03, 0.25);
    assertThat(worstIp).as("a brute-force or scanning burst").isGreaterThan(60);
  }

  @Test
  void writesCanonicalNdjsonWithTheRequestedShareOfInvalidLines(@TempDir Path dir)
      throws IOException {
    int count = 20_000;
    GeneratorConfig config = CONFIG.withEvents(count).withInvalidFraction(0.05);
    Path file = dir.resolve("events.ndjson");
    WriteSummary summary = new EventGenerator(seed, config).writeNdjson(file, count);
    assertThat(summary.lines()).isEqualTo(count);
    assertThat(summary.bytes()).isEqualTo(Files.size(file));
    assertThat(summary.invalidLines()).as("binomial(20000, 0.05)").isBetween(850L, 1150L);
    List<DecodedLine> lines = NdjsonDecoder.decodeAll(Files.readAllBytes(file));
    assertThat(lines).hasSize(count);
    long invalid = lines.stream().filter(l -> l.decoded() instanceof Decoded.Invalid).count();
    assertThat(invalid).as("seed %d", seed).isEqualTo(summary.invalidLines());
    // The valid lines are exactly those of a run without invalid lines: corruption does not
    // shift the event stream.
    List<DecodedLine> clean =
        NdjsonDecoder.decodeAll(ndjson(seed, CONFIG.withEvents(count), count));
    for (int i = 0; i < count; i++) {
      if (lines.get(i).decoded() instanceof Decoded.Valid) {
        assertThat(lines.get(i)).as("line %d, seed %d", i + 1, seed).isEqualTo(clean.get(i));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "generator: %d lines, %d invalid, %.1f bytes per line%n",
        summary.lines(),
        summary.invalidLines(),
        summary.averageLineBytes());
    assertThat(summary.averageLineBytes()).isBetween(300.0, 700.0);
  }

  @Test
  void keepsGoingPastTheConfiguredCountAtTheSameRate() {
    EventGenerator g =
        new EventGenerator(seed, CONFIG.withEvents(1_000).withDuration(Duration.ofHours(10)));
    Instant last = Instant.MIN;
    for (int i = 0; i < 2_000; i++) {
      last = g.next().timestamp();
    }
    assertThat(g.generated()).isEqualTo(2_000);
    assertThat(last).isAfter(CONFIG.start().plus(Duration.ofHours(10)));
  }

  @Test
  void tinyAndOddConfigurationsWork() {
    GeneratorConfig tiny =
        new GeneratorConfig(
            3, 10, 20, Instant.parse("1999-12-31T23:59:59Z"), Duration.ofMillis(5), 0);
    List<AccessEvent> three = new EventGenerator(1, tiny).stream().toList();
    assertThat(three).hasSize(3);
    for (AccessEvent e : three) {
      assertThat(e.timestamp()).isBetween(tiny.start(), tiny.start().plusMillis(5));
    }
  }

  @Test
  void configValidationNamesTheProblem() {
    GeneratorConfig d = GeneratorConfig.defaults();
    assertThatThrownBy(() -> d.withEvents(0)).hasMessage("events must be at least 1, got 0");
    assertThatThrownBy(() -> d.withUsers(5)).hasMessage("users must be 10..1000000, got 5");
    assertThatThrownBy(() -> d.withAddresses(1))
        .hasMessage("addresses must be 20..10000000, got 1");
    assertThatThrownBy(() -> d.withDuration(Duration.ZERO))
        .hasMessage("duration must be between 1 ms and 36525 days, got PT0S");
    assertThatThrownBy(() -> d.withInvalidFraction(1.5))
        .hasMessage("invalidFraction must be between 0 and 1, got 1.5");
    assertThatThrownBy(() -> d.withInvalidFraction(Double.NaN))
        .hasMessage("invalidFraction must be between 0 and 1, got NaN");
  }

  private static byte[] ndjson(long seed, GeneratorConfig config, int count) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new EventGenerator(seed, config).writeNdjson(out, count);
    return out.toByteArray();
  }
}
