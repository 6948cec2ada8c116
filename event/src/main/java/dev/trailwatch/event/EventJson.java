package dev.trailwatch.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The JSON codec of {@link AccessEvent}: lenient, validating decoding of what senders write, and
 * the one canonical form that the ledger stores.
 *
 * <h2>Decoding ({@link #decode})</h2>
 *
 * <ul>
 *   <li>Keys may be nested ({@code {"user":{"name":"a"}}}), flat and dotted ({@code
 *       {"user.name":"a"}}) or any mix ({@code {"http":{"response.status_code":200}}}).
 *   <li>A JSON {@code null} is the same as an absent field.
 *   <li>Keyword and text fields take strings; numbers are accepted as the text they are written
 *       as ({@code "user.id":1000} is {@code "1000"}). {@code user.roles} takes an array of
 *       strings or a single string. Ports and status codes take integers or digit strings.
 *   <li>{@code @timestamp} takes an RFC 3339 string ({@link Rfc3339}) or an integer epoch time,
 *       as a number or a digit string: below 1e14 it is milliseconds, from 1e17 on nanoseconds;
 *       anything in between, negative or fractional is rejected with what to send instead.
 *   <li>Nothing is dropped: a field outside the schema becomes a label under its full dotted name
 *       ({@code {"process":{"pid":42}}} gives label {@code process.pid = "42"}); objects are
 *       flattened that way, arrays (and empty objects) become their compact JSON text. Values in
 *       {@code labels} follow the same rules ({@code {"labels":{"retries":3}}} gives {@code
 *       "3"}).
 *   <li>The same field given twice (in any spelling) is accepted when both values are equal and
 *       rejected when they differ.
 *   <li>Errors are collected, not stopped at: every {@link FieldError} names its field and says
 *       what to send. Input that is not one JSON object (syntax error, invalid UTF-8, content
 *       after the object) gives one error with its column. Nothing ever throws.
 * </ul>
 *
 * <h2>Canonical form ({@link #canonical}), version 1</h2>
 *
 * <p>The stored form of an event: the same event always gives the same bytes, and {@code
 * decode(canonical(e))} equals {@code e}. Exactly:
 *
 * <ul>
 *   <li>UTF-8 JSON, one object, no white space at all, no trailing newline;
 *   <li>nested objects, keys in {@link Field} order (the schema table): {@code @timestamp}, {@code
 *       event} ({@code action}, {@code outcome}, {@code category}, {@code dataset}, {@code id}),
 *       {@code user} ({@code name}, {@code id}, {@code roles}), {@code source} ({@code ip}, {@code
 *       port}), {@code destination} (same), {@code host.name}, {@code service.name}, {@code
 *       url.path}, {@code http} ({@code request.method}, {@code response.status_code}), {@code
 *       user_agent.original}, {@code resource} ({@code type}, {@code id}), {@code session.id},
 *       {@code trace.id}, {@code message}, {@code labels}, {@code tenant};
 *   <li>absent fields are omitted, and so are objects left empty, an empty {@code roles} list and
 *       empty {@code labels};
 *   <li>{@code @timestamp} as the 30-character string {@code YYYY-MM-DDThh:mm:ss.nnnnnnnnnZ}
 *       (UTC, always nine fraction digits);
 *   <li>IPs as strings in {@link IpAddress} normal form; ports and status codes as plain decimal
 *       integers; outcome as {@code "success"}, {@code "failure"} or {@code "unknown"};
 *   <li>{@code labels} as one flat object whose keys (which may contain dots) are sorted by
 *       {@link String#compareTo}; {@code roles} in their given order;
 *   <li>strings escape only {@code "} and {@code \} (as {@code \"}, {@code \\}), control
 *       characters ({@code \b \t \n \f \r}, others as {@code \}{@code u00xx}, lowercase hex) and
 *       unpaired surrogates ({@code \}{@code udxxx}); everything else, {@code /} and non-ASCII
 *       included, is written literally.
 * </ul>
 *
 * <p>Example: {@code
 * {"@timestamp":"2026-11-22T05:42:00.123456789Z","event":{"action":"login","outcome":"failure","category":"authentication","dataset":"sshd"},"user":{"name":"root"},"source":{"ip":"203.0.113.7","port":52144},"host":{"name":"bastion-1"},"message":"Failed
 * password for root from 203.0.113.7 port 52144 ssh2","labels":{"ssh.method":"password"}}}
 *
 * <p>Versioning: version 1 never contains a top-level key {@code _v}. A later version that changes
 * the form will start its objects with {@code {"_v":N,}; {@link #decodeCanonical} of this version
 * rejects such records by name instead of misreading them.
 *
 * <p>Thread-safe: all methods are static and share only an immutable parser factory and, for
 * {@link #canonical}, one reusable encoder per thread.
 */
public final class EventJson {
  /** Deepest nesting of objects and arrays accepted in one event. */
  static final int MAX_NESTING_DEPTH = 64;

  /** Longest number literal accepted, in characters. */
  static final int MAX_NUMBER_LENGTH = 1000;

  /** Longest field name accepted, in bytes. */
  static final int MAX_NAME_LENGTH = 50_000;

  /** The key reserved for a future canonical version number. */
  static final String VERSION_KEY = "_v";

  static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  .maxNumberLength(MAX_NUMBER_LENGTH)
                  .maxNameLength(MAX_NAME_LENGTH)
                  .maxStringLength(Integer.MAX_VALUE)
                  .build())
          // Attacker-chosen field names must not fill the JVM's string intern table.
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .build();

  /**
   * One encoder per thread for {@link #canonical}, so that its buffer is reused from event to event
   * instead of allocated and cleared for each. A cache, not state: every call starts afresh, and no
   * encoder keeps a buffer above {@link CanonicalEncoder#KEPT_CAPACITY}.
   */
  private static final ThreadLocal<CanonicalEncoder> ENCODERS =
      ThreadLocal.withInitial(CanonicalEncoder::new);

  private EventJson() {}

  /** Decodes one JSON event from UTF-8 bytes. Never throws. */
  public static Decoded decode(byte[] json) {
    return decode(json, 0, json.length);
  }

  /** Decodes one JSON event from {@code json[offset, offset + length)}. Never throws. */
  public static Decoded decode(byte[] json, int offset, int length) {
    ByteInput input = new ByteInput(json, offset, length);
    int bad = Utf8.firstInvalid(json, offset, offset + length);
    if (bad >= 0) {
      return input.invalidUtf8(bad - offset);
    }
    try (JsonParser p = FACTORY.createParser(json, offset, length)) {
      return JsonEventReader.read(p, input);
    } catch (IOException e) {
      // createParser and close do no I/O on a byte array.
      throw new UncheckedIOException("unexpected I/O error on an in-memory array", e);
    }
  }

  /** Decodes one JSON event from text. Never throws. */
  public static Decoded decode(String json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      return JsonEventReader.read(p, new TextInput(json));
    } catch (IOException e) {
      throw new UncheckedIOException("unexpected I/O error on a string", e);
    }
  }

  /**
   * Whether {@code json[offset, offset + length)} already is, byte for byte, the canonical form of
   * a valid event, so that it can be stored as it is: {@code canonical(decode(slice))} would give
   * the same bytes. Checked in one pass without building the event; much faster than decoding and
   * encoding. False means only "not recognised" (the input may still be valid: decode it).
   */
  public static boolean isCanonical(byte[] json, int offset, int length) {
    return CanonicalCheck.isCanonical(json, offset, length);
  }

  /**
   * Like {@link #isCanonical}; for a canonical slice also returns a copy of it with what a receiver
   * needs before storing it ({@code event.id}, {@code tenant}, the label keys), without decoding
   * the event. Empty means only "not recognised": decode it.
   */
  public static Optional<CanonicalEvent> recogniseCanonical(byte[] json, int offset, int length) {
    return CanonicalCheck.recognise(json, offset, length);
  }

  /** The canonical form of {@code event} (see the class comment). */
  public static byte[] canonical(AccessEvent event) {
    return ENCODERS.get().encode(event);
  }

  /** The canonical form of {@code event} as a string. */
  public static String canonicalString(AccessEvent event) {
    return new String(canonical(event), StandardCharsets.UTF_8);
  }

  /**
   * Reads an event back from its canonical form, as stored in the ledger. A fast path expects the
   * exact canonical layout (fixed key order, no name resolution or duplicate tracking); bytes in
   * any other layout take the general {@link #decode} path, so the result is always the event that
   * {@code decode} would give.
   *
   * @throws IllegalArgumentException when the bytes are not a version 1 canonical event (a later
   *     version, or not an event at all: the message says which and why)
   */
  public static AccessEvent decodeCanonical(byte[] canonical) {
    if (startsWithVersionKey(canonical)) {
      throw new IllegalArgumentException(
          "the stored event is in a canonical form newer than version 1 (it starts with \""
              + VERSION_KEY
              + "\"); read it with a newer Trailwatch");
    }
    return switch (CanonicalReader.read(canonical)) {
      case Decoded.Valid valid -> valid.event();
      case Decoded.Invalid invalid ->
          throw new IllegalArgumentException(
              "the stored bytes are not a canonical event: " + invalid.summary());
    };
  }

  private static boolean startsWithVersionKey(byte[] b) {
    return b.length >= 5 && b[0] == '{' && b[1] == '"' && b[2] == '_' && b[3] == 'v' && b[4] == '"';
  }

  /** Input from a UTF-8 byte range. */
  static final class ByteInput implements JsonEventReader.Input {
    private final byte[] bytes;
    private final int offset;
    private final int length;

    ByteInput(byte[] bytes, int offset, int length) {
      this.bytes = bytes;
      this.offset = offset;
      this.length = length;
    }

    @Override
    public String raw() {
      return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    @Override
    public JsonEventReader.Position position(JsonLocation location) {
      long at = location.getByteOffset();
      if (at < 0 || at > length) {
        return new JsonEventReader.Position(
            Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
      }
      return positionOfOffset((int) at);
    }

    /** The result for input with invalid UTF-8 at byte {@code at} (relative to the start). */
    Decoded invalidUtf8(int at) {
      JsonEventReader.Position position = positionOfOffset(at);
      return new Decoded.Invalid(
          List.of(
              FieldError.whole(
                  "invalid UTF-8 at "
                      + position
                      + ": byte 0x"
                      + Integer.toHexString(bytes[offset + at] & 0xff)
                      + " does not start or continue a valid character (send UTF-8 text)")),
          raw(),
          OptionalInt.of(position.column()));
    }

    /** Line and character column of byte {@code at} relative to the range start. */
    JsonEventReader.Position positionOfOffset(int at) {
      int line = 1;
      int lineStart = offset;
      for (int i = offset; i < offset + at; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      return new JsonEventReader.Position(line, Utf8.codePoints(bytes, lineStart, offset + at) + 1);
    }
  }

  /** Input from a string. */
  record TextInput(String text) implements JsonEventReader.Input {
    @Override
    public String raw() {
      return text;
    }

    @Override
    public JsonEventReader.Position position(JsonLocation location) {
      return new JsonEventReader.Position(
          Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }
  }
}
