package dev.trailwatch.search.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import dev.trailwatch.search.query.QueryException;
import dev.trailwatch.search.query.StoredEvent;
import dev.trailwatch.search.query.TestIndex;
import dev.trailwatch.search.query.TestSeeds;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The timeline over a real index of generated events (built with the indexer's mapping) against
 * {@link ReferenceTimeline}, a plain reconstruction over the same events in memory, for many random
 * entities, windows and limits. The generated events are given targets (sudo, su, Okta, resources,
 * destinations) and shared sessions, which the generator does not make, so that every reason
 * occurs.
 */
class TimelineTest {
  private static final int EVENTS = 20_000;
  private static final int CASES = 300;
  private static final Instant START = Instant.parse("2026-11-02T00:00:00Z");

  static List<StoredEvent> events;
  static Timeline timeline;

  @BeforeAll
  static void corpus() throws IOException {
    long seed = TestSeeds.seed("timeline corpus");
    SplittableRandom random = new SplittableRandom(seed);
    GeneratorConfig config =
        GeneratorConfig.defaults()
            .withEvents(EVENTS)
            .withUsers(60)
            .withAddresses(150)
            .withStart(START)
            .withDuration(Duration.ofDays(2));
    EventGenerator generator = new EventGenerator(seed, config);
    List<AccessEvent> made = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      made.add(generator.next());
    }
    List<String> names = made.stream().flatMap(e -> e.user().name().stream()).distinct().toList();
    List<IpAddress> ips = made.stream().flatMap(e -> e.source().ip().stream()).distinct().toList();
    List<String> sessions = List.of("s-1", "s-2", "s-3", "s-4", "s-5", "s-6", "s-7", "s-8");
    List<StoredEvent> stored = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      AccessEvent.Builder b = made.get(i).toBuilder();
      switch (random.nextInt(12)) {
        case 0 -> b.label("sudo.run_as", pick(random, names));
        case 1 -> b.label("su.target_user", pick(random, names));
        case 2 -> b.label("okta.target_user", pick(random, names));
        case 3 -> b.resourceType("user").resourceId(pick(random, names));
        case 4 -> b.destinationIp(pick(random, ips));
        case 5, 6 -> b.sessionId(pick(random, sessions));
        default -> {}
      }
      stored.add(new StoredEvent(i, b.build()));
    }
    events = List.copyOf(stored);
    timeline =
        new Timeline(new IndexSearcher(DirectoryReader.open(TestIndex.build(events, 3_000))));
  }

  private static <T> T pick(SplittableRandom random, List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  @Test
  void matchesTheReferenceForRandomEntitiesWindowsAndLimits() throws IOException {
    long seed = TestSeeds.seed("timeline cases");
    SplittableRandom random = new SplittableRandom(seed);
    ReferenceTimeline reference = new ReferenceTimeline(events);
    List<Duration> windows =
        List.of(
            Duration.ZERO,
            Duration.ofMinutes(1),
            Duration.ofMinutes(15),
            Duration.ofHours(1),
            Duration.ofHours(6),
            Duration.ofDays(1),
            Duration.ofDays(7));
    TreeSet<String> reasonKinds = new TreeSet<>();
    int truncated = 0;
    int nonEmpty = 0;
    for (int i = 0; i < CASES; i++) {
      StoredEvent from = pick(random, events);
      Entity entity = randomEntity(random, from.event());
      Instant around =
          random.nextInt(4) == 0
              ? from.event().timestamp()
              : from.event().timestamp().plusSeconds(random.nextLong(-7200, 7200));
      int limit = random.nextInt(3) == 0 ? random.nextInt(1, 40) : TimelineQuery.DEFAULT_LIMIT;
      TimelineQuery query = new TimelineQuery(entity, around, pick(random, windows), limit);
      TimelineResult expected = reference.run(query);
      TimelineResult actual = timeline.run(query);
      assertThat(actual).as("case %d: %s, %s", i, query, TestSeeds.reproduce()).isEqualTo(expected);
      truncated += actual.truncated() ? 1 : 0;
      nonEmpty += actual.hits().isEmpty() ? 0 : 1;
      actual.hits().forEach(h -> h.reasons().forEach(r -> reasonKinds.add(r.split(":")[0])));
    }
    assertThat(reasonKinds)
        .as("every kind of reason occurs, " + TestSeeds.reproduce())
        .containsExactly("actor", "same_ip", "same_session", "source", "target");
    assertThat(truncated).as("truncated timelines").isGreaterThan(CASES / 10);
    assertThat(nonEmpty).as("timelines with events").isGreaterThan(CASES / 2);
  }

  private static Entity randomEntity(SplittableRandom random, AccessEvent e) {
    Optional<String> name = e.user().name();
    Optional<String> id = e.user().id();
    Optional<IpAddress> ip = e.source().ip();
    return switch (random.nextInt(6)) {
      case 0 -> new Entity(Entity.Kind.USER_ID, id.orElse("nobody-" + random.nextInt(3)));
      case 1 ->
          new Entity(Entity.Kind.SOURCE_IP, ip.map(IpAddress::toString).orElse("2001:db8::" + 1));
      case 2 -> new Entity(Entity.Kind.HOST_NAME, e.hostName().orElse("no-such-host"));
      case 3 ->
          e.destination().ip().isPresent()
              ? new Entity(Entity.Kind.SOURCE_IP, e.destination().ip().get().toString())
              : new Entity(Entity.Kind.USER_NAME, name.orElse("root"));
      default -> new Entity(Entity.Kind.USER_NAME, name.orElse("root"));
    };
  }

  @Test
  void eventsComeInTimeOrderWithTiesBySeq() throws IOException {
    StoredEvent busiest =
        events.stream().filter(e -> e.event().user().name().isPresent()).findFirst().orElseThrow();
    TimelineQuery query =
        new TimelineQuery(
            new Entity(Entity.Kind.USER_NAME, busiest.event().user().name().get()),
            busiest.event().timestamp(),
            Duration.ofDays(7),
            TimelineQuery.MAX_LIMIT);
    List<TimelineResult.Hit> hits = timeline.run(query).hits();
    assertThat(hits).isNotEmpty();
    assertThat(hits)
        .isSortedAccordingTo(
            Comparator.comparing(TimelineResult.Hit::timestamp)
                .thenComparingLong(TimelineResult.Hit::seq));
  }

  @Test
  void theWindowIncludesBothEnds() throws IOException {
    StoredEvent e = events.get(EVENTS / 2);
    String user = e.event().user().name().orElse(null);
    Entity entity =
        user != null
            ? new Entity(Entity.Kind.USER_NAME, user)
            : new Entity(Entity.Kind.SOURCE_IP, e.event().source().ip().orElseThrow().toString());
    Instant t = e.event().timestamp();
    Duration w = Duration.ofMinutes(5);
    for (Instant around : List.of(t.minus(w), t.plus(w), t)) {
      List<Long> seqs =
          timeline
              .run(new TimelineQuery(entity, around, w, TimelineQuery.MAX_LIMIT))
              .hits()
              .stream()
              .map(TimelineResult.Hit::seq)
              .toList();
      assertThat(seqs).as("around %s", around).contains(e.seq());
    }
    List<Long> outside =
        timeline
            .run(new TimelineQuery(entity, t.plus(w).plusNanos(1), w, TimelineQuery.MAX_LIMIT))
            .hits()
            .stream()
            .map(TimelineResult.Hit::seq)
            .toList();
    assertThat(outside).doesNotContain(e.seq());
  }

  @Test
  void parametersAreReadWithErrorsThatNameThem() throws QueryException {
    Instant now = Instant.parse("2026-11-22T10:00:00Z");
    TimelineQuery q =
        TimelineQuery.parse(
            Optional.of("source.ip:::ffff:10.1.2.3"),
            Optional.of("now-1h"),
            Optional.of("15m"),
            Optional.of("20"),
            now);
    assertThat(q.entity()).isEqualTo(new Entity(Entity.Kind.SOURCE_IP, "10.1.2.3"));
    assertThat(q.around()).isEqualTo(now.minusSeconds(3600));
    assertThat(q.window()).isEqualTo(Duration.ofMinutes(15));
    assertThat(q.limit()).isEqualTo(20);
    TimelineQuery defaults =
        TimelineQuery.parse(
            Optional.of("user.name:alice"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            now);
    assertThat(defaults)
        .isEqualTo(
            new TimelineQuery(
                new Entity(Entity.Kind.USER_NAME, "alice"), now, Duration.ofHours(1), 1000));
    assertProblem(Optional.empty(), "1h", "10", "entity: required");
    assertProblem(Optional.of("alice"), "1h", "10", "entity: expected field:value");
    assertProblem(Optional.of("event.action:login"), "1h", "10", "entity: 'event.action' cannot");
    assertProblem(Optional.of("user.name:"), "1h", "10", "entity: no value after 'user.name:'");
    assertProblem(Optional.of("source.ip:10.1.2"), "1h", "10", "entity: '10.1.2' is not an IPv4");
    assertProblem(Optional.of("user.id:7"), "1x", "10", "window: 'x' is not a unit");
    assertProblem(Optional.of("user.id:7"), "8d", "10", "window: at most 7d");
    assertProblem(Optional.of("user.id:7"), "1h", "0", "limit: '0' is not a whole number");
    assertProblem(Optional.of("user.id:7"), "1h", "10001", "limit: '10001'");
    assertProblem(Optional.of("user.id:7"), "1h", "ten", "limit: 'ten'");
    assertThatThrownBy(
            () ->
                TimelineQuery.parse(
                    Optional.of("user.id:7"),
                    Optional.of("yesterday"),
                    Optional.empty(),
                    Optional.empty(),
                    now))
        .isInstanceOf(QueryException.class)
        .extracting(e -> ((QueryException) e).problem())
        .asString()
        .startsWith("around: ");
  }

  private static void assertProblem(
      Optional<String> entity, String window, String limit, String problem) {
    assertThatThrownBy(
            () ->
                TimelineQuery.parse(
                    entity,
                    Optional.empty(),
                    Optional.of(window),
                    Optional.of(limit),
                    Instant.parse("2026-11-22T10:00:00Z")))
        .isInstanceOf(QueryException.class)
        .extracting(e -> ((QueryException) e).problem())
        .asString()
        .startsWith(problem);
  }
}
