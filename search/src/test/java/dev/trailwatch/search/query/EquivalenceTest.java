package dev.trailwatch.search.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The correctness requirement: random queries over a random corpus of 100,000 events give
 * the same result from the index ({@link LuceneQueries}, {@link PipelineExecutor}) as from the
 * reference ({@link NaiveEvaluator}): the same set of events, in the same order, and the same
 * tables. Failures name the query and the seed that reproduces them.
 */
class EquivalenceTest {
  private static final int FILTERS = 220;
  private static final int PIPELINES = 60;

  @Test
  void filtersSelectTheSameEvents() throws IOException {
    Corpus corpus = Corpus.get();
    long seed = TestSeeds.seed("filters");
    SplittableRandom random = new SplittableRandom(seed);
    RandomQueries queries = new RandomQueries(random, corpus.events);
    Set<String> constructs = new TreeSet<>();
    int nonEmpty = 0;
    int partial = 0;
    int total = 0;
    // At least FILTERS queries, and more (up to a bound) until every construct has been tried.
    for (int i = 0;
        i < FILTERS || (!constructs.containsAll(Constructs.ALL) && i < 4 * FILTERS);
        i++) {
      total++;
      String text = queries.filter();
      ParsedQuery query = parse(text, seed);
      constructs.addAll(Constructs.of(query.filter()));
      TimeRange range = random.nextInt(5) == 0 ? window(random, corpus) : corpus.everything;
      String context =
          "query " + i + " [" + text + "] over " + range + ", " + TestSeeds.reproduce();
      Hits expected = (Hits) corpus.naive.evaluate(query, range);
      Hits actual = (Hits) corpus.executor.execute(query, range);
      assertThat(new HashSet<>(actual.seqs()))
          .as(context)
          .isEqualTo(new HashSet<>(expected.seqs()));
      assertThat(actual).as(context).isEqualTo(expected);
      if (!expected.seqs().isEmpty()) {
        nonEmpty++;
      }
      if (!expected.seqs().isEmpty() && expected.seqs().size() < Corpus.SIZE / 2) {
        partial++;
      }
    }
    assertThat(constructs).as("constructs, " + TestSeeds.reproduce()).containsAll(Constructs.ALL);
    assertThat(nonEmpty)
        .as("queries that match something, " + TestSeeds.reproduce())
        .isGreaterThan(total / 2);
    assertThat(partial).as("queries that match some but not most").isGreaterThan(total / 3);
  }

  @Test
  void pipelinesGiveTheSameTablesAndOrders() throws IOException {
    Corpus corpus = Corpus.get();
    long seed = TestSeeds.seed("pipelines");
    SplittableRandom random = new SplittableRandom(seed);
    RandomQueries queries = new RandomQueries(random, corpus.events);
    int tables = 0;
    int rows = 0;
    for (int i = 0; i < PIPELINES; i++) {
      String text = queries.pipeline();
      ParsedQuery query = parse(text, seed);
      TimeRange range = random.nextInt(4) == 0 ? window(random, corpus) : corpus.everything;
      Result expected = corpus.naive.evaluate(query, range);
      Result actual = corpus.executor.execute(query, range);
      assertThat(actual)
          .as("query " + i + " [" + text + "] over " + range + ", " + TestSeeds.reproduce())
          .isEqualTo(expected);
      if (expected instanceof Table t) {
        tables++;
        rows += t.rows().size();
      }
    }
    assertThat(tables).isGreaterThan(PIPELINES / 2);
    assertThat(rows).as("rows in all tables").isGreaterThan(PIPELINES);
  }

  private static ParsedQuery parse(String text, long seed) {
    try {
      return QueryParser.parse(text);
    } catch (QueryException e) {
      return fail(
          "generated query [" + text + "] does not parse: " + e.getMessage() + ", seed " + seed, e);
    }
  }

  /** A random window inside the corpus's time span, from a minute to two days long. */
  private static TimeRange window(SplittableRandom random, Corpus corpus) {
    Instant from = corpus.everything.from();
    long span = Duration.between(from, corpus.everything.to()).toSeconds();
    Instant start =
        from.plusSeconds(random.nextLong(span)).plusNanos(random.nextInt(1_000_000_000));
    Instant end = start.plusSeconds(random.nextLong(60, 2 * 86_400));
    return new TimeRange(start, end);
  }

  /** Which constructs a filter uses, to check that the generated suite covers every one. */
  static final class Constructs {
    static final List<String> ALL =
        List.of(
            "All",
            "And",
            "Or",
            "Not",
            "Exists",
            "KeywordEquals",
            "KeywordMatches",
            "KeywordCompare",
            "IntRange",
            "TimestampRange",
            "IpPrefix",
            "TextPhrase",
            "TextMatches",
            "ipv4 network",
            "ipv6 network",
            "ipv6 address",
            "label",
            "user.roles",
            "event.outcome",
            "phrase of several words",
            "exists message",
            "exists label");

    static Set<String> of(Filter filter) {
      Set<String> out = new HashSet<>();
      collect(filter, out);
      return out;
    }

    private static void collect(Filter filter, Set<String> out) {
      out.add(filter.getClass().getSimpleName());
      switch (filter) {
        case Filter.And and -> and.clauses().forEach(c -> collect(c, out));
        case Filter.Or or -> or.clauses().forEach(c -> collect(c, out));
        case Filter.Not not -> collect(not.clause(), out);
        case Filter.Exists x -> {
          field(x.field(), out);
          if (x.field().equals("message")) {
            out.add("exists message");
          }
          if (x.field().startsWith("labels.")) {
            out.add("exists label");
          }
        }
        case Filter.KeywordEquals k -> field(k.field(), out);
        case Filter.KeywordMatches k -> field(k.field(), out);
        case Filter.KeywordCompare k -> field(k.field(), out);
        case Filter.IpPrefix p -> {
          boolean v4 = p.network().isIpv4();
          int full = v4 ? 32 : 128;
          out.add(
              p.prefixLength() == full
                  ? (v4 ? "ipv4 address" : "ipv6 address")
                  : (v4 ? "ipv4 network" : "ipv6 network"));
        }
        case Filter.TextPhrase t -> {
          if (t.words().size() > 1) {
            out.add("phrase of several words");
          }
        }
        default -> {}
      }
    }

    private static void field(String name, Set<String> out) {
      if (name.startsWith("labels.")) {
        out.add("label");
      } else if (name.equals("user.roles") || name.equals("event.outcome")) {
        out.add(name);
      }
    }
  }
}
