package dev.trailwatch.ingest.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.CanonicalEvent;
import dev.trailwatch.event.Decoded;
import dev.trailwatch.event.DecodedLine;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.event.NdjsonDecoder;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.Unparsed;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The body of an ingest request ({@code POST /api/v1/events}) into events: a JSON array of events
 * (or one event object), or NDJSON; optionally gzip-compressed. Transport-independent: the HTTP
 * layer passes the stream and the headers' meaning.
 *
 * <p>Every element or line becomes an item: a valid event, or an unparsed event holding the input
 * with the reasons (the caller stores it, or refuses the batch in strict mode). Only a body that is
 * not JSON at all is refused as a whole ({@link NotJsonException}): an array whose brackets do not
 * close, or NDJSON of which no line is JSON.
 */
public final class BatchDecoder {
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
          .build();

  private BatchDecoder() {}

  /** How the body is framed, from its Content-Type. */
  public enum Framing {
    /** {@code application/json}: an array of events, or one event. */
    JSON_ARRAY,
    /**
     * {@code application/x-ndjson} (also {@code application/jsonl}, {@code application/ndjson}).
     */
    NDJSON;

    /** The framing for a Content-Type header value; empty for a type this API does not take. */
    public static Optional<Framing> ofContentType(String contentType) {
      if (contentType == null) {
        return Optional.empty();
      }
      String type = contentType;
      int semicolon = type.indexOf(';');
      if (semicolon >= 0) {
        type = type.substring(0, semicolon);
      }
      type = type.strip().toLowerCase(java.util.Locale.ROOT);
      return switch (type) {
        case "application/json" -> Optional.of(JSON_ARRAY);
        case "application/x-ndjson",
            "application/ndjson",
            "application/jsonl",
            "application/x-jsonlines",
            "application/jsonlines" ->
            Optional.of(NDJSON);
        default -> Optional.empty();
      };
    }
  }

  /**
   * One element or line of the batch: an event to store, valid or unparsed. A line that already is
   * canonical ({@link EventJson#recogniseCanonical}) is kept as its bytes and decoded only if
   * something asks for the whole event; the values a receiver checks before storing ({@link
   * #eventId}, {@link #tenant}, {@link #labelKeys}) never need that.
   */
  public static final class Item {
    private final long position;
    private final Optional<String> error;
    private final AccessEvent event; // null when only the canonical form is at hand
    private final CanonicalEvent canonical; // null when only the event is at hand

    /**
     * @param position the 1-based line (NDJSON) or element (array) number
     * @param event the event to store: valid, or unparsed
     * @param error why it is unparsed; empty for a valid event
     */
    public Item(long position, AccessEvent event, Optional<String> error) {
      this.position = position;
      this.event = requireNonNull(event, "event");
      this.error = requireNonNull(error, "error");
      this.canonical = null;
    }

    /** A valid event received in canonical form. */
    public Item(long position, CanonicalEvent canonical) {
      this.position = position;
      this.canonical = requireNonNull(canonical, "canonical");
      this.error = Optional.empty();
      this.event = null;
    }

    /** The 1-based line (NDJSON) or element (array) number. */
    public long position() {
      return position;
    }

    /** Why the event is stored as unparsed; empty for a valid event. */
    public Optional<String> error() {
      return error;
    }

    /** The event; decoded from its canonical form on each call when it came in that form. */
    public AccessEvent event() {
      return event != null ? event : canonical.decode();
    }

    /** The bytes to store. */
    public byte[] canonical() {
      return canonical != null ? canonical.bytes() : EventJson.canonical(event);
    }

    public Optional<String> eventId() {
      return canonical != null ? canonical.eventId() : event.event().id();
    }

    public Optional<String> tenant() {
      return canonical != null ? canonical.tenant() : event.tenant();
    }

    public Collection<String> labelKeys() {
      return canonical != null ? canonical.labelKeys() : event.labels().keySet();
    }
  }

  /**
   * A decoded batch.
   *
   * @param items every element or line, in order
   * @param bytes the size of the body after decompression
   */
  public record Batch(List<Item> items, long bytes) {
    /** How many items are valid events. */
    public long valid() {
      return items.stream().filter(i -> i.error().isEmpty()).count();
    }
  }

  /** The body is larger than allowed. */
  public static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    TooLargeException(long limit) {
      super("the request body is larger than " + limit + " bytes (after decompression)");
    }
  }

  /** The body is not JSON at all (or not gzip although it says so). */
  public static final class NotJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    NotJsonException(String message) {
      super(message);
    }
  }

  /**
   * Reads and decodes a body.
   *
   * @param body the request body as received
   * @param framing from the Content-Type
   * @param gzip whether the body is gzip-compressed (Content-Encoding: gzip)
   * @param maxBytes the largest body accepted, counted after decompression
   * @param context the time of receipt, for unparsed events
   */
  public static Batch decode(
      InputStream body, Framing framing, boolean gzip, long maxBytes, ParseContext context)
      throws IOException, TooLargeException, NotJsonException {
    byte[] bytes = readLimited(body, gzip, maxBytes);
    List<Item> items =
        framing == Framing.NDJSON ? ndjson(bytes, context) : jsonArray(bytes, context);
    return new Batch(items, bytes.length);
  }

  private static byte[] readLimited(InputStream body, boolean gzip, long maxBytes)
      throws IOException, TooLargeException, NotJsonException {
    InputStream in = body;
    if (gzip) {
      try {
        in = new GZIPInputStream(body, 1 << 16);
      } catch (ZipException | java.io.EOFException e) {
        throw new NotJsonException("Content-Encoding is gzip but the body is not gzip data");
      }
    }
    try {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw new TooLargeException(maxBytes);
      }
      return bytes;
    } catch (ZipException | java.io.EOFException e) {
      if (gzip) {
        throw new NotJsonException("the gzip body is damaged or cut short: " + e.getMessage());
      }
      throw e;
    }
  }

  private static List<Item> ndjson(byte[] bytes, ParseContext context) throws NotJsonException {
    List<Item> items = new ArrayList<>();
    boolean anyJson = false;
    String firstSyntaxError = null;
    NdjsonDecoder lines = NdjsonDecoder.of(bytes);
    NdjsonDecoder.Line line;
    while ((line = nextLine(lines)) != null) {
      Optional<CanonicalEvent> canonical =
          EventJson.recogniseCanonical(bytes, line.offset(), line.length());
      if (canonical.isPresent()) {
        anyJson = true;
        items.add(new Item(line.number(), canonical.get()));
        continue;
      }
      DecodedLine decoded = line.decode();
      switch (decoded.decoded()) {
        case Decoded.Valid v -> {
          anyJson = true;
          items.add(new Item(decoded.line(), v.event(), Optional.empty()));
        }
        case Decoded.Invalid i -> {
          boolean syntax = isSyntaxError(i);
          anyJson |= !syntax;
          String reason = decoded.describe();
          if (syntax && firstSyntaxError == null) {
            firstSyntaxError = reason;
          }
          items.add(
              new Item(
                  decoded.line(), Unparsed.of(i.raw(), i.summary(), context), Optional.of(reason)));
        }
      }
    }
    if (!anyJson && firstSyntaxError != null) {
      throw new NotJsonException(
          "the body is not NDJSON: no line is JSON (" + firstSyntaxError + ")");
    }
    return items;
  }

  private static NdjsonDecoder.Line nextLine(NdjsonDecoder inMemory) {
    try {
      return inMemory.nextLine();
    } catch (IOException e) {
      throw new AssertionError("an in-memory batch does no I/O", e);
    }
  }

  private static boolean isSyntaxError(Decoded.Invalid i) {
    return i.errors().size() == 1 && i.errors().get(0).field().isEmpty();
  }

  private static List<Item> jsonArray(byte[] bytes, ParseContext context)
      throws NotJsonException, IOException {
    List<Item> items = new ArrayList<>();
    try (JsonParser p = JSON.createParser(bytes)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_OBJECT) {
        long start = p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        long end = p.currentLocation().getByteOffset();
        items.add(element(1, bytes, (int) start, (int) (end - start), context));
      } else if (first == JsonToken.START_ARRAY) {
        long position = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == null) {
            throw new NotJsonException("the JSON array is not closed");
          }
          position++;
          long start = p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          long end = p.currentLocation().getByteOffset();
          items.add(element(position, bytes, (int) start, (int) (end - start), context));
        }
      } else {
        throw new NotJsonException(
            first == null
                ? "the body is empty; send a JSON array of events"
                : "expected a JSON array of events or one event object, found " + describe(first));
      }
      JsonToken after = p.nextToken();
      if (after != null) {
        throw new NotJsonException(
            "unexpected content after the JSON value, at byte "
                + p.currentTokenLocation().getByteOffset());
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new NotJsonException(
          "the body is not JSON: line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    }
    return items;
  }

  private static Item element(
      long position, byte[] bytes, int offset, int length, ParseContext context) {
    Optional<CanonicalEvent> canonical = EventJson.recogniseCanonical(bytes, offset, length);
    if (canonical.isPresent()) {
      return new Item(position, canonical.get());
    }
    Decoded d = EventJson.decode(bytes, offset, length);
    return switch (d) {
      case Decoded.Valid v -> new Item(position, v.event(), Optional.empty());
      case Decoded.Invalid i ->
          new Item(
              position,
              Unparsed.of(i.raw(), i.summary(), context),
              Optional.of("element " + position + ": " + i.summary()));
    };
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }
}
