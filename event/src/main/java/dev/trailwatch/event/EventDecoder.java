package dev.trailwatch.event;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A reusable decoder for many events on one thread, for hot paths (file import, an HTTP handler
 * thread): it decodes exactly like {@link EventJson#decode(byte[])} but reuses the strings and IP
 * addresses of values it has seen recently, which makes decoding faster and the events smaller in
 * memory. Not thread-safe: one per thread.
 */
public final class EventDecoder {
  private static final int CACHE_SLOTS = 4096;

  private final ValueCache cache = new ValueCache(CACHE_SLOTS);

  /** Decodes one JSON event from UTF-8 bytes. Never throws. */
  public Decoded decode(byte[] json) {
    return decode(json, 0, json.length);
  }

  /** Decodes one JSON event from {@code json[offset, offset + length)}. Never throws. */
  public Decoded decode(byte[] json, int offset, int length) {
    return decode(json, offset, length, cache);
  }

  static Decoded decode(byte[] json, int offset, int length, ValueCache cache) {
    EventJson.ByteInput input = new EventJson.ByteInput(json, offset, length);
    int bad = Utf8.firstInvalid(json, offset, offset + length);
    if (bad >= 0) {
      return input.invalidUtf8(bad - offset);
    }
    try (JsonParser p = EventJson.FACTORY.createParser(json, offset, length)) {
      return JsonEventReader.read(p, input, cache);
    } catch (IOException e) {
      // createParser and close do no I/O on a byte array.
      throw new UncheckedIOException("unexpected I/O error on an in-memory array", e);
    }
  }
}
