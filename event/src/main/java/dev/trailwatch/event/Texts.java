package dev.trailwatch.event;

/** Small text helpers for error messages. */
final class Texts {
  /** Values longer than this are cut in messages. */
  static final int MAX_QUOTED = 80;

  private Texts() {}

  /**
   * {@code 'value'} for an error message: cut after {@value #MAX_QUOTED} characters (with {@code …}
   * and the full length), control characters shown as {@code \\uXXXX} so that a message stays on
   * one line.
   */
  static String quote(String value) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_QUOTED) + 16).append('\'');
    int end = Math.min(value.length(), MAX_QUOTED);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (value.length() > MAX_QUOTED) {
      out.append("…' (").append(value.length()).append(" characters)");
    } else {
      out.append('\'');
    }
    return out.toString();
  }
}
