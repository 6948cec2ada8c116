package dev.trailwatch.search.query;

import dev.trailwatch.search.query.Token.Kind;

/**
 * Cuts query text into tokens on demand. What a word may contain depends on where the parser is, so
 * the parser names a {@link Mode} with every request; the lexer keeps no state, and reading the
 * same position twice gives the same token.
 *
 * <ul>
 *   <li>{@link Mode#FILTER}: a word ends at white space or one of {@code ( ) " : < > = |}, each of
 *       which is a token of its own ({@code >=} and {@code <=} are one token).
 *   <li>{@link Mode#VALUE}, after {@code :} or a comparison: a word ends only at white space or one
 *       of {@code ( ) " |}, so that {@code 2001:db8::/32} and {@code 2026-11-02T10:00:00Z} are one
 *       word.
 *   <li>{@link Mode#PIPELINE}, after the first {@code |}: a word ends at white space or one of
 *       {@code ( ) " , | =}; a {@code -} that starts a token is a token of its own.
 * </ul>
 *
 * <p>In every mode a backslash makes the next character part of the word ({@code \:}, {@code \*},
 * {@code \ }); a word keeps its backslashes for {@link Words} to interpret. A quoted text runs to
 * the next unescaped {@code "}, line breaks included; its escapes are resolved. White space is what
 * Java calls white space or a space character (so a no-break space separates words too).
 */
final class Lexer {
  enum Mode {
    FILTER,
    VALUE,
    PIPELINE
  }

  private final String text;

  Lexer(String text) {
    this.text = text;
  }

  String text() {
    return text;
  }

  /** The token that starts at or after {@code pos} (white space is skipped). */
  Token next(int pos, Mode mode) throws QueryException {
    int i = skipSpace(pos);
    if (i >= text.length()) {
      return new Token(Kind.END, text.length(), text.length(), "");
    }
    char c = text.charAt(i);
    switch (c) {
      case '(':
        return single(Kind.LPAREN, i);
      case ')':
        return single(Kind.RPAREN, i);
      case '|':
        return single(Kind.PIPE, i);
      case '"':
        return quoted(i);
      default:
        break;
    }
    if (mode == Mode.FILTER) {
      switch (c) {
        case ':':
          return single(Kind.COLON, i);
        case '=':
          return single(Kind.EQUALS, i);
        case '<', '>':
          int end = i + 1 < text.length() && text.charAt(i + 1) == '=' ? i + 2 : i + 1;
          return new Token(Kind.COMPARISON, i, end, text.substring(i, end));
        default:
          break;
      }
    } else if (mode == Mode.PIPELINE) {
      switch (c) {
        case ',':
          return single(Kind.COMMA, i);
        case '=':
          return single(Kind.EQUALS, i);
        case '-':
          return single(Kind.MINUS, i);
        default:
          break;
      }
    }
    return word(i, mode);
  }

  private int skipSpace(int pos) {
    int i = pos;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      if (!Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) {
        break;
      }
      i += Character.charCount(cp);
    }
    return i;
  }

  private Token single(Kind kind, int i) {
    return new Token(kind, i, i + 1, text.substring(i, i + 1));
  }

  private Token word(int start, Mode mode) throws QueryException {
    int i = start;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      if (cp == '\\') {
        i = escaped(i);
        continue;
      }
      if (endsWord(cp, mode)) {
        break;
      }
      i += Character.charCount(cp);
    }
    return new Token(Kind.WORD, start, i, text.substring(start, i));
  }

  private static boolean endsWord(int cp, Mode mode) {
    if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
      return true;
    }
    return switch (cp) {
      case '(', ')', '"', '|' -> true;
      case ':', '<', '>' -> mode == Mode.FILTER;
      case '=' -> mode != Mode.VALUE;
      case ',' -> mode == Mode.PIPELINE;
      default -> false;
    };
  }

  /** Skips a backslash at {@code i} and the character it escapes; returns the index after both. */
  private int escaped(int i) throws QueryException {
    if (i + 1 >= text.length()) {
      throw QueryException.at(text, i, "a '\\' at the end of the query escapes nothing");
    }
    return i + 1 + Character.charCount(text.codePointAt(i + 1));
  }

  private Token quoted(int start) throws QueryException {
    StringBuilder content = new StringBuilder();
    int i = start + 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"') {
        return new Token(Kind.QUOTED, start, i + 1, content.toString());
      }
      if (c == '\\') {
        int after = escaped(i);
        content.append(text, i + 1, after);
        i = after;
      } else {
        content.append(c);
        i++;
      }
    }
    throw QueryException.at(text, start, "the quote that starts here is never closed");
  }
}
