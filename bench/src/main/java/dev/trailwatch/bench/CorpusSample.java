package dev.trailwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.search.index.IndexFields;
import dev.trailwatch.search.query.TimeRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * What {@link SearchVsPostgres} learns about the corpus in one pass: how many distinct users,
 * addresses and IPv4 /16 networks it holds (to check the generator's mix), and a seeded random
 * sample of events from which each query draws its parameters (a user and a day, a network and a
 * week, a needle, ...), so that every parameter occurs in the corpus. Not thread-safe.
 */
final class CorpusSample {
  private final Instant start;
  private final Instant end;
  private final Set<Long> wanted = new HashSet<>();
  private final List<ObjectNode> sampled = new ArrayList<>();
  private final Set<String> users = new HashSet<>();
  private final Set<String> addresses = new HashSet<>();
  private final Map<Integer, Long> networks = new HashMap<>();
  private final Map<String, Long> actions = new HashMap<>();
  private long events;

  /** Samples {@code size} random events of the {@code events} that span {@code start..end}. */
  CorpusSample(long seed, long events, int size, Instant start, Instant end) {
    this.start = start;
    this.end = end;
    SplittableRandom random = new SplittableRandom(seed);
    while (wanted.size() < Math.min(size, events)) {
      wanted.add(random.nextLong(events));
    }
  }

  /** Sees one event of the corpus, in order. */
  void accept(long seq, ObjectNode event) {
    events++;
    JsonNode user = event.path("user").path("name");
    if (user.isTextual()) {
      users.add(user.asText());
    }
    JsonNode ip = event.path("source").path("ip");
    if (ip.isTextual()) {
      addresses.add(ip.asText());
      IpAddress a = IpAddress.parse(ip.asText());
      if (a.isIpv4()) {
        byte[] b = a.bytes();
        int o = b.length - 4;
        networks.merge((b[o] & 0xff) << 8 | (b[o + 1] & 0xff), 1L, Long::sum);
      }
    }
    actions.merge(event.path("event").path("action").asText(), 1L, Long::sum);
    if (wanted.contains(seq)) {
      sampled.add(event.deepCopy());
    }
  }

  /** One line on the mix: distinct users, addresses, /16 networks and how full they are. */
  String mix() {
    long[] perNetwork = networks.values().stream().mapToLong(Long::longValue).sorted().toArray();
    int n = perNetwork.length;
    return String.format(
        Locale.ROOT,
        "corpus: %,d events, %,d distinct user.name, %,d distinct source.ip, %d actions; %,d IPv4"
            + " /16 networks, events per network: median %,d, p90 %,d, p99 %,d, max %,d",
        events,
        users.size(),
        addresses.size(),
        actions.size(),
        n,
        n == 0 ? 0 : perNetwork[n / 2],
        n == 0 ? 0 : perNetwork[(int) (n * 0.9)],
        n == 0 ? 0 : perNetwork[(int) (n * 0.99)],
        n == 0 ? 0 : perNetwork[n - 1]);
  }

  long distinctUsers() {
    return users.size();
  }

  long distinctAddresses() {
    return addresses.size();
  }

  /**
   * {@code count} probes of {@code kind}, each with parameters drawn from another sampled event.
   */
  List<Probe> probes(Probe.Kind kind, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed * 31 + kind.ordinal());
    List<Probe> out = new ArrayList<>();
    for (int tries = 0; out.size() < count && tries < 100 * count + 1000; tries++) {
      ObjectNode e = sampled.get(random.nextInt(sampled.size()));
      probe(kind, e).ifPresent(out::add);
    }
    if (out.size() < count) {
      throw new IllegalStateException(
          "the sample of " + sampled.size() + " events gave only " + out.size() + " " + kind);
    }
    return out;
  }

  private Optional<Probe> probe(Probe.Kind kind, ObjectNode e) {
    Instant day = Instant.parse(e.path("@timestamp").asText()).truncatedTo(ChronoUnit.DAYS);
    String dayText = day.toString().substring(0, 10);
    TimeRange oneDay = new TimeRange(day, day.plus(Duration.ofDays(1)));
    TimeRange week = week(day);
    String weekText = week.from().toString().substring(0, 10) + " +7d";
    return switch (kind) {
      case USER_DAY -> {
        JsonNode user = e.path("user").path("name");
        yield user.isTextual()
            ? Optional.of(
                new Probe(
                    kind,
                    user.asText() + " " + dayText,
                    "user.name:" + quoted(user.asText()),
                    oneDay,
                    List.of(user.asText())))
            : Optional.empty();
      }
      case ACTIONS_DAY ->
          Optional.of(
              new Probe(kind, dayText, "| stats count() by event.action", oneDay, List.of()));
      case NETWORK_WEEK -> {
        JsonNode ip = e.path("source").path("ip");
        if (!ip.isTextual() || !IpAddress.parse(ip.asText()).isIpv4()) {
          yield Optional.empty();
        }
        String[] octets = ip.asText().split("\\.");
        String network = octets[0] + "." + octets[1] + ".0.0/16";
        yield Optional.of(
            new Probe(
                kind, network + " " + weekText, "source.ip:" + network, week, List.of(network)));
      }
      case NEEDLE_MONTH ->
          needle(e.path("message").asText(""))
              .map(
                  n ->
                      new Probe(
                          kind,
                          n,
                          "message:" + quoted(n),
                          new TimeRange(start, end),
                          List.of("%" + n + "%")));
      case TOP_IPS_WEEK ->
          Optional.of(
              new Probe(
                  kind,
                  weekText,
                  "| stats count() by source.ip | sort -count | head 10",
                  week,
                  List.of()));
    };
  }

  /** The seven days that end with {@code day}, moved to lie inside the corpus. */
  private TimeRange week(Instant day) {
    Instant to = day.plus(Duration.ofDays(1));
    Instant from = to.minus(Duration.ofDays(7));
    if (from.isBefore(start)) {
      from = start;
      to = start.plus(Duration.ofDays(7));
    }
    return new TimeRange(from, to);
  }

  /**
   * A rare word of {@code message} as the index cuts it: the longest of at least 8 letters and
   * digits with both in it (a key fingerprint, an id), so that PostgreSQL's {@code ilike
   * '%needle%'} and Trailwatch's word match find the same events.
   */
  static Optional<String> needle(String message) {
    try (Analyzer analyzer = IndexFields.analyzer();
        TokenStream tokens = analyzer.tokenStream(IndexFields.MESSAGE, message)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      String best = null;
      while (tokens.incrementToken()) {
        String t = term.toString();
        if (t.length() >= 8
            && t.matches("[a-z0-9]+")
            && t.matches(".*[a-z].*")
            && t.matches(".*[0-9].*")
            && (best == null || t.length() > best.length())) {
          best = t;
        }
      }
      tokens.end();
      return Optional.ofNullable(best);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A query value in double quotes, taken literally. */
  static String quoted(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** For tests: the sampled events' count. */
  int sampled() {
    return sampled.size();
  }
}
