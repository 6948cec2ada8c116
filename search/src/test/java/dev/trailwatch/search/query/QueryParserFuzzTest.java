package dev.trailwatch.search.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.junit.jupiter.api.Test;

/**
 * Random text and random mutations of valid queries: the parser throws nothing but a {@link
 * QueryException} whose message has the form {@code line L, column C: problem} with a position
 * inside the input; and whatever parses runs on both evaluators without an exception and with the
 * same result.
 */
class QueryParserFuzzTest {
  private static final int CASES = 12_000;
  private static final Pattern POSITION =
      Pattern.compile("line (\\d+), column (\\d+): \\S.*", Pattern.DOTALL);

  /**
   * Pieces that random text is made of: the language's own characters and words, and a few others.
   */
  private static final List<String> PIECES =
      List.of(
          "(",
          ")",
          "\"",
          ":",
          "<",
          ">",
          "=",
          ">=",
          "|",
          "\\",
          "*",
          "?",
          ",",
          "-",
          " ",
          "  ",
          "\n",
          "\t",
          "and",
          "OR",
          "not",
          "user.name",
          "source.ip",
          "message",
          "@timestamp",
          "labels.x",
          "http.response.status_code",
          "alice",
          "10.0.0.0/8",
          "2001:db8::/32",
          "2026-11-02T10:00:00Z",
          "500",
          "-1",
          "99999999999",
          "stats",
          "count()",
          "dc(",
          "by",
          "timechart",
          "span=1m",
          "sort",
          "head",
          "fields",
          "top",
          "é",
          "\uD83D\uDE00",
          "\uD83D",
          "\u00A0",
          "\u0000");

  private static final List<String> VALID =
      List.of(
          "user.name:alice and event.outcome:failure",
          "source.ip:10.0.0.0/8 or destination.ip:2001:db8::/32",
          "not (user.name:adm* or user.roles:\"system:masters\") and http.response.status_code >= 500",
          "\"Failed password\" and labels.ssh.method:password | stats count(), dc(user.name) by source.ip"
              + " | sort -count() | head 10",
          "http.response.status_code >= 500 | timechart span=1m count() by url.path",
          "user.name:(alice or bob and not carol) @timestamp >= 2026-11-02T10:00:00Z | top 5 host.name",
          "url.path:/api/\\(v1\\)* | sort -@timestamp, user.name | fields user.name, url.path | head 3",
          "message:* not session.id:* | stats count() by event.action, user.roles");

  @Test
  void onlyQueryExceptionsWithAPositionInsideTheInput() throws Exception {
    long seed = TestSeeds.seed("parser fuzz");
    SplittableRandom random = new SplittableRandom(seed);
    List<StoredEvent> events = new ArrayList<>();
    EventGenerator generator =
        new EventGenerator(seed, GeneratorConfig.defaults().withEvents(2_000).withUsers(50));
    for (int i = 0; i < 2_000; i++) {
      events.add(new StoredEvent(i, generator.next()));
    }
    NaiveEvaluator naive = new NaiveEvaluator(events);
    PipelineExecutor index =
        new PipelineExecutor(new IndexSearcher(DirectoryReader.open(TestIndex.build(events, 700))));
    TimeRange all = new TimeRange(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
    RandomQueries generated = new RandomQueries(random, events);
    int parsed = 0;
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      String input =
          switch (random.nextInt(3)) {
            case 0 -> randomText(random);
            case 1 -> mutate(VALID.get(random.nextInt(VALID.size())), random);
            default ->
                mutate(random.nextBoolean() ? generated.filter() : generated.pipeline(), random);
          };
      String context = "case " + i + ", input [" + input + "], " + TestSeeds.reproduce();
      ParsedQuery query;
      try {
        query = QueryParser.parse(input);
      } catch (QueryException e) {
        checkPosition(e, input, context);
        refused++;
        continue;
      } catch (RuntimeException | Error e) {
        fail("not a QueryException: " + context, e);
        continue;
      }
      parsed++;
      try {
        assertThat(index.execute(query, all)).as(context).isEqualTo(naive.evaluate(query, all));
      } catch (RuntimeException e) {
        fail("a parsed query failed to run: " + context, e);
      }
    }
    assertThat(parsed).as("parsed").isGreaterThan(CASES / 20);
    assertThat(refused).as("refused").isGreaterThan(CASES / 10);
  }

  private static void checkPosition(QueryException e, String input, String context) {
    Matcher m = POSITION.matcher(e.getMessage());
    assertThat(m.matches()).as("message form of [" + e.getMessage() + "], " + context).isTrue();
    int line = Integer.parseInt(m.group(1));
    int column = Integer.parseInt(m.group(2));
    assertThat(line).as(context).isEqualTo(e.line());
    assertThat(column).as(context).isEqualTo(e.column());
    String[] lines = input.split("\n", -1);
    assertThat(line).as("line of [" + e.getMessage() + "], " + context).isBetween(1, lines.length);
    String text = lines[line - 1];
    assertThat(column)
        .as("column of [" + e.getMessage() + "], " + context)
        .isBetween(1, text.codePointCount(0, text.length()) + 1);
  }

  private static String randomText(SplittableRandom random) {
    StringBuilder out = new StringBuilder();
    for (int n = random.nextInt(1, 25); n > 0; n--) {
      out.append(
          random.nextInt(6) == 0
              ? (char) random.nextInt(0x20, 0x7f)
              : PIECES.get(random.nextInt(PIECES.size())));
    }
    return out.toString();
  }

  /** One to three edits: delete, duplicate, swap or insert a run, or insert a piece. */
  private static String mutate(String query, SplittableRandom random) {
    StringBuilder s = new StringBuilder(query);
    for (int edits = random.nextInt(1, 4); edits > 0; edits--) {
      int at = random.nextInt(s.length() + 1);
      int length = Math.min(s.length() - at, random.nextInt(1, 6));
      switch (random.nextInt(4)) {
        case 0 -> s.delete(at, at + length);
        case 1 -> s.insert(at, s.substring(at, at + length));
        case 2 -> {
          int other = random.nextInt(s.length() - length + 1);
          String a = s.substring(at, at + length);
          s.replace(at, at + length, s.substring(other, other + length));
          s.replace(other, other + length, a);
        }
        default -> s.insert(at, PIECES.get(random.nextInt(PIECES.size())));
      }
    }
    return s.toString();
  }
}
