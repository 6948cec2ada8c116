package dev.trailwatch.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Reads the canonical form back (the ledger's read path): it expects exactly the layout {@link
 * CanonicalEncoder} writes, keys in their fixed order, and builds the records directly, without the
 * general decoder's name resolution, duplicate tracking and builder. Anything unexpected (another
 * layout, a bad value, broken JSON) hands the bytes to {@link EventJson#decode}, which accepts what
 * is valid and reports precisely what is not; so the result is always the same as the general
 * decoder's, only faster for canonical input.
 */
final class CanonicalReader {
  private static final String[] EVENT_KEYS = {"category", "dataset", "id"};
  private static final String[] USER_KEYS = {"name", "id", "roles"};
  private static final String[] ENDPOINT_KEYS = {"ip", "port"};
  private static final String[] HTTP_KEYS = {"request", "response"};
  private static final String[] RESOURCE_KEYS = {"type", "id"};
  private static final String[] TOP_KEYS = {
    "user",
    "source",
    "destination",
    "host",
    "service",
    "url",
    "http",
    "user_agent",
    "resource",
    "session",
    "trace",
    "message",
    "labels",
    "tenant"
  };

  /** The input is not in canonical layout: take the general path. */
  private static final class NotCanonical extends Exception {
    NotCanonical() {
      super(null, null, false, false);
    }
  }

  private static final NotCanonical NOT_CANONICAL = new NotCanonical();

  private final JsonParser p;

  private CanonicalReader(JsonParser p) {
    this.p = p;
  }

  static Decoded read(byte[] canonical) {
    if (Utf8.firstInvalid(canonical, 0, canonical.length) >= 0) {
      return EventJson.decode(canonical);
    }
    try (JsonParser p = EventJson.FACTORY.createParser(canonical)) {
      return new Decoded.Valid(new CanonicalReader(p).event());
    } catch (NotCanonical | IOException | RuntimeException e) {
      return EventJson.decode(canonical);
    }
  }

  private AccessEvent event() throws IOException, NotCanonical {
    expect(JsonToken.START_OBJECT);
    key("@timestamp");
    Instant timestamp = timestamp();
    key("event");
    expect(JsonToken.START_OBJECT);
    key("action");
    String action = string();
    key("outcome");
    Outcome outcome =
        switch (string()) {
          case "success" -> Outcome.SUCCESS;
          case "failure" -> Outcome.FAILURE;
          case "unknown" -> Outcome.UNKNOWN;
          default -> throw NOT_CANONICAL;
        };
    String[] ev = new String[3];
    for (int i = 0; (i = nextKey(EVENT_KEYS, i)) >= 0; i++) {
      ev[i] = string();
    }
    EventInfo event =
        new EventInfo(
            action,
            outcome,
            Optional.ofNullable(ev[0]),
            Optional.ofNullable(ev[1]),
            Optional.ofNullable(ev[2]));

    UserInfo user = UserInfo.NONE;
    Endpoint source = Endpoint.NONE;
    Endpoint destination = Endpoint.NONE;
    String hostName = null;
    String serviceName = null;
    String urlPath = null;
    String method = null;
    int status = -1;
    String userAgent = null;
    ResourceRef resource = ResourceRef.NONE;
    String sessionId = null;
    String traceId = null;
    String message = null;
    Map<String, String> labels = Map.of();
    String tenant = null;
    for (int i = 0; (i = nextKey(TOP_KEYS, i)) >= 0; i++) {
      switch (i) {
        case 0 -> user = user();
        case 1 -> source = endpoint();
        case 2 -> destination = endpoint();
        case 3 -> hostName = single("name");
        case 4 -> serviceName = single("name");
        case 5 -> urlPath = single("path");
        case 6 -> {
          expect(JsonToken.START_OBJECT);
          for (int h = 0; (h = nextKey(HTTP_KEYS, h)) >= 0; h++) {
            if (h == 0) {
              method = single("method");
            } else {
              expect(JsonToken.START_OBJECT);
              key("status_code");
              status = integer(100, 599);
              expect(JsonToken.END_OBJECT);
            }
          }
        }
        case 7 -> userAgent = single("original");
        case 8 -> {
          expect(JsonToken.START_OBJECT);
          String[] r = new String[2];
          for (int k = 0; (k = nextKey(RESOURCE_KEYS, k)) >= 0; k++) {
            r[k] = string();
          }
          resource = new ResourceRef(Optional.ofNullable(r[0]), Optional.ofNullable(r[1]));
        }
        case 9 -> sessionId = single("id");
        case 10 -> traceId = single("id");
        case 11 -> message = string();
        case 12 -> labels = labels();
        default -> tenant = string();
      }
    }
    if (p.nextToken() != null) {
      throw NOT_CANONICAL;
    }
    WebInfo web =
        urlPath == null && method == null && status < 0 && userAgent == null
            ? WebInfo.NONE
            : new WebInfo(
                Optional.ofNullable(urlPath),
                Optional.ofNullable(method),
                status < 0 ? OptionalInt.empty() : OptionalInt.of(status),
                Optional.ofNullable(userAgent));
    Correlation correlation =
        sessionId == null && traceId == null
            ? Correlation.NONE
            : new Correlation(Optional.ofNullable(sessionId), Optional.ofNullable(traceId));
    return new AccessEvent(
        timestamp,
        event,
        user,
        source,
        destination,
        Optional.ofNullable(hostName),
        Optional.ofNullable(serviceName),
        web,
        resource,
        correlation,
        Optional.ofNullable(message),
        labels,
        Optional.ofNullable(tenant));
  }

  private UserInfo user() throws IOException, NotCanonical {
    expect(JsonToken.START_OBJECT);
    String name = null;
    String id = null;
    List<String> roles = List.of();
    for (int i = 0; (i = nextKey(USER_KEYS, i)) >= 0; i++) {
      switch (i) {
        case 0 -> name = string();
        case 1 -> id = string();
        default -> {
          expect(JsonToken.START_ARRAY);
          List<String> list = new ArrayList<>(4);
          JsonToken t;
          while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
            list.add(p.getText());
          }
          if (t != JsonToken.END_ARRAY || list.isEmpty()) {
            throw NOT_CANONICAL;
          }
          roles = List.copyOf(list);
        }
      }
    }
    return new UserInfo(Optional.ofNullable(name), Optional.ofNullable(id), roles);
  }

  private Endpoint endpoint() throws IOException, NotCanonical {
    expect(JsonToken.START_OBJECT);
    IpAddress ip = null;
    int port = -1;
    for (int i = 0; (i = nextKey(ENDPOINT_KEYS, i)) >= 0; i++) {
      if (i == 0) {
        ip = IpAddress.parse(string());
      } else {
        port = integer(0, 65535);
      }
    }
    return new Endpoint(
        Optional.ofNullable(ip), port < 0 ? OptionalInt.empty() : OptionalInt.of(port));
  }

  private Map<String, String> labels() throws IOException, NotCanonical {
    expect(JsonToken.START_OBJECT);
    TreeMap<String, String> labels = new TreeMap<>();
    String previous = null;
    String key;
    while ((key = p.nextFieldName()) != null) {
      if (previous != null && previous.compareTo(key) >= 0) {
        throw NOT_CANONICAL; // not sorted, or a duplicate
      }
      labels.put(key, string());
      previous = key;
    }
    if (labels.isEmpty()) {
      throw NOT_CANONICAL;
    }
    return labels;
  }

  /** {@code {"<key>":"<string>"}}: a group with one member. */
  private String single(String key) throws IOException, NotCanonical {
    expect(JsonToken.START_OBJECT);
    key(key);
    String value = string();
    expect(JsonToken.END_OBJECT);
    return value;
  }

  /**
   * The index in {@code keys} of the next key of the current object, at or after {@code from} (keys
   * come in this order, each at most once), or -1 at the end of the object.
   */
  private int nextKey(String[] keys, int from) throws IOException, NotCanonical {
    String name = p.nextFieldName();
    if (name == null) {
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw NOT_CANONICAL;
      }
      return -1;
    }
    for (int i = from; i < keys.length; i++) {
      if (keys[i].equals(name)) {
        return i;
      }
    }
    throw NOT_CANONICAL;
  }

  private void key(String expected) throws IOException, NotCanonical {
    if (!expected.equals(p.nextFieldName())) {
      throw NOT_CANONICAL;
    }
  }

  private void expect(JsonToken token) throws IOException, NotCanonical {
    if (p.nextToken() != token) {
      throw NOT_CANONICAL;
    }
  }

  private String string() throws IOException, NotCanonical {
    if (p.nextToken() != JsonToken.VALUE_STRING) {
      throw NOT_CANONICAL;
    }
    return p.getText();
  }

  /**
   * An int in {@code min..max}; anything else is left to the general decoder, which reports it (a
   * negative value must never read as "absent").
   */
  private int integer(int min, int max) throws IOException, NotCanonical {
    if (p.nextToken() != JsonToken.VALUE_NUMBER_INT
        || p.getNumberType() != JsonParser.NumberType.INT) {
      throw NOT_CANONICAL;
    }
    int value = p.getIntValue();
    if (value < min || value > max) {
      throw NOT_CANONICAL;
    }
    return value;
  }

  private Instant timestamp() throws IOException, NotCanonical {
    if (p.nextToken() != JsonToken.VALUE_STRING || p.getTextLength() != Rfc3339.CANONICAL_LENGTH) {
      throw NOT_CANONICAL;
    }
    return Rfc3339.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
  }
}
