package dev.trailwatch.search.query;

/**
 * Reads the source text of an unquoted word, in which a backslash escapes the next character (the
 * lexer guarantees that one follows) and an unescaped {@code *} or {@code ?} is a wildcard.
 */
final class Words {
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

  /** {@code text}, cut to a length that fits in an error message. */
  static String shorten(String text) {
    if (text.length() <= SHORT) {
      return text;
    }
    int cut = SHORT;
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut) + "...";
  }
}
