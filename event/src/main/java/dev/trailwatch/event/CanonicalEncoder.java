package dev.trailwatch.event;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Writes the canonical JSON form of events (specified in {@link EventJson}) with a reusable buffer:
 * for loops that encode many events. Hand-written rather than through a JSON generator so that
 * every byte is fixed by this class alone.
 *
 * <p>Not thread-safe: one encoder per thread. {@link EventJson#canonical} is the thread-safe
 * one-shot form.
 */
public final class CanonicalEncoder {
  private static final byte[] TIMESTAMP = bytes("{\"@timestamp\":\"");
  private static final byte[] EVENT_ACTION = bytes(",\"event\":{\"action\":");
  private static final byte[] OUTCOME = bytes(",\"outcome\":\"");
  private static final byte[] CATEGORY = bytes("\"category\":");
  private static final byte[] DATASET = bytes("\"dataset\":");
  private static final byte[] ID = bytes("\"id\":");
  private static final byte[] USER = bytes(",\"user\":{");
  private static final byte[] NAME = bytes("\"name\":");
  private static final byte[] ROLES = bytes("\"roles\":[");
  private static final byte[] SOURCE = bytes(",\"source\":{");
  private static final byte[] DESTINATION = bytes(",\"destination\":{");
  private static final byte[] IP = bytes("\"ip\":\"");
  private static final byte[] PORT = bytes("\"port\":");
  private static final byte[] HOST = bytes(",\"host\":{\"name\":");
  private static final byte[] SERVICE = bytes(",\"service\":{\"name\":");
  private static final byte[] URL = bytes(",\"url\":{\"path\":");
  private static final byte[] HTTP = bytes(",\"http\":{");
  private static final byte[] REQUEST_METHOD = bytes("\"request\":{\"method\":");
  private static final byte[] RESPONSE_STATUS = bytes("\"response\":{\"status_code\":");
  private static final byte[] USER_AGENT = bytes(",\"user_agent\":{\"original\":");
  private static final byte[] RESOURCE = bytes(",\"resource\":{");
  private static final byte[] TYPE = bytes("\"type\":");
  private static final byte[] SESSION = bytes(",\"session\":{\"id\":");
  private static final byte[] TRACE = bytes(",\"trace\":{\"id\":");
  private static final byte[] MESSAGE = bytes(",\"message\":");
  private static final byte[] LABELS = bytes(",\"labels\":{");
  private static final byte[] TENANT = bytes(",\"tenant\":");
  private static final byte[][] OUTCOMES = {
    bytes("success\""), bytes("failure\""), bytes("unknown\"")
  };

  /** The largest buffer kept after an event: a huge event's buffer is let go once it is written. */
  static final int KEPT_CAPACITY = 64 * 1024;

  private static final int INITIAL_CAPACITY = 1024;

  private static final long SECONDS_PER_DAY = 86_400;

  private byte[] buf = new byte[INITIAL_CAPACITY];

  /**
   * The epoch day whose date part ({@code YYYY-MM-DDT}) is in {@link #date}: the events of a stream
   * mostly share their day, and the calendar arithmetic is the costly part of a timestamp.
   */
  private long dateDay = Long.MIN_VALUE;

  private final byte[] date = new byte[Rfc3339.DATE_LENGTH];
  private int len;
  private boolean first;

  /** The canonical bytes of {@code event}: a fresh array. */
  public byte[] encode(AccessEvent event) {
    write(event);
    byte[] out = Arrays.copyOf(buf, len);
    if (buf.length > KEPT_CAPACITY) {
      buf = new byte[INITIAL_CAPACITY];
    }
    return out;
  }

  /**
   * Writes the canonical bytes of {@code event} (no line break) to {@code out}.
   *
   * @return the number of bytes written
   */
  public int encode(AccessEvent event, OutputStream out) throws IOException {
    write(event);
    out.write(buf, 0, len);
    return len;
  }

  /** Encodes into the internal buffer; {@link #buffer()}[0, result) holds the bytes. */
  int write(AccessEvent e) {
    len = 0;
    raw(TIMESTAMP);
    timestamp(e.timestamp());
    EventInfo ev = e.event();
    raw(EVENT_ACTION);
    string(ev.action());
    raw(OUTCOME);
    raw(OUTCOMES[ev.outcome().ordinal()]);
    first = false;
    member(CATEGORY, ev.category());
    member(DATASET, ev.dataset());
    member(ID, ev.id());
    put('}');

    UserInfo user = e.user();
    if (!user.isEmpty()) {
      group(USER);
      member(NAME, user.name());
      member(ID, user.id());
      roles(user.roles());
      put('}');
    }
    endpoint(SOURCE, e.source());
    endpoint(DESTINATION, e.destination());
    single(HOST, e.hostName());
    single(SERVICE, e.serviceName());
    WebInfo web = e.web();
    single(URL, web.urlPath());
    if (web.method().isPresent() || web.statusCode().isPresent()) {
      group(HTTP);
      if (web.method().isPresent()) {
        raw(REQUEST_METHOD);
        string(web.method().get());
        put('}');
        first = false;
      }
      if (web.statusCode().isPresent()) {
        comma();
        raw(RESPONSE_STATUS);
        integer(web.statusCode().getAsInt());
        put('}');
      }
      put('}');
    }
    single(USER_AGENT, web.userAgent());
    ResourceRef resource = e.resource();
    if (!resource.isEmpty()) {
      group(RESOURCE);
      member(TYPE, resource.type());
      member(ID, resource.id());
      put('}');
    }
    single(SESSION, e.correlation().sessionId());
    single(TRACE, e.correlation().traceId());
    if (e.message().isPresent()) {
      raw(MESSAGE);
      string(e.message().get());
    }
    Labels labels = (Labels) e.labels();
    if (!labels.isEmpty()) {
      raw(LABELS);
      for (int i = 0; i < labels.size(); i++) {
        if (i > 0) {
          put(',');
        }
        string(labels.keyAt(i));
        put(':');
        string(labels.valueAt(i));
      }
      put('}');
    }
    if (e.tenant().isPresent()) {
      raw(TENANT);
      string(e.tenant().get());
    }
    put('}');
    return len;
  }

  byte[] buffer() {
    return buf;
  }

  private void endpoint(byte[] group, Endpoint endpoint) {
    if (endpoint.isEmpty()) {
      return;
    }
    group(group);
    if (endpoint.ip().isPresent()) {
      raw(IP);
      ascii(endpoint.ip().get().toString());
      put('"');
      first = false;
    }
    OptionalInt port = endpoint.port();
    if (port.isPresent()) {
      comma();
      raw(PORT);
      integer(port.getAsInt());
    }
    put('}');
  }

  private void roles(List<String> roles) {
    if (roles.isEmpty()) {
      return;
    }
    comma();
    raw(ROLES);
    for (int i = 0; i < roles.size(); i++) {
      if (i > 0) {
        put(',');
      }
      string(roles.get(i));
    }
    put(']');
  }

  /** {@code ,"group":{"name":value}} for a group with one member. */
  private void single(byte[] prefix, Optional<String> value) {
    if (value.isPresent()) {
      raw(prefix);
      string(value.get());
      put('}');
    }
  }

  private void group(byte[] prefix) {
    raw(prefix);
    first = true;
  }

  private void member(byte[] key, Optional<String> value) {
    if (value.isPresent()) {
      comma();
      raw(key);
      string(value.get());
    }
  }

  private void comma() {
    if (!first) {
      put(',');
    }
    first = false;
  }

  private void timestamp(Instant t) {
    ensure(Rfc3339.CANONICAL_LENGTH + 1);
    long seconds = t.getEpochSecond();
    long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
    if (day == dateDay) {
      System.arraycopy(date, 0, buf, len, Rfc3339.DATE_LENGTH);
      int secOfDay = (int) (seconds - day * SECONDS_PER_DAY);
      Rfc3339.formatTime(secOfDay, t.getNano(), buf, len + Rfc3339.DATE_LENGTH);
    } else {
      Rfc3339.format(t, buf, len); // checks the range, so every remembered day is in it
      System.arraycopy(buf, len, date, 0, Rfc3339.DATE_LENGTH);
      dateDay = day;
    }
    len += Rfc3339.CANONICAL_LENGTH;
    buf[len++] = '"';
  }

  private void integer(int value) {
    ensure(11);
    if (value < 0) {
      buf[len++] = '-';
      value = -value;
    }
    int digits = value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10_000 ? 4 : 5;
    if (value >= 100_000) {
      digits = Integer.toString(value).length();
    }
    for (int k = len + digits - 1; k >= len; k--) {
      buf[k] = (byte) ('0' + value % 10);
      value /= 10;
    }
    len += digits;
  }

  /** Writes ASCII text that needs no escaping. */
  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len + i] = (byte) s.charAt(i);
    }
    len += n;
  }

  /** Writes {@code s} as a JSON string in UTF-8 with the escapes of {@link JsonText}. */
  private void string(String s) {
    int n = s.length();
    ensure(n + 2);
    byte[] b = buf;
    int p = len;
    b[p++] = '"';
    // Fast path, straight into the buffer: printable ASCII other than '"' and '\\' is copied as
    // is. Measured faster than String.getBytes plus a scan for the short strings of events, and it
    // allocates nothing.
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        len = p;
        escapedFrom(s, i);
        return;
      }
      b[p++] = (byte) c;
    }
    b[p++] = '"';
    len = p;
  }

  /**
   * The rest of a string from char {@code from} on, the opening quote and everything before {@code
   * from} already written: chars one by one, UTF-8 encoded and escaped, then the closing quote.
   */
  private void escapedFrom(String s, int from) {
    int n = s.length();
    // Unescaped UTF-8 needs at most 3 bytes per char; escapes need up to 6 and are ensured apart.
    ensure(3 * (n - from) + 1);
    byte[] b = buf;
    int p = len;
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          b[p++] = (byte) c;
          continue;
        }
        len = p;
        escaped(c, n - i);
        b = buf;
        p = len;
      } else if (c < 0x800) {
        b[p++] = (byte) (0xc0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      } else if (!Character.isSurrogate(c)) {
        b[p++] = (byte) (0xe0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[p++] = (byte) (0xf0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (cp & 0x3f));
      } else {
        len = p;
        escaped(c, n - i);
        b = buf;
        p = len;
      }
    }
    b[p++] = '"';
    len = p;
  }

  /** Writes the escape of {@code c}, keeping room for the {@code remaining} chars after it. */
  private void escaped(char c, int remaining) {
    ensure(6 + 3 * remaining + 1);
    String shortForm = JsonText.escape(c);
    if (shortForm != null) {
      buf[len++] = '\\';
      buf[len++] = (byte) shortForm.charAt(1);
    } else {
      buf[len++] = '\\';
      buf[len++] = 'u';
      buf[len++] = (byte) JsonText.hex(c >>> 12);
      buf[len++] = (byte) JsonText.hex((c >>> 8) & 0xf);
      buf[len++] = (byte) JsonText.hex((c >>> 4) & 0xf);
      buf[len++] = (byte) JsonText.hex(c & 0xf);
    }
  }

  private void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
  }

  private void put(char c) {
    ensure(1);
    buf[len++] = (byte) c;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
