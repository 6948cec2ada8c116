package dev.trailwatch.search.query;

import dev.trailwatch.search.query.Lexer.Mode;
import dev.trailwatch.search.query.Schema.QueryField;
import dev.trailwatch.search.query.Token.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the pipeline after the filter and checks that every stage can run where it stands: while
 * the stages see events, they name fields (only those kept by an earlier {@code fields}, and not
 * {@code message} where values are needed); once {@code stats}, {@code timechart} or {@code top}
 * made a table, they name its columns, and no stage can turn a table back into events.
 *
 * <pre>
 * stage     = stats | timechart | sort | head | fields | top ;
 * stats     = "stats" aggs [ "by" name { "," name } ] ;
 * timechart = "timechart" "span" "=" duration aggs [ "by" name ] ;
 * sort      = "sort" key { "," key } ;     key = [ "-" ] ( name | agg ) ;
 * head      = "head" [ number ] ;          (* 10 when left out *)
 * fields    = "fields" name { "," name } ;
 * top       = "top" [ number ] name ;      (* 10 when left out *)
 * aggs      = agg { "," agg } ;            agg = "count" [ "(" ")" ] | "dc" "(" name ")" ;
 * </pre>
 *
 * Stage names, {@code by}, {@code span} and function names are case-insensitive.
 */
final class StageParser {
  private static final List<String> STAGES =
      List.of("stats", "timechart", "sort", "head", "fields", "top");
  private static final int DEFAULT_ROWS = 10;

  /** The longest {@code timechart} bucket: about 190 years, so that it fits in long nanoseconds. */
  private static final Duration MAX_SPAN = Duration.ofDays(70_000);

  private final Cursor cursor;

  /** While the stages see events: the fields kept by {@code fields}; empty for all. */
  private List<String> keptFields = List.of();

  /** Once a stage made a table: its columns and the stage that made it. */
  private Optional<List<String>> columns = Optional.empty();

  private String tableMaker = "";

  StageParser(Cursor cursor) {
    this.cursor = cursor;
  }

  List<Stage> stages() throws QueryException {
    List<Stage> stages = new ArrayList<>();
    while (true) {
      Token t = cursor.next(Mode.PIPELINE);
      if (t.is(Kind.END)) {
        return stages;
      }
      if (!t.is(Kind.PIPE)) {
        throw cursor.error(
            t, "unexpected " + t.describe() + " after the stage; start another stage with '|'");
      }
      stages.add(stage());
    }
  }

  private Stage stage() throws QueryException {
    Token name = cursor.next(Mode.PIPELINE);
    if (!name.is(Kind.WORD)) {
      throw cursor.error(
          name,
          "expected a stage after '|' ("
              + String.join(", ", STAGES)
              + "), found "
              + name.describe());
    }
    String stage = name.text().toLowerCase(Locale.ROOT);
    return switch (stage) {
      case "stats" -> stats(name);
      case "timechart" -> timechart(name);
      case "sort" -> sort();
      case "head" -> new Stage.Head(number(name, 0, DEFAULT_ROWS));
      case "fields" -> fields();
      case "top" -> top(name);
      default -> {
        Optional<String> near = Suggestions.nearest(name.text(), STAGES);
        throw cursor.error(
            name,
            "unknown stage "
                + name.describe()
                + (near.isPresent()
                    ? "; did you mean '" + near.get() + "'?"
                    : "; the stages are " + String.join(", ", STAGES)));
      }
    };
  }

  private Stage stats(Token name) throws QueryException {
    requireEvents(name);
    List<Aggregation> aggregations = aggregations(name);
    List<String> by = new ArrayList<>();
    if (cursor.peek(Mode.PIPELINE).isKeyword("by")) {
      cursor.next(Mode.PIPELINE);
      do {
        by.add(valuedField("group by"));
      } while (comma());
    }
    List<String> made = new ArrayList<>(by);
    aggregations.forEach(a -> made.add(a.column()));
    makeTable(name, made);
    return new Stage.Stats(aggregations, by);
  }

  private Stage timechart(Token name) throws QueryException {
    requireEvents(name);
    Token span = cursor.next(Mode.PIPELINE);
    if (!span.isKeyword("span") || !cursor.next(Mode.PIPELINE).is(Kind.EQUALS)) {
      throw cursor.error(
          span, "timechart needs span=<duration> first, like timechart span=1m count()");
    }
    Token amount = cursor.next(Mode.PIPELINE);
    Duration duration;
    try {
      duration = TimeExpressions.duration(amount.is(Kind.WORD) ? amount.text() : "");
    } catch (IllegalArgumentException e) {
      throw cursor.error(amount, "span: " + e.getMessage());
    }
    if (duration.isZero() || duration.compareTo(MAX_SPAN) > 0) {
      throw cursor.error(amount, "span: a bucket lasts from 1s to 10000w");
    }
    List<Aggregation> aggregations = aggregations(name);
    Optional<String> by = Optional.empty();
    if (cursor.peek(Mode.PIPELINE).isKeyword("by")) {
      cursor.next(Mode.PIPELINE);
      by = Optional.of(valuedField("group by"));
    }
    List<String> made = new ArrayList<>();
    made.add("_time");
    by.ifPresent(made::add);
    aggregations.forEach(a -> made.add(a.column()));
    makeTable(name, made);
    return new Stage.Timechart(duration, aggregations, by);
  }

  private Stage top(Token name) throws QueryException {
    requireEvents(name);
    int count = number(name, 1, DEFAULT_ROWS);
    String field = valuedField("count");
    makeTable(name, List.of(field, new Aggregation.Count().column()));
    return new Stage.Top(count, field);
  }

  private Stage sort() throws QueryException {
    List<Stage.SortKey> keys = new ArrayList<>();
    do {
      boolean descending = cursor.peek(Mode.PIPELINE).is(Kind.MINUS);
      if (descending) {
        cursor.next(Mode.PIPELINE);
      }
      keys.add(new Stage.SortKey(sortKey(), descending));
    } while (comma());
    return new Stage.Sort(keys);
  }

  private String sortKey() throws QueryException {
    if (columns.isEmpty()) {
      return valuedField("sort by");
    }
    Token t = cursor.peek(Mode.PIPELINE);
    String name = column();
    if (!columns.get().contains(name)) {
      throw cursor.error(t, noColumn(name));
    }
    return name;
  }

  /** A column name as a sort key or in {@code fields}: a word, or an aggregation like dc(f). */
  private String column() throws QueryException {
    Token t = cursor.peek(Mode.PIPELINE);
    if (t.is(Kind.WORD)) {
      Token after = cursor.lexer().next(t.end(), Mode.PIPELINE);
      if (after.is(Kind.LPAREN) || t.isKeyword("count")) {
        return aggregation(false).column();
      }
      cursor.next(Mode.PIPELINE);
      return Words.unescape(t.text());
    }
    throw cursor.error(t, "expected a column name, found " + t.describe());
  }

  private Stage fields() throws QueryException {
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    do {
      Token t = cursor.peek(Mode.PIPELINE);
      String name;
      if (columns.isPresent()) {
        name = column();
        if (!columns.get().contains(name)) {
          throw cursor.error(t, noColumn(name));
        }
      } else {
        name = field(cursor.next(Mode.PIPELINE), "keep").name();
      }
      if (!seen.add(name)) {
        throw cursor.error(t, "'" + name + "' is already kept");
      }
      names.add(name);
    } while (comma());
    if (columns.isPresent()) {
      columns = Optional.of(List.copyOf(names));
    } else {
      keptFields = List.copyOf(names);
    }
    return new Stage.Fields(names);
  }

  private List<Aggregation> aggregations(Token stage) throws QueryException {
    List<Aggregation> aggregations = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Token first = cursor.peek(Mode.PIPELINE);
    if (!first.is(Kind.WORD) || first.isKeyword("by")) {
      throw cursor.error(
          first,
          "expected count() or dc(field) after '" + stage.text() + "', found " + first.describe());
    }
    do {
      Token t = cursor.peek(Mode.PIPELINE);
      Aggregation a = aggregation(true);
      if (!seen.add(a.column())) {
        throw cursor.error(t, a.column() + " appears twice");
      }
      aggregations.add(a);
    } while (comma());
    return aggregations;
  }

  /**
   * {@code count()} ({@code count} alone, as in Splunk) or {@code dc(field)}. With {@code check},
   * the field must be one this stage can count; without, it only names a column, which the caller
   * looks up in the table.
   */
  private Aggregation aggregation(boolean check) throws QueryException {
    Token name = cursor.next(Mode.PIPELINE);
    String function = name.is(Kind.WORD) ? name.text().toLowerCase(Locale.ROOT) : "";
    switch (function) {
      case "count" -> {
        if (cursor.peek(Mode.PIPELINE).is(Kind.LPAREN)) {
          cursor.next(Mode.PIPELINE);
          expect(Kind.RPAREN, "')': count() takes no field");
        }
        return new Aggregation.Count();
      }
      case "dc", "distinct_count" -> {
        expect(Kind.LPAREN, "'(' after " + name.text());
        String field = check ? valuedField("count distinct values of") : name();
        expect(Kind.RPAREN, "')' after the field");
        return new Aggregation.DistinctCount(field);
      }
      default ->
          throw cursor.error(name, "expected count() or dc(field), found " + name.describe());
    }
  }

  /** A field whose values the stage reads: kept by {@code fields}, and not {@code message}. */
  private String valuedField(String purpose) throws QueryException {
    Token t = cursor.next(Mode.PIPELINE);
    QueryField field = field(t, purpose);
    if (!field.kind().hasValues()) {
      throw cursor.error(
          t,
          "cannot "
              + purpose
              + " "
              + field.name()
              + ": it is full text, searched by its words and not kept as values");
    }
    return field.name();
  }

  /** A word: a field or column name. */
  private String name() throws QueryException {
    Token t = cursor.next(Mode.PIPELINE);
    if (!t.is(Kind.WORD)) {
      throw cursor.error(t, "expected a field name, found " + t.describe());
    }
    return Words.unescape(t.text());
  }

  private QueryField field(Token t, String purpose) throws QueryException {
    if (!t.is(Kind.WORD)) {
      throw cursor.error(t, "expected a field name, found " + t.describe());
    }
    QueryField field = Schema.field(cursor, t);
    if (!keptFields.isEmpty() && !keptFields.contains(field.name())) {
      throw cursor.error(
          t,
          "cannot "
              + purpose
              + " "
              + field.name()
              + ": an earlier 'fields' kept only "
              + String.join(", ", keptFields));
    }
    return field;
  }

  /** An optional number of rows after {@code head} or {@code top}. */
  private int number(Token stage, int min, int otherwise) throws QueryException {
    Token t = cursor.peek(Mode.PIPELINE);
    boolean digits = t.is(Kind.WORD) && t.text().chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits) {
      if (stage.isKeyword("head") && !t.is(Kind.PIPE) && !t.is(Kind.END)) {
        throw cursor.error(t, "expected a number of rows after 'head', found " + t.describe());
      }
      return otherwise;
    }
    cursor.next(Mode.PIPELINE);
    long n = t.text().length() > 10 ? Long.MAX_VALUE : Long.parseLong(t.text());
    if (n < min || n > Integer.MAX_VALUE) {
      throw cursor.error(
          t, stage.text() + " takes a number from " + min + " to " + Integer.MAX_VALUE);
    }
    return (int) n;
  }

  private void requireEvents(Token stage) throws QueryException {
    if (columns.isPresent()) {
      throw cursor.error(
          stage,
          "'"
              + stage.text()
              + "' works on events, but '"
              + tableMaker
              + "' already made a table of them");
    }
  }

  private void makeTable(Token stage, List<String> made) throws QueryException {
    if (new HashSet<>(made).size() != made.size()) {
      throw cursor.error(
          stage, "'" + stage.text() + "' would make a table with two columns of the same name");
    }
    columns = Optional.of(List.copyOf(made));
    tableMaker = stage.text();
  }

  private String noColumn(String name) {
    return "the table has no column '"
        + Words.shorten(name)
        + "'; its columns are "
        + String.join(", ", columns.orElseThrow());
  }

  private boolean comma() throws QueryException {
    if (cursor.peek(Mode.PIPELINE).is(Kind.COMMA)) {
      cursor.next(Mode.PIPELINE);
      return true;
    }
    return false;
  }

  private void expect(Kind kind, String what) throws QueryException {
    Token t = cursor.next(Mode.PIPELINE);
    if (!t.is(kind)) {
      throw cursor.error(t, "expected " + what + ", found " + t.describe());
    }
  }
}
