package dev.trailwatch.event;

/**
 * JSON string escaping shared by the canonical encoder and the reader's compact copies: {@code "}
 * and {@code \} escaped, control characters as {@code \b \t \n \f \r} or {@code \}{@code u00xx}
 * (lowercase hex), unpaired surrogates as {@code \}{@code udxxx}, everything else literal.
 */
final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  static void appendQuoted(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        out.append(c);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else {
        String escape = escape(c);
        if (escape != null) {
          out.append(escape);
        } else {
          out.append("\\u")
              .append(HEX[c >>> 12])
              .append(HEX[(c >>> 8) & 0xf])
              .append(HEX[(c >>> 4) & 0xf])
              .append(HEX[c & 0xf]);
        }
      }
    }
    out.append('"');
  }

  /** The short escape of {@code c}, or null when it has none and needs {@code \}{@code uXXXX}. */
  static String escape(char c) {
    return switch (c) {
      case '"' -> "\\\"";
      case '\\' -> "\\\\";
      case '\b' -> "\\b";
      case '\t' -> "\\t";
      case '\n' -> "\\n";
      case '\f' -> "\\f";
      case '\r' -> "\\r";
      default -> null;
    };
  }

  static char hex(int nibble) {
    return HEX[nibble];
  }
}
