package dev.trailwatch.event;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads one JSON object from a streaming parser into an {@link AccessEvent.Builder}: nested, flat
 * dotted and mixed keys (resolved through {@link PathNode}), type checks with messages, duplicate
 * detection, unknown fields kept as labels. One instance per document; not thread-safe.
 */
final class JsonEventReader {
  static final String SEND_INSTEAD =
      "send epoch milliseconds (below 1e14), epoch nanoseconds (1e17 or more) or an RFC 3339"
          + " string such as 2024-05-01T12:34:56.789Z";

  private static final long MILLIS_LIMIT = 100_000_000_000_000L; // 1e14
  private static final long NANOS_FLOOR = 100_000_000_000_000_000L; // 1e17

  /** A 1-based line and character column in the input. */
  record Position(int line, int column) {
    @Override
    public String toString() {
      return line > 1 ? "line " + line + ", column " + column : "column " + column;
    }
  }

  /** Where the text being parsed comes from: for raw text and error positions. */
  interface Input {
    String raw();

    /** The position of a parser location. */
    Position position(JsonLocation location);
  }

  private final JsonParser p;
  private final Input input;
  private final AccessEvent.Builder b = AccessEvent.builder();
  private boolean rootClosed;

  private JsonEventReader(JsonParser p, Input input) {
    this.p = p;
    this.input = input;
  }

  /** Reads the whole input; never throws. */
  static Decoded read(JsonParser p, Input input) {
    JsonEventReader r = new JsonEventReader(p, input);
    try {
      Optional<Decoded> notAnObject = r.readDocument();
      if (notAnObject.isPresent()) {
        return notAnObject.get();
      }
      // Every value was checked as it was read: only missing fields remain to be found.
      List<FieldError> problems = r.b.hasErrors() ? r.b.problems() : r.b.missing();
      if (!problems.isEmpty()) {
        return new Decoded.Invalid(problems, input.raw());
      }
      return new Decoded.Valid(r.b.construct());
    } catch (JsonProcessingException e) {
      return r.syntaxError(e);
    } catch (IOException | RuntimeException e) {
      // Not expected for in-memory input; reported rather than thrown so that one line cannot
      // stop an import. The fuzz test checks that this never happens.
      return new Decoded.Invalid(
          List.of(
              FieldError.whole(
                  "internal error while decoding (please report this input): "
                      + e.getClass().getSimpleName())),
          input.raw());
    }
  }

  /** Reads the object into the builder; the result for input that is not one object, if so. */
  private Optional<Decoded> readDocument() throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      return Optional.of(
          invalidAt(p.currentLocation(), "the input is empty", "expected a JSON object"));
    }
    if (t != JsonToken.START_OBJECT) {
      return Optional.of(
          invalidAt(
              p.currentTokenLocation(), "not a JSON object", "expected {...}, got " + describe(t)));
    }
    readObject(PathNode.ROOT);
    rootClosed = true;
    t = p.nextToken();
    if (t != null) {
      return Optional.of(
          invalidAt(
              p.currentTokenLocation(),
              "unexpected content after the end of the JSON object",
              "send one object per line, with nothing after it"));
    }
    return Optional.empty();
  }

  /** {@code "<what> at column N: <detail>"} as the single error of the input. */
  private Decoded invalidAt(JsonLocation location, String what, String detail) {
    Position at = input.position(location);
    return new Decoded.Invalid(
        List.of(FieldError.whole(what + " at " + at + ": " + detail)),
        input.raw(),
        OptionalInt.of(at.column()));
  }

  private Decoded syntaxError(JsonProcessingException e) {
    JsonLocation location = e.getLocation() != null ? e.getLocation() : p.currentLocation();
    String detail = SyntaxErrors.describe(e);
    return rootClosed
        ? invalidAt(location, "unexpected content after the end of the JSON object", detail)
        : invalidAt(location, "not valid JSON", detail);
  }

  // ---------------------------------------------------------------------------------------------
  // Objects

  private void readObject(PathNode node) throws IOException {
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      Object target = node.resolve(name);
      if (target instanceof PathNode n) {
        if (n.field != null) {
          readLeaf(n.field, v);
        } else if (n.labels) {
          readLabels(v);
        } else {
          readInner(n, v);
        }
      } else if (target instanceof PathNode.LabelEntry entry) {
        readFree(v, entry.keyPrefix());
      } else {
        readFree(v, node.path.isEmpty() ? name : node.path + "." + name);
      }
    }
  }

  private void readInner(PathNode node, JsonToken v) throws IOException {
    if (v == JsonToken.START_OBJECT) {
      readObject(node);
    } else if (v != JsonToken.VALUE_NULL) {
      b.error(
          new FieldError(
              node.path,
              "expected an object (with fields such as "
                  + node.example
                  + "), got "
                  + describe(v)
                  + "; write {\""
                  + node.path
                  + "\":{...}} or dotted names like \""
                  + node.example
                  + "\""));
      p.skipChildren();
    }
  }

  private void readLabels(JsonToken v) throws IOException {
    if (v == JsonToken.START_OBJECT) {
      readFree(v, "");
    } else if (v != JsonToken.VALUE_NULL) {
      b.error(
          new FieldError(
              "labels",
              "expected an object of label names and values, like {\"env\":\"prod\"}, got "
                  + describe(v)));
      p.skipChildren();
    }
  }

  /**
   * A value outside the schema, or inside {@code labels}: scalars become their text, objects are
   * flattened to dotted keys, arrays (and empty objects) become their compact JSON text.
   */
  private void readFree(JsonToken v, String key) throws IOException {
    switch (v) {
      case VALUE_NULL -> {}
      case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE ->
          putLabel(key, p.getText());
      case START_ARRAY -> {
        StringBuilder json = new StringBuilder();
        copyJson(v, json);
        putLabel(key, json.toString());
      }
      case START_OBJECT -> {
        boolean any = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          any = true;
          String name = p.currentName();
          JsonToken child = p.nextToken();
          readFree(child, key.isEmpty() ? name : key + "." + name);
        }
        if (!any && !key.isEmpty()) {
          putLabel(key, "{}");
        }
      }
      default -> throw new IllegalStateException("unexpected token " + v);
    }
  }

  private void putLabel(String key, String value) {
    if (key.isEmpty()) {
      b.error(
          new FieldError(
              "labels", "a field or label has an empty name; every value needs a name to be kept"));
      return;
    }
    String previous = b.labelValue(key);
    if (previous == null) {
      b.label(key, value);
    } else if (!previous.equals(value)) {
      b.error(new FieldError("labels." + key, twice(previous, value)));
    }
  }

  /** Writes the value starting at token {@code t} as compact JSON. */
  private void copyJson(JsonToken t, StringBuilder out) throws IOException {
    switch (t) {
      case START_ARRAY -> {
        out.append('[');
        JsonToken next;
        boolean first = true;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          if (!first) {
            out.append(',');
          }
          first = false;
          copyJson(next, out);
        }
        out.append(']');
      }
      case START_OBJECT -> {
        out.append('{');
        boolean first = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          if (!first) {
            out.append(',');
          }
          first = false;
          JsonText.appendQuoted(p.currentName(), out);
          out.append(':');
          copyJson(p.nextToken(), out);
        }
        out.append('}');
      }
      case VALUE_STRING -> JsonText.appendQuoted(p.getText(), out);
      default -> out.append(p.getText());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Schema fields

  private void readLeaf(Field f, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return;
    }
    switch (f.type()) {
      case KEYWORD, TEXT -> {
        if (!isScalarText(v)) {
          typeError(f, "a string", v);
          return;
        }
        String text = p.getText();
        if (text.isEmpty() && f.type() == Field.Type.KEYWORD) {
          b.error(new FieldError(f.ecsName(), Checks.EMPTY_KEYWORD));
        } else {
          set(f, text);
        }
      }
      case OUTCOME -> {
        if (v != JsonToken.VALUE_STRING) {
          typeError(f, "one of " + Outcome.ALLOWED, v);
          return;
        }
        String text = p.getText();
        Outcome outcome =
            switch (text) {
              case "success" -> Outcome.SUCCESS;
              case "failure" -> Outcome.FAILURE;
              case "unknown" -> Outcome.UNKNOWN;
              default -> null;
            };
        if (outcome == null) {
          b.error(
              new FieldError(f.ecsName(), Texts.quote(text) + " is not one of " + Outcome.ALLOWED));
        } else {
          set(f, outcome);
        }
      }
      case IP -> {
        if (v != JsonToken.VALUE_STRING) {
          typeError(f, "an IP address as a string", v);
          return;
        }
        try {
          set(f, IpAddress.parse(p.getText()));
        } catch (IllegalArgumentException e) {
          b.error(new FieldError(f.ecsName(), e.getMessage()));
        }
      }
      case INT -> readInt(f, v);
      case INSTANT -> readInstant(f, v);
      case KEYWORD_LIST -> readKeywordList(f, v);
      case KEYWORD_MAP -> throw new IllegalStateException("labels are not a leaf");
    }
  }

  private void readInt(Field f, JsonToken v) throws IOException {
    long value;
    if (v == JsonToken.VALUE_NUMBER_INT) {
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        b.error(new FieldError(f.ecsName(), clip(p.getText()) + " is out of range " + range(f)));
        return;
      }
      value = p.getLongValue();
    } else if (v == JsonToken.VALUE_STRING && isDigits(p.getText(), 9)) {
      value = Long.parseLong(p.getText());
    } else if (v == JsonToken.VALUE_STRING) {
      b.error(
          new FieldError(
              f.ecsName(), Texts.quote(p.getText()) + " is not an integer in range " + range(f)));
      return;
    } else {
      typeError(f, "an integer " + range(f), v);
      return;
    }
    if (value < f.minValue() || value > f.maxValue()) {
      b.error(new FieldError(f.ecsName(), Checks.outOfRange(f, value)));
      return;
    }
    set(f, (int) value);
  }

  /** {@code "min..max"}: for messages only, built when one is needed. */
  private static String range(Field f) {
    return f.minValue() + ".." + f.maxValue();
  }

  private void readInstant(Field f, JsonToken v) throws IOException {
    switch (v) {
      case VALUE_STRING -> {
        if (p.getTextLength() == Rfc3339.CANONICAL_LENGTH) {
          // Fast path for the common (and canonical) form, straight from the parser's buffer.
          try {
            set(f, Rfc3339.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
            return;
          } catch (IllegalArgumentException e) {
            // Fall through for the full treatment and message.
          }
        }
        String text = p.getText();
        if (isDigits(text, Integer.MAX_VALUE)) {
          epoch(f, text);
        } else if (text.length() > 1 && text.charAt(0) == '-' && isDigits(text.substring(1), 40)) {
          b.error(
              new FieldError(
                  f.ecsName(), clip(text) + " is a negative epoch time; " + SEND_INSTEAD));
        } else {
          try {
            set(f, Rfc3339.parse(text));
          } catch (IllegalArgumentException e) {
            b.error(new FieldError(f.ecsName(), e.getMessage()));
          }
        }
      }
      case VALUE_NUMBER_INT -> epoch(f, p.getText());
      case VALUE_NUMBER_FLOAT ->
          b.error(
              new FieldError(
                  f.ecsName(),
                  clip(p.getText())
                      + " is not an integer; "
                      + SEND_INSTEAD
                      + " (fractions of a second go in the RFC 3339 string)"));
      default ->
          typeError(
              f, "an RFC 3339 string or an integer epoch time in milliseconds or nanoseconds", v);
    }
  }

  /** {@code digits}: an integer literal, possibly signed. */
  private void epoch(Field f, String digits) {
    if (digits.startsWith("-")) {
      b.error(
          new FieldError(f.ecsName(), clip(digits) + " is a negative epoch time; " + SEND_INSTEAD));
      return;
    }
    String trimmed = stripLeadingZeros(digits);
    if (trimmed.length() > 19
        || (trimmed.length() == 19 && trimmed.compareTo(Long.toString(Long.MAX_VALUE)) > 0)) {
      b.error(
          new FieldError(
              f.ecsName(),
              clip(digits)
                  + " is too large for epoch nanoseconds (at most "
                  + Long.MAX_VALUE
                  + ", in the year 2262); "
                  + SEND_INSTEAD));
      return;
    }
    long value = Long.parseLong(trimmed);
    if (value < MILLIS_LIMIT) {
      set(f, Instant.ofEpochMilli(value));
    } else if (value >= NANOS_FLOOR) {
      set(f, Instant.ofEpochSecond(value / 1_000_000_000L, value % 1_000_000_000L));
    } else {
      b.error(
          new FieldError(
              f.ecsName(),
              digits
                  + " is ambiguous: between 1e14 and 1e17 it is neither plausible epoch milliseconds"
                  + " nor epoch nanoseconds (microseconds are not accepted); "
                  + SEND_INSTEAD));
    }
  }

  private void readKeywordList(Field f, JsonToken v) throws IOException {
    if (isScalarText(v)) {
      String text = p.getText();
      if (text.isEmpty()) {
        b.error(new FieldError(f.ecsName(), Checks.EMPTY_KEYWORD));
      } else {
        set(f, List.of(text));
      }
      return;
    }
    if (v != JsonToken.START_ARRAY) {
      typeError(f, "a string or an array of strings", v);
      return;
    }
    List<String> values = new ArrayList<>(4);
    boolean ok = true;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (isScalarText(t) && p.getTextLength() > 0) {
        values.add(p.getText());
      } else if (isScalarText(t)) {
        ok = false;
        b.error(
            new FieldError(
                f.ecsName(),
                "entry "
                    + (values.size() + 1)
                    + " is empty; every entry must be a non-empty string"));
        values.add("");
      } else {
        ok = false;
        b.error(
            new FieldError(
                f.ecsName(),
                "entry " + (values.size() + 1) + " must be a string, got " + describe(t)));
        p.skipChildren();
        values.add("");
      }
    }
    if (ok && !values.isEmpty()) {
      set(f, List.copyOf(values));
    }
  }

  private void set(Field f, Object value) {
    Object previous = b.value(f);
    if (previous == null) {
      b.put(f, value);
    } else if (!previous.equals(value)) {
      b.error(new FieldError(f.ecsName(), twice(show(previous), show(value))));
    }
  }

  private void typeError(Field f, String expected, JsonToken v) throws IOException {
    b.error(new FieldError(f.ecsName(), "expected " + expected + ", got " + describe(v)));
    p.skipChildren();
  }

  private static String twice(String first, String second) {
    return "given twice with different values, "
        + Texts.quote(first)
        + " and "
        + Texts.quote(second)
        + "; send it once";
  }

  private static String show(Object value) {
    if (value instanceof Instant t) {
      return Rfc3339.format(t);
    }
    return String.valueOf(value);
  }

  private String describe(JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_STRING -> "the string " + Texts.quote(p.getText());
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + clip(p.getText());
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      case VALUE_NULL -> "null";
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      default -> String.valueOf(t.asString());
    };
  }

  private static boolean isScalarText(JsonToken t) {
    return t == JsonToken.VALUE_STRING
        || t == JsonToken.VALUE_NUMBER_INT
        || t == JsonToken.VALUE_NUMBER_FLOAT;
  }

  /** True for 1 to {@code maxDigits} ASCII digits. */
  private static boolean isDigits(String s, int maxDigits) {
    if (s.isEmpty() || s.length() > maxDigits) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static String stripLeadingZeros(String digits) {
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  private static String clip(String s) {
    return s.length() <= Texts.MAX_QUOTED ? s : s.substring(0, Texts.MAX_QUOTED) + "…";
  }
}
