package dev.trailwatch.event;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Trailwatch's own activity, stored in the ledger beside the access events (DESIGN.md: "every read,
 * search and export is recorded as a system entry with who, what query and how many results").
 * Immutable.
 *
 * <p>Stored as one JSON object whose only key is {@value #KEY}, a key no access event can have (the
 * canonical form of an event starts with {@code @timestamp}, and an ingested event's unknown keys
 * become labels), so that the two can never be taken for each other:
 *
 * <pre>
 * {"trailwatch.system":{"kind":"search","actor":"alice-laptop","at":"2026-11-22T10:00:00.000000000Z",
 *   "query":"user.name:bob","from":"...","to":"...","results":42}}
 * </pre>
 *
 * Keys in this order; {@code from}, {@code to}, {@code format}, {@code seq} and {@code complete}
 * only where they apply. The search index skips these entries (they are not events); {@code
 * trailwatch cat} prints them as they are.
 *
 * @param kind what was done: {@link #SEARCH}, {@link #EXPORT}, {@link #READ}, {@link #TIMELINE} (or
 *     a kind a later version adds)
 * @param actor who did it: the name of the API token, or {@code cli:<user>} for the command line
 * @param at when (the server's clock)
 * @param query the query text, or what was read ({@code seq:1234}, an entity of a timeline)
 * @param from the start of the time range searched, if any
 * @param to the end of the time range searched (exclusive), if any
 * @param format the export format ({@code ndjson}, {@code csv}), for exports
 * @param seq the entry read, for reads of one entry
 * @param results how many events matched (searches) or were sent (exports, reads)
 * @param complete for exports: whether every match was sent (false when the client went away)
 */
public record SystemEntry(
    String kind,
    String actor,
    Instant at,
    String query,
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<String> format,
    OptionalLong seq,
    long results,
    Optional<Boolean> complete) {
  /** The only top-level key of a system entry. */
  public static final String KEY = "trailwatch.system";

  public static final String SEARCH = "search";
  public static final String EXPORT = "export";
  public static final String READ = "read";
  public static final String TIMELINE = "timeline";

  private static final byte[] PREFIX = ("{\"" + KEY + "\":").getBytes(StandardCharsets.UTF_8);

  public SystemEntry {
    requireNonNull(kind, "kind");
    requireNonNull(actor, "actor");
    requireNonNull(at, "at");
    requireNonNull(query, "query");
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    requireNonNull(format, "format");
    requireNonNull(seq, "seq");
    requireNonNull(complete, "complete");
    if (kind.isEmpty()) {
      throw new IllegalArgumentException("a system entry needs a kind");
    }
    if (results < 0) {
      throw new IllegalArgumentException("results must be 0 or more, not " + results);
    }
  }

  /** A search of {@code query} over {@code [from, to)} that matched {@code total} events. */
  public static SystemEntry search(
      String actor, Instant at, String query, Instant from, Instant to, long total) {
    return new SystemEntry(
        SEARCH,
        actor,
        at,
        query,
        Optional.of(from),
        Optional.of(to),
        Optional.empty(),
        OptionalLong.empty(),
        total,
        Optional.empty());
  }

  /**
   * An export of {@code query} over {@code [from, to)} that sent {@code sent} events, all of them
   * if {@code complete}.
   */
  public static SystemEntry export(
      String actor,
      Instant at,
      String query,
      Instant from,
      Instant to,
      String format,
      long sent,
      boolean complete) {
    return new SystemEntry(
        EXPORT,
        actor,
        at,
        query,
        Optional.of(from),
        Optional.of(to),
        Optional.of(format),
        OptionalLong.empty(),
        sent,
        Optional.of(complete));
  }

  /**
   * A timeline of {@code entity} ({@code user.name:alice}) over {@code [from, to]}, of {@code
   * results} events.
   */
  public static SystemEntry timeline(
      String actor, Instant at, String entity, Instant from, Instant to, long results) {
    return new SystemEntry(
        TIMELINE,
        actor,
        at,
        entity,
        Optional.of(from),
        Optional.of(to),
        Optional.empty(),
        OptionalLong.empty(),
        results,
        Optional.empty());
  }

  /** A read of the one entry {@code seq}; {@code found} is 1 or 0. */
  public static SystemEntry read(String actor, Instant at, long seq, long found) {
    return new SystemEntry(
        READ,
        actor,
        at,
        "seq:" + seq,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        OptionalLong.of(seq),
        found,
        Optional.empty());
  }

  /** The bytes stored in the ledger: compact UTF-8 JSON, keys in the order of the class comment. */
  public byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = EventJson.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName(KEY);
      g.writeStartObject();
      g.writeStringField("kind", kind);
      g.writeStringField("actor", actor);
      g.writeStringField("at", Rfc3339.format(at));
      g.writeStringField("query", query);
      if (from.isPresent()) {
        g.writeStringField("from", Rfc3339.format(from.get()));
      }
      if (to.isPresent()) {
        g.writeStringField("to", Rfc3339.format(to.get()));
      }
      if (format.isPresent()) {
        g.writeStringField("format", format.get());
      }
      if (seq.isPresent()) {
        g.writeNumberField("seq", seq.getAsLong());
      }
      g.writeNumberField("results", results);
      if (complete.isPresent()) {
        g.writeBooleanField("complete", complete.get());
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // into memory: cannot happen
    }
    return out.toByteArray();
  }

  /** Whether {@code payload} is a system entry (it starts with the key {@value #KEY}). */
  public static boolean isSystemEntry(byte[] payload) {
    if (payload.length < PREFIX.length) {
      return false;
    }
    for (int i = 0; i < PREFIX.length; i++) {
      if (payload[i] != PREFIX[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads a ledger payload: empty when it is not a system entry (an access event, say).
   *
   * @throws IllegalArgumentException when it starts as a system entry but is not a valid one
   */
  public static Optional<SystemEntry> decode(byte[] payload) {
    if (!isSystemEntry(payload)) {
      return Optional.empty();
    }
    try (JsonParser p = EventJson.FACTORY.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT
          || p.nextToken() != JsonToken.FIELD_NAME
          || p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(
            "not a valid system entry: " + KEY + " is not an object");
      }
      Fields f = new Fields();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        f.set(name, p.nextToken(), p);
      }
      if (p.currentToken() != JsonToken.END_OBJECT
          || p.nextToken() != JsonToken.END_OBJECT
          || p.nextToken() != null) {
        throw new IllegalArgumentException(
            "not a valid system entry: " + KEY + " must be the only key");
      }
      return Optional.of(f.entry());
    } catch (IOException e) {
      throw new IllegalArgumentException("not a valid system entry: " + e.getMessage(), e);
    }
  }

  /** The fields of an entry being read. */
  private static final class Fields {
    String kind;
    String actor;
    Instant at;
    String query;
    Optional<Instant> from = Optional.empty();
    Optional<Instant> to = Optional.empty();
    Optional<String> format = Optional.empty();
    OptionalLong seq = OptionalLong.empty();
    long results = -1;
    Optional<Boolean> complete = Optional.empty();

    void set(String name, JsonToken value, JsonParser p) throws IOException {
      switch (name) {
        case "kind" -> kind = text(name, value, p);
        case "actor" -> actor = text(name, value, p);
        case "at" -> at = Rfc3339.parse(text(name, value, p));
        case "query" -> query = text(name, value, p);
        case "from" -> from = Optional.of(Rfc3339.parse(text(name, value, p)));
        case "to" -> to = Optional.of(Rfc3339.parse(text(name, value, p)));
        case "format" -> format = Optional.of(text(name, value, p));
        case "seq" -> seq = OptionalLong.of(number(name, value, p));
        case "results" -> results = number(name, value, p);
        case "complete" -> {
          if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
            throw new IllegalArgumentException("system entry: complete must be true or false");
          }
          complete = Optional.of(value == JsonToken.VALUE_TRUE);
        }
        default -> p.skipChildren(); // a field of a later version
      }
    }

    SystemEntry entry() {
      if (kind == null || actor == null || at == null || query == null || results < 0) {
        throw new IllegalArgumentException(
            "not a valid system entry: kind, actor, at, query and results are required");
      }
      return new SystemEntry(kind, actor, at, query, from, to, format, seq, results, complete);
    }

    private static String text(String name, JsonToken value, JsonParser p) throws IOException {
      if (value != JsonToken.VALUE_STRING) {
        throw new IllegalArgumentException("system entry: " + name + " must be a string");
      }
      return p.getText();
    }

    private static long number(String name, JsonToken value, JsonParser p) throws IOException {
      if (value != JsonToken.VALUE_NUMBER_INT) {
        throw new IllegalArgumentException("system entry: " + name + " must be an integer");
      }
      return p.getLongValue();
    }
  }
}
