package dev.trailwatch.search.query;

/**
 * A query or time expression that cannot be run, told to the person who wrote it: the message is
 * {@code line L, column C: problem}, for example {@code line 1, column 17: expected a value after
 * ':'}. Lines and columns count from 1; a column counts characters (Unicode code points) from the
 * start of its line, and a problem at the end of the text points just past its last character.
 *
 * <p>Checked on purpose: every caller (the HTTP API, the CLI, detection rules) must turn it into a
 * clear answer for the user, never into an internal error.
 */
public final class QueryException extends Exception {
  private final int line;
  private final int column;
  private final String problem;

  /**
   * @param line line of the problem, from 1
   * @param column column of the problem in its line, from 1
   * @param problem what is wrong, without the position
   */
  public QueryException(int line, int column, String problem) {
    super("line " + line + ", column " + column + ": " + problem);
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column count from 1: " + line + ", " + column);
    }
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  /** The problem at {@code offset} (a {@code char} index, at most its length) in {@code text}. */
  static QueryException at(String text, int offset, String problem) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new QueryException(line, text.codePointCount(lineStart, offset) + 1, problem);
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** What is wrong, without the position. */
  public String problem() {
    return problem;
  }
}
