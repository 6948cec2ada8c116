package dev.trailwatch.ingest.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.InvalidEventException;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Rfc3339;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.Unparsed;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * What the parsers of JSON sources ({@link K8sAuditParser}, {@link CloudTrailParser}, {@link
 * OktaParser}, {@link MappedJsonParser}) share: one {@link ObjectMapper}, the split of a record
 * into the events it holds (a wrapper object such as CloudTrail's {@code {"Records":[...]}}, or a
 * top-level array), member lookup, timestamps, and turning a builder into an event or an unparsed
 * event.
 *
 * <p>Member lookup matches a key exactly and, failing that, ignoring case: Go's {@code
 * encoding/json} matches keys that way, so tools written in Go (Panther's exports among them) write
 * and accept {@code eventtype} for Okta's {@code eventType}. An exact match always wins.
 *
 * <p>Stateless and thread-safe: the mapper is configured once and only read.
 */
final class JsonSourceSupport {
  /**
   * The one mapper. Duplicate keys are an error: {@code {"userName":"a","userName":"b"}} names two
   * actors, and which one a reader sees differs between tools. Jackson's default stream limits
   * (nesting depth, number and string lengths) stay in force: exceeding them gives an unparsed
   * event, not an exception.
   */
  static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JsonSourceSupport() {}

  /** A record that is not what a parser expects; the message says why. Cheap: no stack trace. */
  static final class BadRecord extends Exception {
    private static final long serialVersionUID = 1L;

    BadRecord(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * One JSON value of a record that stands for one event.
   *
   * @param node the value
   * @param text its text: the whole record, or the slice of the record that the value spans when
   *     the record wraps several
   * @param where where it was, for reasons: {@code ""} for the record itself, {@code "item 3 of
   *     Records"} for a wrapped one
   */
  record Item(JsonNode node, String text, String where) {
    /** The reason prefixed with where the item was, when it was wrapped. */
    String reason(String reason) {
      return where.isEmpty() ? reason : where + ": " + reason;
    }
  }

  /**
   * The events of a record: the record itself when it is an object without the wrapper member; the
   * elements of {@code wrapperField} when it is an object whose {@code wrapperField} is an array
   * (the record's other members are ignored); the elements of a top-level array. Every item keeps
   * its own text, sliced from the record. An empty list means an empty wrapper or array.
   *
   * @param wrapperField the member that holds an array of events ({@code Records}, {@code items}),
   *     or null when the format has none
   * @throws BadRecord when the record is not JSON, is a scalar, holds content after the value, or
   *     exceeds Jackson's stream limits
   */
  static List<Item> split(String record, String wrapperField) throws BadRecord {
    try (JsonParser p = MAPPER.createParser(record)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new BadRecord("empty record, expected a JSON object");
      }
      List<Item> items;
      if (first == JsonToken.START_ARRAY) {
        items = elements(p, record, "the array");
      } else if (first == JsonToken.START_OBJECT) {
        items = object(p, record, wrapperField);
      } else {
        throw new BadRecord("expected a JSON object, found " + describe(first));
      }
      JsonToken after = p.nextToken();
      if (after != null) {
        throw new BadRecord(
            "unexpected content ("
                + describe(after)
                + ") after the JSON value at character "
                + (p.currentTokenLocation().getCharOffset() + 1));
      }
      return items;
    } catch (StreamConstraintsException e) {
      throw new BadRecord("JSON too large or too deeply nested: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new BadRecord(
          "not valid JSON: "
              + firstLine(e.getOriginalMessage())
              + " at character "
              + (e.getLocation() == null ? "?" : e.getLocation().getCharOffset() + 1));
    } catch (IOException e) {
      // Reading a String does no I/O; keep the contract anyway.
      throw new BadRecord("could not read the JSON: " + e.getMessage());
    }
  }

  /** At START_OBJECT: the object as one item, or the wrapper's elements. */
  private static List<Item> object(JsonParser p, String record, String wrapperField)
      throws IOException {
    ObjectNode top = MAPPER.createObjectNode();
    List<Item> wrapped = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (wrapped == null && value == JsonToken.START_ARRAY && name.equals(wrapperField)) {
        wrapped = elements(p, record, wrapperField);
      } else {
        top.set(name, MAPPER.readTree(p));
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new IOException("unexpected token " + t); // not reached: the parser checks syntax
    }
    return wrapped != null ? wrapped : List.of(new Item(top, record, ""));
  }

  /** At START_ARRAY: each element with its text. */
  private static List<Item> elements(JsonParser p, String record, String what) throws IOException {
    List<Item> items = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new IOException("unexpected end of input"); // not reached: the parser checks syntax
      }
      int start = (int) p.currentTokenLocation().getCharOffset();
      JsonNode node = MAPPER.readTree(p);
      int end = (int) p.currentLocation().getCharOffset();
      String text =
          start >= 0 && end > start && end <= record.length()
              ? record.substring(start, end)
              : node.toString();
      items.add(new Item(node, text, "item " + (items.size() + 1) + " of " + what));
    }
    return items;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "syntax error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** What a token is, in words: "a string", "an array", ... */
  static String describe(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }

  /** What a node is, in words. */
  static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    return switch (n.getNodeType()) {
      case OBJECT, POJO -> "an object";
      case ARRAY -> "an array";
      case STRING, BINARY -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL, MISSING -> "null";
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Members

  /**
   * The member {@code name} of {@code node}: matched exactly, else ignoring case; null when {@code
   * node} is not an object or has no such member.
   */
  static JsonNode member(JsonNode node, String name) {
    if (node == null || !node.isObject()) {
      return null;
    }
    JsonNode exact = node.get(name);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The value at a path of member names, or null. */
  static JsonNode at(JsonNode node, String... path) {
    JsonNode n = node;
    for (String name : path) {
      n = member(n, name);
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  /**
   * The text of the scalar at a path: a string as it is, a number or boolean as JSON writes it.
   * Null when absent, JSON null, an empty string, an object or an array: optional fields of the
   * wrong type are treated as absent (the record stays in {@code message}).
   */
  static String text(JsonNode node, String... path) {
    return scalarText(at(node, path));
  }

  /** The text of a scalar node as {@link #text} defines it. */
  static String scalarText(JsonNode n) {
    if (n == null || !n.isValueNode() || n.isNull()) {
      return null;
    }
    String s = n.isTextual() ? n.textValue() : n.toString();
    return s == null || s.isEmpty() ? null : s;
  }

  /** A boolean at a path, from a JSON boolean or the strings true/false/yes/no; else null. */
  static Boolean bool(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    if (n == null) {
      return null;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isTextual()) {
      String s = n.textValue();
      if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("yes")) {
        return Boolean.TRUE;
      }
      if (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("no")) {
        return Boolean.FALSE;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Values

  /**
   * Parses a timestamp: RFC 3339 ({@link Rfc3339}, a space allowed for the {@code T}); a date and
   * time without an offset ({@code 2022-03-16 19:17:41.5}, as Panther's exports write them) is in
   * {@code zone}.
   *
   * @throws IllegalArgumentException with the RFC 3339 parser's message
   */
  static Instant instant(String text, ZoneId zone) {
    try {
      return Rfc3339.parse(text);
    } catch (IllegalArgumentException e) {
      if (!lacksOffset(text)) {
        throw e;
      }
      Instant asUtc;
      try {
        asUtc = Rfc3339.parse(text + "Z");
      } catch (IllegalArgumentException again) {
        throw e;
      }
      return zone.equals(ZoneOffset.UTC)
          ? asUtc
          : LocalDateTime.ofInstant(asUtc, ZoneOffset.UTC).atZone(zone).toInstant();
    }
  }

  /** {@code YYYY-MM-DD?hh:mm:ss} followed by nothing or a fraction only. */
  private static boolean lacksOffset(String s) {
    if (s.length() < 19 || s.length() > 29) {
      return false;
    }
    if (s.length() == 19) {
      return true;
    }
    if (s.charAt(19) != '.') {
      return false;
    }
    for (int i = 20; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return s.length() > 20;
  }

  /**
   * Sets {@code source.ip} when {@code value} is an IP address, else the label {@code
   * source.address} (a host or service name, or an address written in a form that is not strict,
   * such as {@code 10.01.0.1}). Nothing when null.
   */
  static void sourceAddress(AccessEvent.Builder b, String value) {
    if (value == null) {
      return;
    }
    IpAddress.tryParse(value)
        .ifPresentOrElse(b::sourceIp, () -> b.label(SOURCE_ADDRESS_LABEL, value));
  }

  /** The label of a source that is not an IP address: ECS's {@code source.address}. */
  static final String SOURCE_ADDRESS_LABEL = "source.address";

  /** Sets a label when the value is present. */
  static void label(AccessEvent.Builder b, String key, String value) {
    if (value != null) {
      b.label(key, value);
    }
  }

  /** The event, or an unparsed event saying what is invalid. */
  static AccessEvent build(AccessEvent.Builder b, Item item, String dataset, ParseContext context) {
    try {
      return b.build();
    } catch (InvalidEventException e) {
      return unparsed(item, dataset, e.getMessage(), context);
    }
  }

  /**
   * Splits a record ({@link #split}) and hands every item's event to {@code out}: an unparsed event
   * for a record that cannot be split, for an empty wrapper, and for an item whose mapping throws
   * (a parser bug must not lose the record).
   *
   * @param emptyReason what to say when the wrapper or array holds nothing
   * @param event maps one item to its event
   */
  static void eachEvent(
      String record,
      String wrapperField,
      String dataset,
      String emptyReason,
      ParseContext context,
      Consumer<AccessEvent> out,
      BiFunction<Item, ParseContext, AccessEvent> event) {
    List<Item> items;
    try {
      items = split(record, wrapperField);
    } catch (BadRecord e) {
      out.accept(Unparsed.of(record, dataset + ": " + e.getMessage(), context));
      return;
    }
    if (items.isEmpty()) {
      out.accept(Unparsed.of(record, dataset + ": " + emptyReason, context));
      return;
    }
    for (Item item : items) {
      try {
        out.accept(event.apply(item, context));
      } catch (RuntimeException e) {
        out.accept(unparsed(item, dataset, "parser failed: " + e, context));
      }
    }
  }

  /** An unparsed event for one item, its reason prefixed with the dataset and where it was. */
  static AccessEvent unparsed(Item item, String dataset, String reason, ParseContext context) {
    return Unparsed.of(item.text(), dataset + ": " + item.reason(reason), context);
  }

  /** The text before the first {@code ?} (a URI's path). */
  static String pathOf(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }
}
