package dev.trailwatch.search.query;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.search.query.Lexer.Mode;
import dev.trailwatch.search.query.Schema.QueryField;
import dev.trailwatch.search.query.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a query: a filter in the style of Kibana's KQL, then pipeline stages after {@code |}
 * ({@link StageParser}). A hand-written recursive-descent parser; the grammar, in EBNF, is in
 * docs/QUERY.md and in the methods below:
 *
 * <pre>
 * query   = [ or ] { "|" stage } ;
 * or      = and { "or" and } ;
 * and     = not { [ "and" ] not } ;       (* side by side: "and", see and() *)
 * not     = "not" not | primary ;
 * primary = "(" or ")" | field ":" values | field compare value | text ;
 * values  = value | "(" vOr ")" ;          (* vOr, vAnd, vNot: as or, and, not, over values,
 *                                          but values side by side are an error *)
 * </pre>
 *
 * <p>Keywords ({@code and}, {@code or}, {@code not}) are case-insensitive; quote them to search for
 * the word. Every problem is a {@link QueryException} with its position; limits on nesting ({@value
 * #MAX_DEPTH}) and on the number of conditions ({@value #MAX_CONDITIONS}) keep any input from
 * overflowing the stack or Lucene's clause limit. Not thread-safe; use {@link #parse}.
 */
public final class QueryParser {
  /** The deepest nesting of parentheses and {@code not}. */
  static final int MAX_DEPTH = 64;

  /** The most field and text conditions in one query (Lucene allows 1024 clauses). */
  static final int MAX_CONDITIONS = 512;

  private final Cursor cursor;
  private int depth;
  private int conditions;

  /**
   * The {@code field:value} term just read, with a single value and no parentheses: a word right
   * after it is ambiguous (see {@link #and}). Empty after any other term.
   */
  private Optional<FieldValue> lastFieldValue = Optional.empty();

  private record FieldValue(String field, Token value) {}

  private QueryParser(String text) {
    this.cursor = new Cursor(text);
  }

  /**
   * Parses and checks a query.
   *
   * @throws QueryException for any problem, with its line and column
   */
  public static ParsedQuery parse(String text) throws QueryException {
    requireNonNull(text, "text");
    requireValidUnicode(text);
    return new QueryParser(text).query();
  }

  /** Refuses unpaired surrogates, which Lucene would turn into U+FFFD behind the user's back. */
  private static void requireValidUnicode(String text) throws QueryException {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw QueryException.at(
            text,
            i,
            String.format(
                Locale.ROOT, "unpaired surrogate U+%04X: the query is not valid Unicode", (int) c));
      }
    }
  }

  private ParsedQuery query() throws QueryException {
    Token first = cursor.peek(Mode.FILTER);
    Filter filter = first.is(Kind.PIPE) || first.is(Kind.END) ? new Filter.All() : or();
    Token after = cursor.peek(Mode.FILTER);
    if (after.is(Kind.RPAREN)) {
      throw cursor.error(after, "unexpected ')': there is no '(' to close");
    }
    if (!after.is(Kind.PIPE) && !after.is(Kind.END)) {
      throw cursor.error(after, "unexpected " + after.describe() + " after a complete term");
    }
    return new ParsedQuery(filter, new StageParser(cursor).stages());
  }

  private Filter or() throws QueryException {
    List<Filter> clauses = new ArrayList<>();
    clauses.add(and());
    while (cursor.peek(Mode.FILTER).isKeyword("or")) {
      Token op = cursor.next(Mode.FILTER);
      requireTerm(op);
      clauses.add(and());
    }
    return clauses.size() == 1 ? clauses.getFirst() : new Filter.Or(clauses);
  }

  /**
   * Terms joined by {@code and}, or side by side. A bare word or phrase right after {@code
   * field:value} is refused: Kibana reads {@code status:400 401} as two values of one field, this
   * language would read it as a value and a word of {@code message}, so the user must say which.
   */
  private Filter and() throws QueryException {
    List<Filter> clauses = new ArrayList<>();
    clauses.add(not());
    while (true) {
      Token t = cursor.peek(Mode.FILTER);
      if (t.isKeyword("and")) {
        cursor.next(Mode.FILTER);
        requireTerm(t);
      } else if (!startsTerm(t)) {
        break;
      } else if (lastFieldValue.isPresent() && isText(t)) {
        throw ambiguous(lastFieldValue.get(), t);
      }
      clauses.add(not());
    }
    return clauses.size() == 1 ? clauses.getFirst() : new Filter.And(clauses);
  }

  private QueryException ambiguous(FieldValue term, Token next) {
    String field = term.field();
    String value = Words.shorten(cursor.source(term.value()));
    String word = Words.shorten(cursor.source(next));
    String quoted = word.startsWith("\"") ? word : "'" + word + "'";
    return cursor.error(
        next,
        "is "
            + quoted
            + " another value of "
            + field
            + " or a word to search for? Write "
            + field
            + ":("
            + value
            + " or "
            + word
            + ") for either value, or put 'and' before "
            + quoted);
  }

  /** True when {@code t} starts a bare word or phrase, not a field term or a group. */
  private boolean isText(Token t) throws QueryException {
    if (t.is(Kind.QUOTED)) {
      return true;
    }
    if (!t.is(Kind.WORD) || t.isKeyword("not")) {
      return false;
    }
    Kind after = cursor.lexer().next(t.end(), Mode.FILTER).kind();
    return after != Kind.COLON && after != Kind.COMPARISON && after != Kind.EQUALS;
  }

  private Filter not() throws QueryException {
    Token t = cursor.peek(Mode.FILTER);
    if (!t.isKeyword("not")) {
      return primary();
    }
    cursor.next(Mode.FILTER);
    requireTerm(t);
    enter(t);
    Filter clause = not();
    depth--;
    return new Filter.Not(clause);
  }

  private Filter primary() throws QueryException {
    Token t = cursor.next(Mode.FILTER);
    lastFieldValue = Optional.empty();
    switch (t.kind()) {
      case LPAREN -> {
        enter(t);
        Filter inner = or();
        close(t, Mode.FILTER);
        depth--;
        lastFieldValue = Optional.empty();
        return inner;
      }
      case QUOTED -> {
        count(t);
        return FieldTerms.text(cursor, t);
      }
      case WORD -> {
        if (isOperator(t)) {
          throw cursor.error(t, "expected a term before '" + t.text() + "'");
        }
        Token next = cursor.peek(Mode.FILTER);
        if (next.is(Kind.COLON)) {
          QueryField field = Schema.field(cursor, t);
          cursor.next(Mode.FILTER);
          return values(field, next);
        }
        if (next.is(Kind.COMPARISON)) {
          QueryField field = Schema.field(cursor, t);
          cursor.next(Mode.FILTER);
          Token value = value(next, Mode.VALUE);
          count(value);
          return FieldTerms.compare(cursor, field, Comparison.of(next.text()), value);
        }
        if (next.is(Kind.EQUALS)) {
          throw cursor.error(next, "unexpected '='; write field:value, like user.name:alice");
        }
        if (Words.isAllStars(t.text())) {
          return new Filter.All();
        }
        count(t);
        return FieldTerms.text(cursor, t);
      }
      default -> throw cursor.error(t, "expected a term, found " + t.describe());
    }
  }

  /** After {@code field:}: one value, or a group of values in parentheses. */
  private Filter values(QueryField field, Token colon) throws QueryException {
    if (cursor.peek(Mode.VALUE).is(Kind.LPAREN)) {
      Token open = cursor.next(Mode.VALUE);
      enter(open);
      Filter group = valueOr(field);
      close(open, Mode.VALUE);
      depth--;
      return group;
    }
    Token value = value(colon, Mode.VALUE);
    count(value);
    Filter term = FieldTerms.match(cursor, field, value);
    lastFieldValue = Optional.of(new FieldValue(field.name(), value));
    return term;
  }

  private Filter valueOr(QueryField field) throws QueryException {
    List<Filter> clauses = new ArrayList<>();
    clauses.add(valueAnd(field));
    while (cursor.peek(Mode.VALUE).isKeyword("or")) {
      Token op = cursor.next(Mode.VALUE);
      requireValue(op);
      clauses.add(valueAnd(field));
    }
    return clauses.size() == 1 ? clauses.getFirst() : new Filter.Or(clauses);
  }

  /** Values joined by {@code and}; in a group of values, side by side is an error. */
  private Filter valueAnd(QueryField field) throws QueryException {
    List<Filter> clauses = new ArrayList<>();
    clauses.add(valueNot(field));
    while (true) {
      Token t = cursor.peek(Mode.VALUE);
      if (t.isKeyword("and")) {
        cursor.next(Mode.VALUE);
        requireValue(t);
      } else if (startsTerm(t)) {
        throw cursor.error(
            t,
            "expected 'or', 'and' or ')' before "
                + t.describe()
                + ": in a group, say how values combine, like "
                + field.name()
                + ":(a or b)");
      } else {
        break;
      }
      clauses.add(valueNot(field));
    }
    return clauses.size() == 1 ? clauses.getFirst() : new Filter.And(clauses);
  }

  private Filter valueNot(QueryField field) throws QueryException {
    Token t = cursor.next(Mode.VALUE);
    if (t.isKeyword("not")) {
      requireValue(t);
      enter(t);
      Filter clause = valueNot(field);
      depth--;
      return new Filter.Not(clause);
    }
    if (t.is(Kind.LPAREN)) {
      enter(t);
      Filter inner = valueOr(field);
      close(t, Mode.VALUE);
      depth--;
      return inner;
    }
    if (t.is(Kind.QUOTED) || (t.is(Kind.WORD) && !isOperator(t))) {
      count(t);
      return FieldTerms.match(cursor, field, t);
    }
    throw cursor.error(t, "expected a value, found " + t.describe());
  }

  /** The value after {@code :} or a comparison {@code op}. */
  private Token value(Token op, Mode mode) throws QueryException {
    Token t = cursor.next(mode);
    if (t.is(Kind.QUOTED) || (t.is(Kind.WORD) && !isKeyword(t))) {
      return t;
    }
    String hint =
        isKeyword(t) ? "; to search for the word '" + t.text() + "', put it in quotes" : "";
    throw cursor.error(t, "expected a value after '" + op.text() + "'" + hint);
  }

  private void close(Token open, Mode mode) throws QueryException {
    Token t = cursor.next(mode);
    if (!t.is(Kind.RPAREN)) {
      throw cursor.error(
          t,
          "expected ')' to close the '(' at " + cursor.where(open, t) + ", found " + t.describe());
    }
  }

  /** After {@code and}, {@code or} or {@code not}, a term must follow. */
  private void requireTerm(Token op) throws QueryException {
    Token t = cursor.peek(Mode.FILTER);
    if (!startsTerm(t)) {
      throw cursor.error(t, "expected a term after '" + op.text() + "', found " + t.describe());
    }
  }

  private void requireValue(Token op) throws QueryException {
    Token t = cursor.peek(Mode.VALUE);
    if (!startsTerm(t)) {
      throw cursor.error(t, "expected a value after '" + op.text() + "', found " + t.describe());
    }
  }

  private static boolean startsTerm(Token t) {
    return t.is(Kind.LPAREN) || t.is(Kind.QUOTED) || (t.is(Kind.WORD) && !isOperator(t));
  }

  /** {@code and} or {@code or}: a word that joins terms and cannot start one. */
  private static boolean isOperator(Token t) {
    return t.isKeyword("and") || t.isKeyword("or");
  }

  private static boolean isKeyword(Token t) {
    return isOperator(t) || t.isKeyword("not");
  }

  private void enter(Token t) throws QueryException {
    if (++depth > MAX_DEPTH) {
      throw cursor.error(
          t, "the query nests parentheses and 'not' more than " + MAX_DEPTH + " deep");
    }
  }

  private void count(Token t) throws QueryException {
    if (++conditions > MAX_CONDITIONS) {
      throw cursor.error(
          t, "the query has more than " + MAX_CONDITIONS + " conditions; split it or use a group");
    }
  }
}
