package dev.trailwatch.search.query;

import java.util.Locale;

/**
 * Reads the source text of an unquoted word, in which a backslash escapes the next character (the
 * lexer guarantees that one follows) and an unescaped {@code *} or {@code ?} is a wildcard.
 */
public final class Words {
  private static final int SHORT = 40;

  private Words() {}

  /** The word with its escapes resolved: {@code a\:b} is {@code a:b}, {@code \*} is {@code *}. */
  static String unescape(String raw) {
    if (raw.indexOf('\\') < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\') {
        i++;
        c = raw.charAt(i);
      }
      out.append(c);
    }
    return out.toString();
  }

  /** True when the word has an unescaped {@code *} or {@code ?}. */
  static boolean hasWildcard(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '*' || c == '?') {
        return true;
      }
    }
    return false;
  }

  /** True when the word is one or more unescaped {@code *} and nothing else: "any value". */
  static boolean isAllStars(String raw) {
    if (raw.isEmpty()) {
      return false;
    }
    for (int i = 0; i < raw.length(); i++) {
      if (raw.charAt(i) != '*') {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code text} as an error message quotes it: on one line (a line break as a backslash and {@code
   * n}, other control characters likewise or as a hex escape), and cut after {@value #SHORT}
   * characters.
   */
  public static String shorten(String text) {
    int cut = text.length();
    if (cut > SHORT) {
      cut = Character.isHighSurrogate(text.charAt(SHORT - 1)) ? SHORT - 1 : SHORT;
    }
    StringBuilder out = new StringBuilder(cut + 3);
    for (int i = 0; i < cut; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return cut < text.length() ? out.append("...").toString() : out.toString();
  }
}
