package dev.trailwatch.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.util.Locale;

/**
 * Turns Jackson's syntax exceptions into short sentences for users: what is wrong, in JSON terms,
 * without Jackson's internals (source descriptions, feature names, token type names).
 */
final class SyntaxErrors {
  private SyntaxErrors() {}

  static String describe(JsonProcessingException e) {
    String original = e.getOriginalMessage();
    String m = original == null ? "" : original;
    if (e instanceof StreamConstraintsException) {
      return limit(m);
    }
    if (e instanceof JsonEOFException || m.startsWith("Unexpected end-of-input")) {
      return m.contains("VALUE_STRING") || m.contains("String value") || m.contains("closing quote")
          ? "the input ends inside a string (missing closing '\"'?)"
          : m.contains("Array")
              ? "the input ends before the array is closed with ']'"
              : "the input ends before the object is closed with '}'";
    }
    if (m.startsWith("Unexpected character (")) {
      String c = quotedChar(m);
      boolean inNumber = m.contains(") in numeric value");
      String expected = inNumber ? afterFirst(m, "in numeric value: ") : afterFirst(m, "): ");
      String where = inNumber ? " in a number" : "";
      return "unexpected character " + c + where + expectation(expected);
    }
    if (m.startsWith("Unrecognized token '")) {
      String token = m.substring("Unrecognized token ".length(), m.indexOf("':") + 1);
      return "unrecognized word "
          + clip(token)
          + ": a value must be a \"string\", a number, an object, an array, true, false or null";
    }
    if (m.startsWith("Illegal unquoted character")) {
      return "control character "
          + codeOf(m)
          + " inside a string must be escaped (as \\n, \\t or \\u00XX)";
    }
    if (m.startsWith("Illegal character")) {
      return "control character " + codeOf(m) + " is not allowed outside strings";
    }
    if (m.startsWith("Unrecognized character escape")) {
      return "invalid escape "
          + escapeOf(m)
          + " in a string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)";
    }
    if (m.contains("Leading zeroes not allowed")) {
      return "numbers must not have leading zeros";
    }
    if (m.startsWith("Non-standard token")) {
      return "NaN and Infinity are not JSON numbers";
    }
    if (m.startsWith("Unexpected close marker '")) {
      char c = m.charAt("Unexpected close marker '".length());
      return "unexpected '"
          + c
          + "'"
          + (c == ']' ? ": no array is open here" : ": no object is open here");
    }
    if (m.startsWith("Invalid UTF-8")) {
      return "invalid UTF-8";
    }
    return clean(m);
  }

  private static String limit(String m) {
    String lower = m.toLowerCase(Locale.ROOT);
    if (lower.contains("nesting depth")) {
      return "objects and arrays are nested more than "
          + EventJson.MAX_NESTING_DEPTH
          + " levels deep";
    }
    if (lower.contains("number value length") || lower.contains("number length")) {
      return "a number has more than " + EventJson.MAX_NUMBER_LENGTH + " characters";
    }
    if (lower.contains("name length")) {
      return "a field name is longer than " + EventJson.MAX_NAME_LENGTH + " bytes";
    }
    if (lower.contains("string value length") || lower.contains("string length")) {
      return "a string is longer than the supported maximum";
    }
    return "the input exceeds a size limit of the JSON reader";
  }

  private static String expectation(String jackson) {
    if (jackson.isEmpty()) {
      return "";
    }
    if (jackson.startsWith("was expecting double-quote to start field name")) {
      return ": expected '\"' to start a field name";
    }
    if (jackson.startsWith("was expecting comma to separate Object entries")) {
      return ": expected ',' or '}' after a value in an object";
    }
    if (jackson.startsWith("was expecting comma to separate Array entries")) {
      return ": expected ',' or ']' after a value in an array";
    }
    if (jackson.startsWith("was expecting a colon")) {
      return ": expected ':' after the field name";
    }
    if (jackson.startsWith("expected a valid value") || jackson.startsWith("expected a value")) {
      return ": expected a value (a \"string\", a number, an object, an array, true, false or"
          + " null)";
    }
    if (jackson.startsWith("expected a hex-digit")) {
      return ": \\u must be followed by four hex digits";
    }
    if (jackson.contains("plus sign")) {
      return ": JSON numbers have no '+' sign";
    }
    if (jackson.contains("Decimal point not followed by a digit")) {
      return ": a decimal point must be followed by a digit";
    }
    if (jackson.contains("to follow minus sign")) {
      return ": a '-' must be followed by a digit";
    }
    if (jackson.contains("separating root-level values")) {
      return ": only one JSON value may stand on a line";
    }
    if (jackson.contains("exponent indicator")) {
      return ": an exponent 'e' must be followed by digits";
    }
    if (jackson.contains("comment")) {
      return ": JSON has no comments";
    }
    return ": " + clean(jackson);
  }

  /** The character in {@code ('x' (code 120))}, shown safely. */
  private static String quotedChar(String m) {
    int code = codeNumber(m);
    if (code < 0) {
      return "";
    }
    if (code < 0x20 || code == 0x7f || (code >= 0x80 && code < 0xa0)) {
      return String.format(Locale.ROOT, "U+%04X", code);
    }
    return "'" + new String(Character.toChars(code)) + "'";
  }

  private static String codeOf(String m) {
    int code = codeNumber(m);
    return code < 0 ? "" : String.format(Locale.ROOT, "U+%04X", code);
  }

  private static String escapeOf(String m) {
    int code = codeNumber(m);
    return code < 0x20 || code > 0x7e ? "'\\' + " + codeOf(m) : "'\\" + (char) code + "'";
  }

  /** The number after {@code code }, or -1. */
  private static int codeNumber(String m) {
    int at = m.indexOf("code ");
    if (at < 0) {
      return -1;
    }
    int i = at + 5;
    int value = 0;
    int digits = 0;
    while (i < m.length() && Character.isDigit(m.charAt(i)) && digits < 8) {
      value = value * 10 + (m.charAt(i) - '0');
      i++;
      digits++;
    }
    return digits == 0 ? -1 : value;
  }

  private static String afterFirst(String m, String marker) {
    int at = m.indexOf(marker);
    return at < 0 ? "" : m.substring(at + marker.length());
  }

  private static String clip(String s) {
    return s.length() <= Texts.MAX_QUOTED ? s : s.substring(0, Texts.MAX_QUOTED) + "…'";
  }

  /**
   * A Jackson message with its internals removed: only the first line, no {@code [Source: ...]}
   * location, no {@code `Feature`} hints, no {@code (code N)}.
   */
  static String clean(String m) {
    String s = m;
    int nl = s.indexOf('\n');
    if (nl >= 0) {
      s = s.substring(0, nl);
    }
    int source = s.indexOf(" (start marker at [Source");
    if (source < 0) {
      source = s.indexOf(" (for Object starting at [Source");
    }
    if (source < 0) {
      source = s.indexOf(" (for Array starting at [Source");
    }
    if (source < 0) {
      source = s.indexOf("[Source");
    }
    if (source >= 0) {
      s = s.substring(0, source);
    }
    for (String internal : new String[] {": enable `", " (not recognized", "`", "Feature"}) {
      int at = s.indexOf(internal);
      if (at >= 0) {
        s = s.substring(0, at);
      }
    }
    s = s.replaceAll(" \\(code \\d+\\)", "").strip();
    if (s.isEmpty()) {
      return "the input is not valid JSON";
    }
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
