package dev.trailwatch.search.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/QUERY.md tells the truth: every line of a {@code query} block parses; a one-line {@code
 * query} block followed by a {@code text} block gives that output on the sample data of {@code
 * trailwatch generate} (seed 1, 100,000 events) over its week; every pair of lines in an {@code
 * errors} block is a query and its exact error.
 */
class QueryDocsTest {
  private static final Path DOC = Path.of("..", "docs", "QUERY.md");
  private static final TimeRange WEEK =
      new TimeRange(Instant.parse("2026-11-02T00:00:00Z"), Instant.parse("2026-11-09T00:00:00Z"));

  /** A fenced block of the document: its info string and lines. */
  private record Block(String info, List<String> lines) {}

  @Test
  void everyQueryParsesAndEveryErrorIsAsShown() throws Exception {
    List<Block> blocks = blocks();
    int queries = 0;
    int errors = 0;
    for (Block b : blocks) {
      if (b.info().equals("query")) {
        for (String line : b.lines()) {
          QueryParser.parse(line);
          queries++;
        }
      } else if (b.info().equals("errors")) {
        for (int i = 0; i + 1 < b.lines().size(); i += 2) {
          String query = b.lines().get(i);
          assertThatThrownBy(() -> QueryParser.parse(query))
              .as(query)
              .hasMessage(b.lines().get(i + 1));
          errors++;
        }
      }
    }
    assertThat(queries).isGreaterThan(15);
    assertThat(errors).isGreaterThan(8);
  }

  @Test
  void everyShownOutputIsWhatTheSampleDataGives() throws Exception {
    List<StoredEvent> sample = new ArrayList<>();
    EventGenerator generator =
        new EventGenerator(1, GeneratorConfig.defaults().withEvents(100_000));
    Map<Long, AccessEvent> bySeq = new HashMap<>();
    for (long seq = 0; seq < 100_000; seq++) {
      AccessEvent e = generator.next();
      sample.add(new StoredEvent(seq, e));
      bySeq.put(seq, e);
    }
    NaiveEvaluator naive = new NaiveEvaluator(sample);
    List<Block> blocks = blocks();
    int checked = 0;
    for (int i = 0; i + 1 < blocks.size(); i++) {
      Block query = blocks.get(i);
      Block output = blocks.get(i + 1);
      if (query.info().equals("query")
          && query.lines().size() == 1
          && output.info().equals("text")) {
        Result result = naive.evaluate(QueryParser.parse(query.lines().getFirst()), WEEK);
        assertThat(render(result, bySeq))
            .as(query.lines().getFirst())
            .isEqualTo(String.join("\n", output.lines()));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(8);
  }

  private static List<Block> blocks() throws IOException {
    List<Block> blocks = new ArrayList<>();
    String info = null;
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
      if (line.startsWith("```")) {
        if (info == null) {
          info = line.substring(3).strip();
          lines = new ArrayList<>();
        } else {
          blocks.add(new Block(info, lines));
          info = null;
        }
      } else if (info != null && !line.isBlank()) {
        lines.add(line);
      }
    }
    return blocks;
  }

  /** A result as the document shows it: aligned columns, (absent) for no value. */
  private static String render(Result result, Map<Long, AccessEvent> bySeq) {
    List<String> columns;
    List<List<String>> rows = new ArrayList<>();
    if (result instanceof Table t) {
      columns = t.columns();
      for (List<Value> row : t.rows()) {
        rows.add(row.stream().map(QueryDocsTest::cell).toList());
      }
    } else {
      Hits hits = (Hits) result;
      columns = hits.fields();
      for (long seq : hits.seqs()) {
        AccessEvent e = bySeq.get(seq);
        rows.add(
            columns.stream()
                .map(f -> NaiveEvaluator.values(e, f))
                .map(
                    v ->
                        v.isEmpty()
                            ? "(absent)"
                            : v.stream().map(QueryDocsTest::cell).collect(Collectors.joining(", ")))
                .toList());
      }
    }
    int[] widths = new int[columns.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = columns.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(line(columns, widths));
    rows.forEach(row -> lines.add(line(row, widths)));
    return String.join("\n", lines);
  }

  private static String cell(Value v) {
    return v instanceof Value.Absent ? "(absent)" : v.toString();
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder out = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      out.append(cells.get(c)).append(" ".repeat(widths[c] - cells.get(c).length() + 2));
    }
    return out.toString().stripTrailing();
  }
}
