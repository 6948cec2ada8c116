package dev.trailwatch.event;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * One normalised access event: who did what, on what, from where, when, with what outcome. The
 * schema is DESIGN.md's "event schema"; {@link Field} lists every field with its ECS name.
 *
 * <p>Invariants, checked by the constructor (and reported all at once, with field names, by {@link
 * Builder#build()}):
 *
 * <ul>
 *   <li>{@code @timestamp}, {@code event.action} and {@code event.outcome} are present; the
 *       timestamp lies in the years 0000-9999 (UTC);
 *   <li>at least one of {@code user.name}, {@code user.id} and {@code source.ip} says who acted,
 *       except in an {@linkplain #unparsed unparsed} event ({@code event.dataset: unparsed});
 *   <li>keywords are never empty strings (absent is {@link Optional#empty()}); ports are 0-65535,
 *       status codes 100-599; label keys are non-empty.
 * </ul>
 *
 * <p>Immutable and thread-safe; absent values are empty, never null (see the package comment).
 *
 * @param timestamp {@code @timestamp}: when it happened, according to the source
 * @param event {@code event.*}
 * @param user {@code user.*}
 * @param source {@code source.ip}, {@code source.port}
 * @param destination {@code destination.ip}, {@code destination.port}
 * @param hostName {@code host.name}
 * @param serviceName {@code service.name}
 * @param web {@code url.path}, {@code http.request.method}, {@code http.response.status_code},
 *     {@code user_agent.original}
 * @param resource {@code resource.type}, {@code resource.id}
 * @param correlation {@code session.id}, {@code trace.id}
 * @param message {@code message}: the original line or a summary
 * @param labels {@code labels.*}: everything else; an immutable copy that iterates in key order
 * @param tenant {@code tenant}
 */
public record AccessEvent(
    Instant timestamp,
    EventInfo event,
    UserInfo user,
    Endpoint source,
    Endpoint destination,
    Optional<String> hostName,
    Optional<String> serviceName,
    WebInfo web,
    ResourceRef resource,
    Correlation correlation,
    Optional<String> message,
    Map<String, String> labels,
    Optional<String> tenant) {

  /** The {@code event.dataset} of events that could not be parsed. */
  public static final String UNPARSED_DATASET = "unparsed";

  /** The {@code event.action} of events that could not be parsed. */
  public static final String UNPARSED_ACTION = "unparsed";

  /** The label that holds the parse error of an unparsed event. */
  public static final String PARSE_ERROR_LABEL = "parse_error";

  public AccessEvent {
    requireNonNull(timestamp, "timestamp");
    Rfc3339.requireInRange(timestamp);
    requireNonNull(event, "event");
    requireNonNull(user, "user");
    requireNonNull(source, "source");
    requireNonNull(destination, "destination");
    Checks.keyword(Field.HOST_NAME, hostName);
    Checks.keyword(Field.SERVICE_NAME, serviceName);
    requireNonNull(web, "web");
    requireNonNull(resource, "resource");
    requireNonNull(correlation, "correlation");
    requireNonNull(message, "message");
    labels = Labels.copyOf(labels);
    Checks.keyword(Field.TENANT, tenant);
    if (user.name().isEmpty()
        && user.id().isEmpty()
        && source.ip().isEmpty()
        && !event.dataset().equals(Optional.of(UNPARSED_DATASET))) {
      throw new IllegalArgumentException(Builder.ACTOR_MISSING.describe());
    }
  }

  /**
   * The event that stands for input that could not be parsed, so that it is stored rather than
   * dropped: {@code event.dataset} and {@code event.action} are {@value #UNPARSED_DATASET}, {@code
   * event.outcome} is {@code unknown}, {@code message} is the raw text, {@code labels.parse_error}
   * the error and {@code @timestamp} the time it was received.
   *
   * @param raw the input as received (may be empty)
   * @param parseError why it could not be parsed; when empty, {@code "unknown parse error"}
   * @param receivedAt when Trailwatch received it
   */
  public static AccessEvent unparsed(String raw, String parseError, Instant receivedAt) {
    requireNonNull(raw, "raw");
    requireNonNull(parseError, "parseError");
    return new AccessEvent(
        receivedAt,
        new EventInfo(
            UNPARSED_ACTION,
            Outcome.UNKNOWN,
            Optional.empty(),
            Optional.of(UNPARSED_DATASET),
            Optional.empty()),
        UserInfo.NONE,
        Endpoint.NONE,
        Endpoint.NONE,
        Optional.empty(),
        Optional.empty(),
        WebInfo.NONE,
        ResourceRef.NONE,
        Correlation.NONE,
        Optional.of(raw),
        Map.of(PARSE_ERROR_LABEL, parseError.isEmpty() ? "unknown parse error" : parseError),
        Optional.empty());
  }

  /** True for an event made by {@link #unparsed}: {@code event.dataset} is {@code unparsed}. */
  public boolean isUnparsed() {
    return event.dataset().equals(Optional.of(UNPARSED_DATASET));
  }

  /** A builder for events. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this event's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    for (Field f : Field.all()) {
      if (f != Field.LABELS) {
        get(f).ifPresent(v -> b.put(f, v));
      }
    }
    b.labels(labels);
    return b;
  }

  /**
   * The value of a schema field, of the Java type given by {@link Field.Type}; empty when absent
   * (an empty list or label map counts as absent).
   */
  public Optional<Object> get(Field field) {
    return switch (field) {
      case TIMESTAMP -> Optional.of(timestamp);
      case EVENT_ACTION -> Optional.of(event.action());
      case EVENT_OUTCOME -> Optional.of(event.outcome());
      case EVENT_CATEGORY -> widen(event.category());
      case EVENT_DATASET -> widen(event.dataset());
      case EVENT_ID -> widen(event.id());
      case USER_NAME -> widen(user.name());
      case USER_ID -> widen(user.id());
      case USER_ROLES -> user.roles().isEmpty() ? Optional.empty() : Optional.of(user.roles());
      case SOURCE_IP -> widen(source.ip());
      case SOURCE_PORT -> widen(source.port());
      case DESTINATION_IP -> widen(destination.ip());
      case DESTINATION_PORT -> widen(destination.port());
      case HOST_NAME -> widen(hostName);
      case SERVICE_NAME -> widen(serviceName);
      case URL_PATH -> widen(web.urlPath());
      case HTTP_REQUEST_METHOD -> widen(web.method());
      case HTTP_RESPONSE_STATUS_CODE -> widen(web.statusCode());
      case USER_AGENT_ORIGINAL -> widen(web.userAgent());
      case RESOURCE_TYPE -> widen(resource.type());
      case RESOURCE_ID -> widen(resource.id());
      case SESSION_ID -> widen(correlation.sessionId());
      case TRACE_ID -> widen(correlation.traceId());
      case MESSAGE -> widen(message);
      case LABELS -> labels.isEmpty() ? Optional.empty() : Optional.of(labels);
      case TENANT -> widen(tenant);
    };
  }

  /**
   * The value of the field with this ECS name, as {@link #get(Field)}; {@code labels.<key>} gives
   * the label's value. Empty for an absent field and for a name that is not in the schema.
   */
  public Optional<Object> get(String ecsName) {
    Optional<Field> field = Field.byName(ecsName);
    if (field.isPresent()) {
      return get(field.get());
    }
    if (ecsName.startsWith("labels.")) {
      return Optional.ofNullable(labels.get(ecsName.substring("labels.".length())));
    }
    return Optional.empty();
  }

  private static Optional<Object> widen(Optional<?> value) {
    return value.isPresent() ? Optional.of(value.get()) : Optional.empty();
  }

  private static Optional<Object> widen(OptionalInt value) {
    return value.isPresent() ? Optional.of(value.getAsInt()) : Optional.empty();
  }

  /**
   * Collects field values and checks them all at once. Setters take the Java type of the field
   * ({@link Field.Type}); {@code null} clears a field, so that a parser can pass on what it found.
   * Setters that parse text ({@link #sourceIp(String)}) record a problem instead of throwing, and
   * {@link #build()} reports every problem together. Not thread-safe.
   */
  public static final class Builder {
    static final FieldError ACTOR_MISSING =
        new FieldError(
            Field.USER_NAME.ecsName(),
            "missing: an event needs at least one of user.name, user.id or source.ip to say who"
                + " acted");

    private final Object[] values = new Object[Field.count()];
    private final TreeMap<String, String> labels = new TreeMap<>();
    private final List<FieldError> errors = new ArrayList<>(0);
    private long fieldsWithErrors;

    Builder() {}

    public Builder timestamp(Instant value) {
      return put(Field.TIMESTAMP, value);
    }

    public Builder action(String value) {
      return put(Field.EVENT_ACTION, value);
    }

    public Builder outcome(Outcome value) {
      return put(Field.EVENT_OUTCOME, value);
    }

    public Builder category(String value) {
      return put(Field.EVENT_CATEGORY, value);
    }

    public Builder dataset(String value) {
      return put(Field.EVENT_DATASET, value);
    }

    public Builder eventId(String value) {
      return put(Field.EVENT_ID, value);
    }

    public Builder userName(String value) {
      return put(Field.USER_NAME, value);
    }

    public Builder userId(String value) {
      return put(Field.USER_ID, value);
    }

    /** Sets {@code user.roles} to a copy of {@code roles} (empty or null clears it). */
    public Builder userRoles(Collection<String> roles) {
      return put(Field.USER_ROLES, roles == null || roles.isEmpty() ? null : List.copyOf(roles));
    }

    public Builder sourceIp(IpAddress value) {
      return put(Field.SOURCE_IP, value);
    }

    /** Parses {@code literal}; a bad address is reported by {@link #build()}. */
    public Builder sourceIp(String literal) {
      return putIp(Field.SOURCE_IP, literal);
    }

    public Builder sourcePort(int port) {
      return put(Field.SOURCE_PORT, port);
    }

    public Builder destinationIp(IpAddress value) {
      return put(Field.DESTINATION_IP, value);
    }

    /** Parses {@code literal}; a bad address is reported by {@link #build()}. */
    public Builder destinationIp(String literal) {
      return putIp(Field.DESTINATION_IP, literal);
    }

    public Builder destinationPort(int port) {
      return put(Field.DESTINATION_PORT, port);
    }

    public Builder hostName(String value) {
      return put(Field.HOST_NAME, value);
    }

    public Builder serviceName(String value) {
      return put(Field.SERVICE_NAME, value);
    }

    public Builder urlPath(String value) {
      return put(Field.URL_PATH, value);
    }

    public Builder httpMethod(String value) {
      return put(Field.HTTP_REQUEST_METHOD, value);
    }

    public Builder httpStatusCode(int value) {
      return put(Field.HTTP_RESPONSE_STATUS_CODE, value);
    }

    public Builder userAgent(String value) {
      return put(Field.USER_AGENT_ORIGINAL, value);
    }

    public Builder resourceType(String value) {
      return put(Field.RESOURCE_TYPE, value);
    }

    public Builder resourceId(String value) {
      return put(Field.RESOURCE_ID, value);
    }

    public Builder sessionId(String value) {
      return put(Field.SESSION_ID, value);
    }

    public Builder traceId(String value) {
      return put(Field.TRACE_ID, value);
    }

    public Builder message(String value) {
      return put(Field.MESSAGE, value);
    }

    public Builder tenant(String value) {
      return put(Field.TENANT, value);
    }

    /** Sets one label; a null value removes it. */
    public Builder label(String key, String value) {
      requireNonNull(key, "label key");
      if (value == null) {
        labels.remove(key);
      } else {
        labels.put(key, value);
      }
      return this;
    }

    /** Replaces all labels by a copy of {@code map} (null clears them). */
    public Builder labels(Map<String, String> map) {
      labels.clear();
      if (map != null) {
        map.forEach(this::label);
      }
      return this;
    }

    /** Whether {@code field} has a value (for {@link Field#LABELS}: at least one label). */
    public boolean has(Field field) {
      return field == Field.LABELS ? !labels.isEmpty() : values[field.ordinal()] != null;
    }

    /** Removes every value of {@code field}. */
    public Builder clear(Field field) {
      if (field == Field.LABELS) {
        labels.clear();
      } else {
        values[field.ordinal()] = null;
      }
      return this;
    }

    /**
     * Every problem that {@link #build()} would report, in field order after the problems found by
     * setters; empty when the values make a valid event.
     */
    public List<FieldError> problems() {
      List<FieldError> out = new ArrayList<>(errors);
      addMissing(out);
      for (Field f : Field.all()) {
        Object v = values[f.ordinal()];
        if (v == null) {
          continue;
        }
        switch (f.type()) {
          case KEYWORD -> {
            if (((String) v).isEmpty()) {
              out.add(new FieldError(f.ecsName(), Checks.EMPTY_KEYWORD));
            }
          }
          case KEYWORD_LIST -> {
            List<?> list = (List<?>) v;
            for (int i = 0; i < list.size(); i++) {
              if (((String) list.get(i)).isEmpty()) {
                out.add(
                    new FieldError(
                        f.ecsName(),
                        "entry " + (i + 1) + " is empty; every entry must be a non-empty string"));
              }
            }
          }
          case INT -> {
            int n = (Integer) v;
            if (n < f.minValue() || n > f.maxValue()) {
              out.add(new FieldError(f.ecsName(), Checks.outOfRange(f, n)));
            }
          }
          case INSTANT -> {
            if (!Rfc3339.inRange((Instant) v)) {
              out.add(
                  new FieldError(
                      f.ecsName(), v + " is outside the years 0000-9999 (UTC) that can be stored"));
            }
          }
          default -> {}
        }
      }
      for (String key : labels.keySet()) {
        String problem = Labels.keyProblem(key);
        if (problem != null) {
          out.add(new FieldError("labels", problem));
        }
      }
      return out;
    }

    /**
     * Only the missing-field problems (required fields, the actor rule), for a caller that has
     * checked every value as it was set and recorded no error.
     */
    List<FieldError> missing() {
      List<FieldError> out = new ArrayList<>(0);
      addMissing(out);
      return out;
    }

    private void addMissing(List<FieldError> out) {
      for (Field f : Field.REQUIRED) {
        if (values[f.ordinal()] == null && !hasError(f)) {
          out.add(new FieldError(f.ecsName(), "required field is missing"));
        }
      }
      if (values[Field.USER_NAME.ordinal()] == null
          && values[Field.USER_ID.ordinal()] == null
          && values[Field.SOURCE_IP.ordinal()] == null
          && !hasError(Field.USER_NAME)
          && !hasError(Field.USER_ID)
          && !hasError(Field.SOURCE_IP)
          && !AccessEvent.UNPARSED_DATASET.equals(values[Field.EVENT_DATASET.ordinal()])) {
        out.add(ACTOR_MISSING);
      }
    }

    /**
     * The event.
     *
     * @throws InvalidEventException listing every problem of {@link #problems()}
     */
    public AccessEvent build() {
      List<FieldError> problems = problems();
      if (!problems.isEmpty()) {
        throw new InvalidEventException(problems);
      }
      return construct();
    }

    /** Builds without {@link #problems()}: the caller has checked them. */
    AccessEvent construct() {
      Optional<String> userName = str(Field.USER_NAME);
      Optional<String> userId = str(Field.USER_ID);
      @SuppressWarnings("unchecked")
      List<String> roles = (List<String>) values[Field.USER_ROLES.ordinal()];
      UserInfo user =
          userName.isEmpty() && userId.isEmpty() && roles == null
              ? UserInfo.NONE
              : new UserInfo(userName, userId, roles == null ? List.of() : roles);
      WebInfo web =
          new WebInfo(
              str(Field.URL_PATH),
              str(Field.HTTP_REQUEST_METHOD),
              integer(Field.HTTP_RESPONSE_STATUS_CODE),
              str(Field.USER_AGENT_ORIGINAL));
      ResourceRef resource = new ResourceRef(str(Field.RESOURCE_TYPE), str(Field.RESOURCE_ID));
      Correlation correlation = new Correlation(str(Field.SESSION_ID), str(Field.TRACE_ID));
      return new AccessEvent(
          (Instant) values[Field.TIMESTAMP.ordinal()],
          new EventInfo(
              (String) values[Field.EVENT_ACTION.ordinal()],
              (Outcome) values[Field.EVENT_OUTCOME.ordinal()],
              str(Field.EVENT_CATEGORY),
              str(Field.EVENT_DATASET),
              str(Field.EVENT_ID)),
          user,
          endpoint(Field.SOURCE_IP, Field.SOURCE_PORT),
          endpoint(Field.DESTINATION_IP, Field.DESTINATION_PORT),
          str(Field.HOST_NAME),
          str(Field.SERVICE_NAME),
          web.isEmpty() ? WebInfo.NONE : web,
          resource.isEmpty() ? ResourceRef.NONE : resource,
          correlation.isEmpty() ? Correlation.NONE : correlation,
          str(Field.MESSAGE),
          labels,
          str(Field.TENANT));
    }

    private Endpoint endpoint(Field ip, Field port) {
      Object address = values[ip.ordinal()];
      Object number = values[port.ordinal()];
      if (address == null && number == null) {
        return Endpoint.NONE;
      }
      return new Endpoint(
          Optional.ofNullable((IpAddress) address),
          number == null ? OptionalInt.empty() : OptionalInt.of((Integer) number));
    }

    private Optional<String> str(Field f) {
      return Optional.ofNullable((String) values[f.ordinal()]);
    }

    private OptionalInt integer(Field f) {
      Object v = values[f.ordinal()];
      return v == null ? OptionalInt.empty() : OptionalInt.of((Integer) v);
    }

    private Builder putIp(Field field, String literal) {
      if (literal == null) {
        return put(field, null);
      }
      try {
        return put(field, IpAddress.parse(literal));
      } catch (IllegalArgumentException e) {
        values[field.ordinal()] = null;
        return error(new FieldError(field.ecsName(), e.getMessage()));
      }
    }

    /** Sets a value of the field's Java type (see {@link Field.Type}); null clears it. */
    Builder put(Field field, Object value) {
      if (field == Field.LABELS) {
        throw new IllegalArgumentException("set labels with label() or labels()");
      }
      values[field.ordinal()] = value;
      return this;
    }

    /** The current value of {@code field} (null when unset): for duplicate detection. */
    Object value(Field field) {
      return values[field.ordinal()];
    }

    /** The current value of label {@code key} (null when unset). */
    String labelValue(String key) {
      return labels.get(key);
    }

    Builder error(FieldError error) {
      errors.add(error);
      Field.byName(error.field()).ifPresent(f -> fieldsWithErrors |= 1L << f.ordinal());
      return this;
    }

    boolean hasErrors() {
      return !errors.isEmpty();
    }

    List<FieldError> errors() {
      return errors;
    }

    private boolean hasError(Field f) {
      return (fieldsWithErrors & (1L << f.ordinal())) != 0;
    }
  }
}
