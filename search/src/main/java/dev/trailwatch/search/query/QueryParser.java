package dev.trailwatch.search.query;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.search.query.Lexer.Mode;
import dev.trailwatch.search.query.Schema.QueryField;
import dev.trailwatch.search.query.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a query: a filter in the style of Kibana's KQL, then pipeline stages after {@code |}
 * ({@link StageParser}). A hand-written recursive-descent parser; the grammar, in EBNF, is in
 * docs/QUERY.md and in the methods below:
 *
 * <pre>
 * query   = [ or ] { "|" stage } ;
 * or      = and { "or" and } ;
 * and     = not { [ "and" ] not } ;       (* adjacent terms: an implicit "and" *)
 * not     = "not" not | primary ;
 * primary = "(" or ")" | field ":" values | field compare value | text ;
 * values  = value | "(" vOr ")" ;          (* vOr, vAnd, vNot: as or, and, not, over values *)
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
                java.util.Locale.ROOT,
                "unpaired surrogate U+%04X: the query is not valid Unicode",
                (int) c));
      }
    }
    return new QueryParser(text).query();
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
      }
      clauses.add(not());
    }
    return clauses.size() == 1 ? clauses.getFirst() : new Filter.And(clauses);
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
    switch (t.kind()) {
      case LPAREN -> {
        enter(t);
        Filter inner = or();
        close(t, Mode.FILTER);
        depth--;
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
          QueryField field = Schema.field(cursor.lexer(), t);
          cursor.next(Mode.FILTER);
          return values(field, next);
        }
        if (next.is(Kind.COMPARISON)) {
          QueryField field = Schema.field(cursor.lexer(), t);
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
    return FieldTerms.match(cursor, field, value);
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

  private Filter valueAnd(QueryField field) throws QueryException {
    List<Filter> clauses = new ArrayList<>();
    clauses.add(valueNot(field));
    while (true) {
      Token t = cursor.peek(Mode.VALUE);
      if (t.isKeyword("and")) {
        cursor.next(Mode.VALUE);
        requireValue(t);
      } else if (!startsValue(t)) {
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
    if (!startsValue(t)) {
      throw cursor.error(t, "expected a value after '" + op.text() + "', found " + t.describe());
    }
  }

  private static boolean startsTerm(Token t) {
    return t.is(Kind.LPAREN) || t.is(Kind.QUOTED) || (t.is(Kind.WORD) && !isOperator(t));
  }

  private static boolean startsValue(Token t) {
    return startsTerm(t);
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
