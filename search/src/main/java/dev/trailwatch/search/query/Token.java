package dev.trailwatch.search.query;

/**
 * One token of a query, at {@code [start, end)} of the query text.
 *
 * @param text for a {@link Kind#WORD}, the source text with its backslash escapes (see {@link
 *     Words}); for {@link Kind#QUOTED}, the text between the quotes with escapes resolved; for
 *     {@link Kind#COMPARISON}, the operator; otherwise the character itself, or empty at the end
 */
record Token(Kind kind, int start, int end, String text) {
  enum Kind {
    WORD,
    QUOTED,
    LPAREN,
    RPAREN,
    COLON,
    COMPARISON,
    PIPE,
    COMMA,
    EQUALS,
    MINUS,
    END
  }

  boolean is(Kind k) {
    return kind == k;
  }

  /** True for an unescaped word that is {@code keyword}, in any case ({@code and}, {@code AND}). */
  boolean isKeyword(String keyword) {
    return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
  }

  /** How an error message names this token: {@code 'alice'}, {@code ')'}, the end of the query. */
  String describe() {
    return switch (kind) {
      case END -> "the end of the query";
      case QUOTED -> "the quoted text \"" + Words.shorten(text) + "\"";
      default -> "'" + Words.shorten(text) + "'";
    };
  }
}
