package dev.trailwatch.search.query;

import dev.trailwatch.search.query.Lexer.Mode;

/** A parser's position in the query text, and the errors it raises there. Not thread-safe. */
final class Cursor {
  private final Lexer lexer;
  private int pos;

  Cursor(String text) {
    this.lexer = new Lexer(text);
  }

  Lexer lexer() {
    return lexer;
  }

  /** The next token, read in {@code mode}, without moving. */
  Token peek(Mode mode) throws QueryException {
    return lexer.next(pos, mode);
  }

  /** The next token, read in {@code mode}; moves past it. */
  Token next(Mode mode) throws QueryException {
    Token t = lexer.next(pos, mode);
    pos = t.end();
    return t;
  }

  /** The text of {@code token} as the query wrote it, quotes and escapes included. */
  String source(Token token) {
    return lexer.text().substring(token.start(), token.end());
  }

  /** A problem at {@code token}. */
  QueryException error(Token token, String problem) {
    return QueryException.at(lexer.text(), token.start(), problem);
  }

  /**
   * Where {@code earlier} is, for a message about {@code current} that points back to it: {@code
   * column 5} on the same line, {@code line 2, column 5} on another.
   */
  String where(Token earlier, Token current) {
    QueryException then = QueryException.at(lexer.text(), earlier.start(), "");
    QueryException now = QueryException.at(lexer.text(), current.start(), "");
    return (then.line() == now.line() ? "" : "line " + then.line() + ", ")
        + "column "
        + then.column();
  }
}
