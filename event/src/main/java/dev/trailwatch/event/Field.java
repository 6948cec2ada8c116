package dev.trailwatch.event;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schema: every field of an {@link AccessEvent} with its ECS name and type. The query language,
 * detection rules and the index address fields by {@link #ecsName()}; labels are addressed as
 * {@code labels.<key>}.
 *
 * <p>The declaration order is the order of the schema table in DESIGN.md ({@code event.id}, which
 * the table does not list, closes the {@code event} group) and is the field order of the canonical
 * JSON form: never reorder the constants.
 *
 * <p>The Java type of a value returned by {@link AccessEvent#get(Field)} follows {@link #type()}:
 * see {@link Type}.
 */
public enum Field {
  TIMESTAMP("@timestamp", Type.INSTANT),
  EVENT_ACTION("event.action", Type.KEYWORD),
  EVENT_OUTCOME("event.outcome", Type.OUTCOME),
  EVENT_CATEGORY("event.category", Type.KEYWORD),
  EVENT_DATASET("event.dataset", Type.KEYWORD),
  EVENT_ID("event.id", Type.KEYWORD),
  USER_NAME("user.name", Type.KEYWORD),
  USER_ID("user.id", Type.KEYWORD),
  USER_ROLES("user.roles", Type.KEYWORD_LIST),
  SOURCE_IP("source.ip", Type.IP),
  SOURCE_PORT("source.port", Type.INT, 0, 65_535),
  DESTINATION_IP("destination.ip", Type.IP),
  DESTINATION_PORT("destination.port", Type.INT, 0, 65_535),
  HOST_NAME("host.name", Type.KEYWORD),
  SERVICE_NAME("service.name", Type.KEYWORD),
  URL_PATH("url.path", Type.KEYWORD),
  HTTP_REQUEST_METHOD("http.request.method", Type.KEYWORD),
  HTTP_RESPONSE_STATUS_CODE("http.response.status_code", Type.INT, 100, 599),
  USER_AGENT_ORIGINAL("user_agent.original", Type.KEYWORD),
  RESOURCE_TYPE("resource.type", Type.KEYWORD),
  RESOURCE_ID("resource.id", Type.KEYWORD),
  SESSION_ID("session.id", Type.KEYWORD),
  TRACE_ID("trace.id", Type.KEYWORD),
  MESSAGE("message", Type.TEXT),
  LABELS("labels", Type.KEYWORD_MAP),
  TENANT("tenant", Type.KEYWORD);

  /** Value types of schema fields and the Java type {@link AccessEvent#get(Field)} returns. */
  public enum Type {
    /** Nanosecond-precision point in time: {@link java.time.Instant}. */
    INSTANT,
    /** Exact-match string, never empty: {@link String}. */
    KEYWORD,
    /** Ordered list of non-empty keywords: {@code List<String>}. */
    KEYWORD_LIST,
    /** Free text, searchable by words, may be empty: {@link String}. */
    TEXT,
    /** {@code success}, {@code failure} or {@code unknown}: {@link Outcome}. */
    OUTCOME,
    /** IPv4 or IPv6 address: {@link IpAddress}. */
    IP,
    /** Integer within {@link Field#minValue()}..{@link Field#maxValue()}: {@link Integer}. */
    INT,
    /** Keyword keys to string values, sorted by key: {@code Map<String, String>}. */
    KEYWORD_MAP
  }

  /** The fields every event must carry (the actor rule is separate, see {@link AccessEvent}). */
  public static final List<Field> REQUIRED = List.of(TIMESTAMP, EVENT_ACTION, EVENT_OUTCOME);

  private static final Field[] VALUES = values();
  private static final Map<String, Field> BY_NAME = new HashMap<>();

  static {
    for (Field f : VALUES) {
      BY_NAME.put(f.ecsName, f);
    }
  }

  private final String ecsName;
  private final Type type;
  private final int minValue;
  private final int maxValue;
  private final List<String> path;

  Field(String ecsName, Type type) {
    this(ecsName, type, 0, 0);
  }

  Field(String ecsName, Type type, int minValue, int maxValue) {
    this.ecsName = ecsName;
    this.type = type;
    this.minValue = minValue;
    this.maxValue = maxValue;
    this.path =
        List.of(ecsName.equals("@timestamp") ? new String[] {ecsName} : ecsName.split("\\."));
  }

  /** The dotted ECS name, e.g. {@code source.ip}. */
  public String ecsName() {
    return ecsName;
  }

  public Type type() {
    return type;
  }

  /** The smallest allowed value of an {@link Type#INT} field; 0 for other types. */
  public int minValue() {
    return minValue;
  }

  /** The largest allowed value of an {@link Type#INT} field; 0 for other types. */
  public int maxValue() {
    return maxValue;
  }

  /**
   * The name split at dots: the JSON object path of the nested form, e.g. [http, request, method].
   */
  public List<String> path() {
    return path;
  }

  /** True for {@code @timestamp}, {@code event.action} and {@code event.outcome}. */
  public boolean required() {
    return REQUIRED.contains(this);
  }

  /** The field with this ECS name ({@code labels} included, {@code labels.<key>} not), or empty. */
  public static Optional<Field> byName(String ecsName) {
    return Optional.ofNullable(BY_NAME.get(ecsName));
  }

  static Field at(int ordinal) {
    return VALUES[ordinal];
  }

  /** All fields in order; a shared array that callers must not change. */
  static Field[] all() {
    return VALUES;
  }

  static int count() {
    return VALUES.length;
  }

  @Override
  public String toString() {
    return ecsName;
  }
}
