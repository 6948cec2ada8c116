package dev.trailwatch.search.query;

import java.util.ArrayList;
import java.util.List;

/**
 * A value pattern: {@code *} stands for any text (also none), {@code ?} for exactly one character
 * (one Unicode code point), everything else for itself. It matches a whole value, not a part.
 *
 * @param parts the pattern, with adjacent literals joined and runs of {@code *} collapsed into one
 */
public record Wildcard(List<Part> parts) {
  /** A piece of a pattern. */
  public sealed interface Part {}

  /** Text that must appear as it is. */
  public record Literal(String text) implements Part {}

  /** {@code ?}: exactly one character. */
  public record AnyChar() implements Part {}

  /** {@code *}: any text, also none. */
  public record AnyText() implements Part {}

  private static final Part ONE = new AnyChar();
  private static final Part ANY = new AnyText();

  public Wildcard {
    parts = List.copyOf(parts);
  }

  /** The pattern of an unquoted word (see {@link Words}): unescaped {@code *} and {@code ?}. */
  static Wildcard parse(String raw) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\') {
        literal.append(raw.charAt(++i));
      } else if (c == '*' || c == '?') {
        if (!literal.isEmpty()) {
          parts.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        if (c == '?') {
          parts.add(ONE);
        } else if (parts.isEmpty() || !(parts.getLast() instanceof AnyText)) {
          parts.add(ANY);
        }
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      parts.add(new Literal(literal.toString()));
    }
    return new Wildcard(parts);
  }

  /**
   * The same pattern with its literal text in lower case, one code point at a time as Lucene's
   * {@code LowerCaseFilter} does, to match the words of {@code message}.
   */
  Wildcard lowerCase() {
    List<Part> lower = new ArrayList<>(parts.size());
    for (Part p : parts) {
      lower.add(p instanceof Literal l ? new Literal(MessageText.lowerCase(l.text())) : p);
    }
    return new Wildcard(lower);
  }

  /** The pattern in the syntax of Lucene's {@code WildcardQuery}, literal {@code * ? \} escaped. */
  String toLucene() {
    StringBuilder out = new StringBuilder();
    for (Part p : parts) {
      switch (p) {
        case AnyChar a -> out.append('?');
        case AnyText a -> out.append('*');
        case Literal l -> {
          for (int i = 0; i < l.text().length(); i++) {
            char c = l.text().charAt(i);
            if (c == '*' || c == '?' || c == '\\') {
              out.append('\\');
            }
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /**
   * True when the whole of {@code value} matches. The reference semantics, by dynamic programming
   * over code points: linear in the product of the lengths, whatever the pattern.
   */
  public boolean matches(String value) {
    int[] text = value.codePoints().toArray();
    // matched[j]: the pattern so far matches text[0, j).
    boolean[] matched = new boolean[text.length + 1];
    boolean[] next = new boolean[text.length + 1];
    matched[0] = true;
    for (Part p : parts) {
      switch (p) {
        case AnyText a -> {
          for (int j = 1; j <= text.length; j++) {
            matched[j] |= matched[j - 1];
          }
        }
        case AnyChar a -> {
          shift(matched, next, text, -1);
          boolean[] swap = matched;
          matched = next;
          next = swap;
        }
        case Literal l -> {
          for (int i = 0; i < l.text().length(); ) {
            int cp = l.text().codePointAt(i);
            shift(matched, next, text, cp);
            boolean[] swap = matched;
            matched = next;
            next = swap;
            i += Character.charCount(cp);
          }
        }
      }
    }
    return matched[text.length];
  }

  /** One more pattern code point ({@code -1}: any): {@code to[j] = from[j-1] && text[j-1] fits}. */
  private static void shift(boolean[] from, boolean[] to, int[] text, int cp) {
    to[0] = false;
    for (int j = 1; j <= text.length; j++) {
      to[j] = from[j - 1] && (cp == -1 || text[j - 1] == cp);
    }
  }

  /** The pattern as it is written in a query, escapes included. */
  @Override
  public String toString() {
    return toLucene();
  }
}
