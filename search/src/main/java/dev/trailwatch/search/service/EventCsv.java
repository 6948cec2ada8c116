package dev.trailwatch.search.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Field;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.event.Rfc3339;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Events and tables as CSV (RFC 4180): a header row, then one row per event; rows end with CRLF; a
 * value is quoted when it holds a comma, a double quote, CR or LF, with quotes doubled inside.
 *
 * <p>Columns of events: {@code seq}, {@code @timestamp}, then every other schema field in the order
 * of docs/EVENTS.md, with {@code labels} last but one (before {@code tenant}) as one JSON object
 * ({@code {"ssh.method":"password"}}); {@code user.roles} is a JSON array. A {@code fields} stage
 * gives exactly its fields as columns instead, where {@code labels.KEY} is the label's value. An
 * absent value is an empty cell. Times are RFC 3339 with nine fraction digits, in UTC.
 *
 * <p>Stateless and thread-safe.
 */
public final class EventCsv {
  private static final JsonFactory JSON = new JsonFactory();

  /** The column of the entry's sequence number. */
  public static final String SEQ = "seq";

  private EventCsv() {}

  /** The columns for events: those of a {@code fields} stage, or all of them. */
  public static List<String> columns(List<String> fields) {
    if (!fields.isEmpty()) {
      return fields;
    }
    List<String> all = new ArrayList<>();
    all.add(SEQ);
    for (Field f : Field.values()) {
      all.add(f.ecsName());
    }
    return all;
  }

  /** One row: the cells of {@code columns}, quoted and joined, with CRLF. */
  public static String row(List<String> cells) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(quote(cells.get(i)));
    }
    return sb.append("\r\n").toString();
  }

  /** The cells of an event for {@code columns}. */
  public static List<String> cells(List<String> columns, long seq, AccessEvent event) {
    List<String> cells = new ArrayList<>(columns.size());
    for (String c : columns) {
      cells.add(c.equals(SEQ) ? Long.toString(seq) : text(event.get(c)));
    }
    return cells;
  }

  /** A value as text: empty when absent; lists and label maps as JSON. */
  public static String text(Optional<Object> value) {
    if (value.isEmpty()) {
      return "";
    }
    return switch (value.get()) {
      case Instant t -> Rfc3339.format(t);
      case Outcome o -> o.ecsValue();
      case IpAddress ip -> ip.toString();
      case List<?> list -> json(list);
      case Map<?, ?> map -> json(map);
      default -> value.get().toString();
    };
  }

  /** RFC 4180 quoting: only where needed. */
  static String quote(String value) {
    boolean needs = false;
    for (int i = 0; i < value.length() && !needs; i++) {
      char c = value.charAt(i);
      needs = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    return needs ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }

  private static String json(Object listOrMap) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      if (listOrMap instanceof List<?> list) {
        g.writeStartArray();
        for (Object o : list) {
          g.writeString(o.toString());
        }
        g.writeEndArray();
      } else {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) listOrMap).entrySet()) {
          g.writeStringField(e.getKey().toString(), e.getValue().toString());
        }
        g.writeEndObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // into a string: cannot happen
    }
    return out.toString();
  }
}
