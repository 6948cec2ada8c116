package dev.trailwatch.ingest.parse;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Field;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ingest.Unparsed;
import dev.trailwatch.ingest.parse.JsonSourceSupport.BadRecord;
import dev.trailwatch.ingest.parse.JsonSourceSupport.Item;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An application's own JSON lines, read through a mapping from paths in the record to schema
 * fields. Configured, not coded: {@code trailwatch import --format myapp} with a mapping such as
 * {@code {"ts": "@timestamp", "user.login": "user.name", "client.ip": "source.ip", "result":
 * "event.outcome", "tenant": "labels.customer"}} and the constant {@code event.action=login}.
 *
 * <ul>
 *   <li>A <b>path</b> is dotted member names, {@code a.b.c}; a number indexes an array, {@code
 *       a.0.b}. A key that itself holds dots ({@code {"user.name": "x"}}) is found too: at each
 *       object the shortest run of segments that is a key is taken.
 *   <li>A <b>target</b> is the ECS name of a {@link Field} ({@code event.dataset}, {@code message}
 *       and {@code labels} excepted: the dataset is the parser's and the message is the raw record)
 *       or {@code labels.<key>}. Several paths may map to one target: the first path present (in
 *       the mapping's order) gives the value.
 *   <li><b>Constants</b> set fields to fixed values ({@code event.action}, {@code event.category},
 *       a label); a field may not be both mapped and constant, and {@code @timestamp} must be
 *       mapped.
 *   <li><b>Values</b>: keywords take strings, numbers and booleans (as JSON writes them); an empty
 *       string or null is absent. {@code user.roles} takes an array or one value. Ports and status
 *       codes take integers or digit strings. {@code event.outcome} takes {@code success}, {@code
 *       failure}, {@code unknown} (any case) or a boolean (true is success); it is {@code unknown}
 *       when not given. An address that is not an IP goes to the label {@code source.address}
 *       ({@code destination.address}). The timestamp is RFC 3339 (without an offset: the context's
 *       zone), or epoch milliseconds or seconds (a number or a digit string, fractions allowed).
 *   <li>Unmapped members are not kept, except in {@code message}, the raw record. A value of the
 *       wrong type, a required field with no value and anything {@link AccessEvent.Builder#build()}
 *       rejects give an unparsed event whose reason names the path and the field.
 * </ul>
 *
 * <p>Immutable and thread-safe once constructed; the constructor checks the configuration and names
 * what is wrong.
 */
public final class MappedJsonParser implements RecordParser {
  /** How the {@code @timestamp} value is written. */
  public enum TimestampFormat {
    /** RFC 3339 text, {@code 2024-05-01T12:34:56.789Z}; the default. */
    RFC3339("rfc3339"),
    /** Milliseconds since 1970-01-01T00:00:00Z. */
    EPOCH_MILLIS("epoch_millis"),
    /** Seconds since 1970-01-01T00:00:00Z. */
    EPOCH_SECONDS("epoch_seconds");

    private final String configName;

    TimestampFormat(String configName) {
      this.configName = configName;
    }

    /**
     * The name configuration uses: {@code rfc3339}, {@code epoch_millis}, {@code epoch_seconds}.
     */
    public String configName() {
      return configName;
    }

    /**
     * The format with this configuration name.
     *
     * @throws IllegalArgumentException naming the allowed names
     */
    public static TimestampFormat byName(String name) {
      for (TimestampFormat f : values()) {
        if (f.configName.equals(name)) {
          return f;
        }
      }
      throw new IllegalArgumentException(
          "unknown timestamp format "
              + Unparsed.quote(name)
              + "; expected rfc3339, epoch_millis or epoch_seconds");
    }
  }

  /** A mapped path and where its value goes: a field, or the label {@code labelKey}. */
  private record Target(String path, List<String> segments, Field field, String labelKey) {
    String targetName() {
      return field != null ? field.ecsName() : "labels." + labelKey;
    }
  }

  /** An address that is not an IP: it goes to a label. */
  private record NotAnIp(String text) {}

  private static final String LABELS_PREFIX = "labels.";

  private final String format;
  private final String dataset;
  private final List<Target> targets;
  private final Map<Field, Object> constantFields;
  private final Map<String, String> constantLabels;
  private final TimestampFormat timestampFormat;

  /** A parser without constants, with RFC 3339 timestamps. */
  public MappedJsonParser(String format, String dataset, Map<String, String> mapping) {
    this(format, dataset, mapping, Map.of(), TimestampFormat.RFC3339);
  }

  /**
   * @param format the format's name ({@code --format})
   * @param dataset the {@code event.dataset} of its events
   * @param mapping source path to target, in order of precedence for a target mapped twice
   * @param constants target to fixed value
   * @param timestampFormat how {@code @timestamp}'s value is written
   * @throws IllegalArgumentException naming the first problem of the configuration
   */
  public MappedJsonParser(
      String format,
      String dataset,
      Map<String, String> mapping,
      Map<String, String> constants,
      TimestampFormat timestampFormat) {
    this.format = requireText(format, "format");
    this.dataset = requireText(dataset, "dataset");
    if (dataset.equals(AccessEvent.UNPARSED_DATASET)) {
      throw new IllegalArgumentException("the dataset 'unparsed' is reserved");
    }
    this.timestampFormat = requireNonNull(timestampFormat, "timestampFormat");
    List<Target> ts = new ArrayList<>();
    for (Map.Entry<String, String> e : mapping.entrySet()) {
      ts.add(target(e.getKey(), e.getValue()));
    }
    this.targets = List.copyOf(ts);
    Map<Field, Object> fields = new EnumMap<>(Field.class);
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : constants.entrySet()) {
      Target t = target("(constant)", e.getKey());
      String value = requireNonNull(e.getValue(), "constant value");
      boolean mapped = ts.stream().anyMatch(m -> m.targetName().equals(t.targetName()));
      if (mapped) {
        throw new IllegalArgumentException(
            t.targetName() + " is both mapped and a constant; keep one");
      }
      if (t.field() == null) {
        labels.put(t.labelKey(), value);
        continue;
      }
      if (t.field() == Field.TIMESTAMP) {
        throw new IllegalArgumentException("@timestamp cannot be a constant; map it");
      }
      List<String> errors = new ArrayList<>(1);
      Object v = convert(t, TextNode.valueOf(value), ZoneOffset.UTC, errors);
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("constant " + errors.get(0));
      }
      if (v instanceof NotAnIp) {
        throw new IllegalArgumentException(
            "constant " + t.targetName() + ": " + Unparsed.quote(value) + " is not an IP address");
      }
      if (v != null) {
        fields.put(t.field(), v);
      }
    }
    if (ts.stream().noneMatch(t -> t.field() == Field.TIMESTAMP)) {
      throw new IllegalArgumentException("the mapping must give @timestamp");
    }
    if (!fields.containsKey(Field.EVENT_ACTION)
        && ts.stream().noneMatch(t -> t.field() == Field.EVENT_ACTION)) {
      throw new IllegalArgumentException("event.action must be mapped or a constant");
    }
    this.constantFields = fields;
    this.constantLabels = Map.copyOf(labels);
    // Check every label key once, as the event would.
    AccessEvent.Builder probe =
        AccessEvent.builder()
            .timestamp(Instant.EPOCH)
            .action("probe")
            .outcome(Outcome.UNKNOWN)
            .userName("probe");
    ts.stream().filter(t -> t.labelKey() != null).forEach(t -> probe.label(t.labelKey(), "x"));
    labels.keySet().forEach(k -> probe.label(k, "x"));
    if (!probe.problems().isEmpty()) {
      throw new IllegalArgumentException(probe.problems().get(0).describe());
    }
  }

  private static String requireText(String value, String what) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("the " + what + " must not be empty");
    }
    return value;
  }

  private static Target target(String path, String targetName) {
    requireNonNull(targetName, "target of " + path);
    List<String> segments = List.of();
    if (!path.equals("(constant)")) {
      if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
        throw new IllegalArgumentException(
            "path " + Unparsed.quote(path) + " must be member names separated by single dots");
      }
      segments = List.of(path.split("\\.", -1));
    }
    if (targetName.startsWith(LABELS_PREFIX)) {
      String key = targetName.substring(LABELS_PREFIX.length());
      if (key.isEmpty()) {
        throw new IllegalArgumentException("target 'labels.' needs a label key");
      }
      return new Target(path, segments, null, key);
    }
    Field field =
        Field.byName(targetName)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown target "
                            + Unparsed.quote(targetName)
                            + " for "
                            + Unparsed.quote(path)
                            + "; expected an ECS field name (user.name, source.ip, ...) or"
                            + " labels.<key>"));
    if (field == Field.EVENT_DATASET || field == Field.MESSAGE || field == Field.LABELS) {
      throw new IllegalArgumentException(
          field.ecsName()
              + " cannot be mapped: the dataset is the parser's, the message is the raw record"
              + " and labels are mapped one by one as labels.<key>");
    }
    return new Target(path, segments, field, null);
  }

  @Override
  public String format() {
    return format;
  }

  /** The {@code event.dataset} of its events. */
  public String dataset() {
    return dataset;
  }

  @Override
  public Framing framing() {
    return Framing.JSON;
  }

  @Override
  public void parse(String record, ParseContext context, Consumer<AccessEvent> out) {
    List<Item> items;
    try {
      items = JsonSourceSupport.split(record, null);
    } catch (BadRecord e) {
      out.accept(Unparsed.of(record, dataset + ": " + e.getMessage(), context));
      return;
    }
    if (items.isEmpty()) {
      out.accept(Unparsed.of(record, dataset + ": the array holds no records", context));
      return;
    }
    for (Item item : items) {
      try {
        out.accept(event(item, context));
      } catch (RuntimeException e) {
        // A bug here must not lose the record.
        out.accept(JsonSourceSupport.unparsed(item, dataset, "parser failed: " + e, context));
      }
    }
  }

  private AccessEvent event(Item item, ParseContext context) {
    JsonNode root = item.node();
    if (!root.isObject()) {
      return JsonSourceSupport.unparsed(
          item,
          dataset,
          "expected a JSON object, found " + JsonSourceSupport.describe(root),
          context);
    }
    AccessEvent.Builder b = AccessEvent.builder().dataset(dataset).message(item.text());
    constantFields.forEach((f, v) -> set(b, f, v));
    constantLabels.forEach(b::label);
    List<String> errors = new ArrayList<>(0);
    List<String> done = new ArrayList<>(targets.size());
    for (Target t : targets) {
      if (done.contains(t.targetName())) {
        continue; // an earlier path gave this target its value
      }
      JsonNode value = resolve(root, t.segments());
      if (value == null || value.isNull()) {
        continue;
      }
      Object v;
      if (t.field() == null) {
        v = keyword(t, value, errors);
      } else if (t.field() == Field.TIMESTAMP) {
        v = timestamp(t, value, context.zone(), errors);
      } else {
        v = convert(t, value, context.zone(), errors);
      }
      if (v == null) {
        continue;
      }
      done.add(t.targetName());
      if (t.field() == null) {
        b.label(t.labelKey(), (String) v);
      } else {
        set(b, t.field(), v);
      }
    }
    if (!b.has(Field.TIMESTAMP) && errors.isEmpty()) {
      errors.add("@timestamp: no value at " + pathsOf(Field.TIMESTAMP));
    }
    if (!b.has(Field.EVENT_ACTION) && errors.isEmpty()) {
      errors.add("event.action: no value at " + pathsOf(Field.EVENT_ACTION));
    }
    if (!errors.isEmpty()) {
      return JsonSourceSupport.unparsed(item, dataset, String.join("; ", errors), context);
    }
    if (!b.has(Field.EVENT_OUTCOME)) {
      b.outcome(Outcome.UNKNOWN);
    }
    return JsonSourceSupport.build(b, item, dataset, context);
  }

  private String pathsOf(Field field) {
    List<String> paths = new ArrayList<>(1);
    for (Target t : targets) {
      if (t.field() == field) {
        paths.add(Unparsed.quote(t.path()));
      }
    }
    return String.join(" or ", paths);
  }

  /**
   * The value at a path, or null. At an object, the shortest run of segments that is a key is taken
   * (no backtracking: at most k² lookups for a path of k segments).
   */
  static JsonNode resolve(JsonNode root, List<String> segments) {
    JsonNode node = root;
    int i = 0;
    while (i < segments.size()) {
      if (node.isArray()) {
        int index = index(segments.get(i));
        if (index < 0 || index >= node.size()) {
          return null;
        }
        node = node.get(index);
        i++;
      } else if (node.isObject()) {
        JsonNode child = null;
        StringBuilder key = new StringBuilder();
        int j = i;
        for (; j < segments.size(); j++) {
          if (j > i) {
            key.append('.');
          }
          key.append(segments.get(j));
          child = node.get(key.toString());
          if (child != null) {
            break;
          }
        }
        if (child == null) {
          return null;
        }
        node = child;
        i = j + 1;
      } else {
        return null;
      }
    }
    return node;
  }

  private static int index(String segment) {
    if (segment.isEmpty() || segment.length() > 9) {
      return -1;
    }
    for (int i = 0; i < segment.length(); i++) {
      if (segment.charAt(i) < '0' || segment.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(segment);
  }

  // ---------------------------------------------------------------------------------------------
  // Values

  private static String where(Target t) {
    return t.path().equals("(constant)")
        ? t.targetName()
        : Unparsed.quote(t.path()) + " (" + t.targetName() + ")";
  }

  /** The value for a field of {@code t}'s type; null when absent or wrong (then in errors). */
  private static Object convert(Target t, JsonNode value, ZoneId zone, List<String> errors) {
    Field f = t.field();
    return switch (f.type()) {
      case KEYWORD -> keyword(t, value, errors);
      case KEYWORD_LIST -> keywordList(t, value, errors);
      case OUTCOME -> outcome(t, value, errors);
      case IP -> {
        String s = keyword(t, value, errors);
        yield s == null ? null : IpAddress.tryParse(s).<Object>map(ip -> ip).orElse(new NotAnIp(s));
      }
      case INT -> integer(t, value, errors);
      case INSTANT -> timestampText(t, value, zone, errors);
      case TEXT, KEYWORD_MAP -> {
        errors.add(where(t) + ": cannot be mapped");
        yield null;
      }
    };
  }

  private static String keyword(Target t, JsonNode value, List<String> errors) {
    if (value.isContainerNode()) {
      errors.add(
          where(t)
              + ": is "
              + JsonSourceSupport.describe(value)
              + ", expected a string, number or boolean");
      return null;
    }
    return JsonSourceSupport.scalarText(value);
  }

  private static List<String> keywordList(Target t, JsonNode value, List<String> errors) {
    if (!value.isArray()) {
      String one = keyword(t, value, errors);
      return one == null ? null : List.of(one);
    }
    List<String> out = new ArrayList<>(value.size());
    for (JsonNode e : value) {
      if (e.isContainerNode()) {
        errors.add(where(t) + ": holds " + JsonSourceSupport.describe(e) + ", expected strings");
        return null;
      }
      String s = JsonSourceSupport.scalarText(e);
      if (s != null) {
        out.add(s);
      }
    }
    return out.isEmpty() ? null : out;
  }

  private static Outcome outcome(Target t, JsonNode value, List<String> errors) {
    if (value.isBoolean()) {
      return value.booleanValue() ? Outcome.SUCCESS : Outcome.FAILURE;
    }
    String s = keyword(t, value, errors);
    if (s == null) {
      return null;
    }
    Optional<Outcome> o = Outcome.fromEcs(s.toLowerCase(Locale.ROOT));
    if (o.isEmpty()) {
      errors.add(where(t) + ": is " + Unparsed.quote(s) + ", expected success, failure or unknown");
      return null;
    }
    return o.get();
  }

  private static Integer integer(Target t, JsonNode value, List<String> errors) {
    if (value.isIntegralNumber() && value.canConvertToInt()) {
      return value.intValue();
    }
    if (value.isTextual()) {
      String s = value.textValue();
      int start = s.startsWith("-") ? 1 : 0;
      if (s.length() > start && s.length() <= start + 9 && index(s.substring(start)) >= 0) {
        return Integer.parseInt(s);
      }
    }
    errors.add(where(t) + ": is " + shown(value) + ", expected an integer");
    return null;
  }

  private Instant timestamp(Target t, JsonNode value, ZoneId zone, List<String> errors) {
    return switch (timestampFormat) {
      case RFC3339 -> timestampText(t, value, zone, errors);
      case EPOCH_MILLIS -> epoch(t, value, 3, errors);
      case EPOCH_SECONDS -> epoch(t, value, 0, errors);
    };
  }

  private static Instant timestampText(Target t, JsonNode value, ZoneId zone, List<String> errors) {
    if (!value.isTextual()) {
      errors.add(where(t) + ": is " + shown(value) + ", expected an RFC 3339 timestamp");
      return null;
    }
    try {
      return JsonSourceSupport.instant(value.textValue(), zone);
    } catch (IllegalArgumentException e) {
      errors.add(where(t) + ": " + e.getMessage());
      return null;
    }
  }

  /** Epoch time in units of 10^-scale seconds, from a number or a decimal string. */
  private static Instant epoch(Target t, JsonNode value, int scale, List<String> errors) {
    String text =
        value.isNumber() ? value.toString() : value.isTextual() ? value.textValue().strip() : null;
    BigDecimal d = null;
    if (text != null && !text.isEmpty() && text.length() <= 40) {
      try {
        d = new BigDecimal(text);
      } catch (NumberFormatException e) {
        d = null;
      }
    }
    // Bound the exponent before arithmetic: 1e999999999 is a valid number that no date can be.
    if (d != null && Math.abs((long) d.scale()) <= 30 && d.precision() - d.scale() <= 25) {
      BigDecimal seconds = d.movePointLeft(scale);
      try {
        long whole = seconds.setScale(0, RoundingMode.FLOOR).longValueExact();
        int nanos =
            seconds
                .subtract(BigDecimal.valueOf(whole))
                .movePointRight(9)
                .setScale(0, RoundingMode.FLOOR)
                .intValueExact();
        return Instant.ofEpochSecond(whole, nanos);
      } catch (ArithmeticException | DateTimeException e) {
        // out of range: reported below
      }
    }
    errors.add(
        where(t)
            + ": is "
            + shown(value)
            + ", expected "
            + (scale == 3 ? "milliseconds" : "seconds")
            + " since 1970 as a number");
    return null;
  }

  private static String shown(JsonNode value) {
    return value.isValueNode()
        ? Unparsed.quote(value.toString())
        : JsonSourceSupport.describe(value);
  }

  private static void set(AccessEvent.Builder b, Field f, Object v) {
    if (v instanceof NotAnIp n) {
      b.label(f == Field.SOURCE_IP ? "source.address" : "destination.address", n.text());
      return;
    }
    switch (f) {
      case TIMESTAMP -> b.timestamp((Instant) v);
      case EVENT_ACTION -> b.action((String) v);
      case EVENT_OUTCOME -> b.outcome((Outcome) v);
      case EVENT_CATEGORY -> b.category((String) v);
      case EVENT_ID -> b.eventId((String) v);
      case USER_NAME -> b.userName((String) v);
      case USER_ID -> b.userId((String) v);
      case USER_ROLES -> {
        @SuppressWarnings("unchecked")
        List<String> roles = (List<String>) v;
        b.userRoles(roles);
      }
      case SOURCE_IP -> b.sourceIp((IpAddress) v);
      case SOURCE_PORT -> b.sourcePort((Integer) v);
      case DESTINATION_IP -> b.destinationIp((IpAddress) v);
      case DESTINATION_PORT -> b.destinationPort((Integer) v);
      case HOST_NAME -> b.hostName((String) v);
      case SERVICE_NAME -> b.serviceName((String) v);
      case URL_PATH -> b.urlPath((String) v);
      case HTTP_REQUEST_METHOD -> b.httpMethod((String) v);
      case HTTP_RESPONSE_STATUS_CODE -> b.httpStatusCode((Integer) v);
      case USER_AGENT_ORIGINAL -> b.userAgent((String) v);
      case RESOURCE_TYPE -> b.resourceType((String) v);
      case RESOURCE_ID -> b.resourceId((String) v);
      case SESSION_ID -> b.sessionId((String) v);
      case TRACE_ID -> b.traceId((String) v);
      case TENANT -> b.tenant((String) v);
      case EVENT_DATASET, MESSAGE, LABELS ->
          throw new IllegalStateException(f + " is rejected by the constructor");
    }
  }
}
