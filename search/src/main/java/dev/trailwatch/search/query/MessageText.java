package dev.trailwatch.search.query;

import dev.trailwatch.search.index.IndexFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * The words of {@code message}, cut exactly as the index cuts them: Lucene's {@link
 * StandardAnalyzer} (Unicode word boundaries, UAX #29) without stop words, in lower case. Query
 * words go through the same analyzer, so {@code Failed} finds {@code failed}, and {@code sshd[42]:}
 * looks for the words {@code sshd}, {@code 42} next to each other.
 *
 * <p>Thread-safe: Lucene analyzers keep one token stream per thread.
 */
final class MessageText {
  /** The analyzer of the index contract for {@code message}. */
  static final Analyzer ANALYZER = IndexFields.analyzer();

  private static final String FIELD = IndexFields.MESSAGE;

  private MessageText() {}

  /**
   * The words of {@code text} in order; word {@code i} is at position {@code i}, as in the index
   * (without stop words the analyzer never skips a position, and phrase matching relies on that).
   */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    try (TokenStream stream = ANALYZER.tokenStream(FIELD, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        if (increment.getPositionIncrement() != 1) {
          throw new IllegalStateException(
              "the message analyzer skipped a position; phrase matching assumes it never does");
        }
        words.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException("reading a string cannot fail", e);
    }
    return words;
  }

  /** Lower case one code point at a time, as Lucene's {@code LowerCaseFilter} does. */
  static String lowerCase(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> out.appendCodePoint(Character.toLowerCase(cp)));
    return out.toString();
  }
}
