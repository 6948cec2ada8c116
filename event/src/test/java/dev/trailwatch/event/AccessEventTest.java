package dev.trailwatch.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The record, its builder and the schema table. */
class AccessEventTest {
  private static final Instant T = Instant.parse("2024-05-01T12:34:56Z");

  @Test
  void schemaTableIsDesignOrderWithTypes() {
    assertThat(Field.values())
        .extracting(Field::ecsName)
        .containsExactly(
            "@timestamp",
            "event.action",
            "event.outcome",
            "event.category",
            "event.dataset",
            "event.id",
            "user.name",
            "user.id",
            "user.roles",
            "source.ip",
            "source.port",
            "destination.ip",
            "destination.port",
            "host.name",
            "service.name",
            "url.path",
            "http.request.method",
            "http.response.status_code",
            "user_agent.original",
            "resource.type",
            "resource.id",
            "session.id",
            "trace.id",
            "message",
            "labels",
            "tenant");
    assertThat(Field.SOURCE_IP.type()).isEqualTo(Field.Type.IP);
    assertThat(Field.SOURCE_PORT.type()).isEqualTo(Field.Type.INT);
    assertThat(Field.SOURCE_PORT.maxValue()).isEqualTo(65_535);
    assertThat(Field.HTTP_RESPONSE_STATUS_CODE.minValue()).isEqualTo(100);
    assertThat(Field.USER_ROLES.type()).isEqualTo(Field.Type.KEYWORD_LIST);
    assertThat(Field.MESSAGE.type()).isEqualTo(Field.Type.TEXT);
    assertThat(Field.EVENT_OUTCOME.type()).isEqualTo(Field.Type.OUTCOME);
    assertThat(Field.TIMESTAMP.type()).isEqualTo(Field.Type.INSTANT);
    assertThat(Field.LABELS.type()).isEqualTo(Field.Type.KEYWORD_MAP);
    assertThat(Field.HTTP_REQUEST_METHOD.path()).containsExactly("http", "request", "method");
    assertThat(Field.TIMESTAMP.path()).containsExactly("@timestamp");
    assertThat(Field.REQUIRED)
        .containsExactly(Field.TIMESTAMP, Field.EVENT_ACTION, Field.EVENT_OUTCOME);
    for (Field f : Field.values()) {
      assertThat(Field.byName(f.ecsName())).contains(f);
      assertThat(f.required()).isEqualTo(Field.REQUIRED.contains(f));
    }
    assertThat(Field.byName("labels.env")).isEmpty();
    assertThat(Field.byName("user")).isEmpty();
  }

  /** get(Field) returns the documented Java type for every field of a full event. */
  @Test
  void getReturnsTheTypeOfTheSchemaTable() {
    AccessEvent e = full();
    for (Field f : Field.values()) {
      Object value = e.get(f).orElseThrow(() -> new AssertionError(f + " should be set"));
      Class<?> expected =
          switch (f.type()) {
            case INSTANT -> Instant.class;
            case KEYWORD, TEXT -> String.class;
            case KEYWORD_LIST -> List.class;
            case OUTCOME -> Outcome.class;
            case IP -> IpAddress.class;
            case INT -> Integer.class;
            case KEYWORD_MAP -> Map.class;
          };
      assertThat(value).as(f.ecsName()).isInstanceOf(expected);
      assertThat(e.get(f.ecsName())).as(f.ecsName()).contains(value);
    }
    assertThat(e.get("source.port")).contains(51234);
    assertThat(e.get("source.ip")).contains(IpAddress.parse("192.0.2.7"));
    assertThat(e.get("labels.env")).contains("prod");
    assertThat(e.get("labels.nope")).isEmpty();
    assertThat(e.get("nope")).isEmpty();
    assertThat(e.get("user")).isEmpty();
  }

  @Test
  void absentFieldsAreEmptyNeverNull() {
    AccessEvent e = minimal().build();
    for (Field f : Field.values()) {
      assertThat(e.get(f)).as(f.ecsName()).isNotNull();
    }
    assertThat(e.get(Field.USER_ROLES)).isEmpty();
    assertThat(e.get(Field.LABELS)).isEmpty();
    assertThat(e.source()).isSameAs(Endpoint.NONE);
    assertThat(e.web()).isSameAs(WebInfo.NONE);
    assertThat(e.resource()).isSameAs(ResourceRef.NONE);
    assertThat(e.correlation()).isSameAs(Correlation.NONE);
    assertThat(e.destination().isEmpty()).isTrue();
    assertThat(e.user().roles()).isEmpty();
    assertThat(e.labels()).isEmpty();
  }

  @Test
  void builderReportsEveryProblemAtOnce() {
    AccessEvent.Builder b =
        AccessEvent.builder()
            .timestamp(Instant.parse("+10000-01-01T00:00:00Z"))
            .outcome(Outcome.SUCCESS)
            .userName("")
            .userRoles(List.of("a", ""))
            .sourceIp("999.1.1.1")
            .sourcePort(70_000)
            .httpStatusCode(42)
            .label("", "x");
    assertThat(b.problems())
        .extracting(FieldError::describe)
        .containsExactly(
            "source.ip: '999.1.1.1' is not an IPv4 address: part 999 is larger than 255",
            "event.action: required field is missing",
            "@timestamp: +10000-01-01T00:00:00Z is outside the years 0000-9999 (UTC) that can be"
                + " stored",
            "user.name: must not be empty (omit the field when there is no value)",
            "user.roles: entry 2 is empty; every entry must be a non-empty string",
            "source.port: 70000 is out of range 0..65535",
            "http.response.status_code: 42 is out of range 100..599",
            "labels: label keys must not be empty");
    assertThatThrownBy(b::build)
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith(
            "invalid access event: source.ip: '999.1.1.1' is not an IPv4 address: part 999 is"
                + " larger than 255; event.action: required field is missing;")
        .satisfies(ex -> assertThat(((InvalidEventException) ex).errors()).hasSize(8));
  }

  @Test
  void actorRule() {
    AccessEvent.Builder b = AccessEvent.builder().timestamp(T).action("a").outcome(Outcome.UNKNOWN);
    assertThat(b.problems())
        .containsExactly(
            new FieldError(
                "user.name",
                "missing: an event needs at least one of user.name, user.id or source.ip to say"
                    + " who acted"));
    assertThat(b.userId("u").problems()).isEmpty();
    assertThat(b.userId(null).sourceIp("10.0.0.1").problems()).isEmpty();
    assertThat(b.clear(Field.SOURCE_IP).dataset("unparsed").problems()).isEmpty();
  }

  @Test
  void unparsedEvent() {
    AccessEvent e =
        AccessEvent.unparsed("Dec 10 06:55:46 LabSZ sshd[24200]: ???", "no parser matched", T);
    assertThat(e.isUnparsed()).isTrue();
    assertThat(e.timestamp()).isEqualTo(T);
    assertThat(e.event())
        .isEqualTo(
            new EventInfo(
                "unparsed",
                Outcome.UNKNOWN,
                Optional.empty(),
                Optional.of("unparsed"),
                Optional.empty()));
    assertThat(e.message()).contains("Dec 10 06:55:46 LabSZ sshd[24200]: ???");
    assertThat(e.labels()).containsExactly(Map.entry("parse_error", "no parser matched"));
    assertThat(e.get("labels.parse_error")).contains("no parser matched");
    assertThat(AccessEvent.unparsed("", "", T).labels())
        .containsEntry("parse_error", "unknown parse error");
    assertThat(minimal().build().isUnparsed()).isFalse();
  }

  @Test
  void copiesAreDefensiveAndImmutable() {
    List<String> roles = new ArrayList<>(List.of("a"));
    Map<String, String> labels = new HashMap<>(Map.of("k", "v"));
    AccessEvent e = minimal().userRoles(roles).labels(labels).build();
    roles.add("b");
    labels.put("k2", "v2");
    assertThat(e.user().roles()).containsExactly("a");
    assertThat(e.labels()).containsExactly(Map.entry("k", "v"));
    assertThatThrownBy(() -> e.user().roles().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> e.labels().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    Map<String, String> mutable = new HashMap<>(Map.of("k", "v"));
    AccessEvent direct =
        new AccessEvent(
            T,
            EventInfo.of("a", Outcome.SUCCESS),
            new UserInfo(Optional.of("u"), Optional.empty(), List.of()),
            Endpoint.NONE,
            Endpoint.NONE,
            Optional.empty(),
            Optional.empty(),
            WebInfo.NONE,
            ResourceRef.NONE,
            Correlation.NONE,
            Optional.empty(),
            mutable,
            Optional.empty());
    mutable.clear();
    assertThat(direct.labels()).containsExactly(Map.entry("k", "v"));
  }

  @Test
  void labelsIterateInKeyOrderAndEqualAnyMap() {
    AccessEvent e = minimal().label("b", "2").label("a", "1").label("c", "3").build();
    assertThat(new ArrayList<>(e.labels().keySet())).containsExactly("a", "b", "c");
    assertThat(e.labels()).isEqualTo(Map.of("a", "1", "b", "2", "c", "3"));
    assertThat(e.labels().hashCode()).isEqualTo(Map.of("a", "1", "b", "2", "c", "3").hashCode());
    assertThat(e.labels().get("b")).isEqualTo("2");
    assertThat(e.labels().containsKey("z")).isFalse();
  }

  @Test
  void constructorsGuardTheInvariants() {
    assertThatThrownBy(() -> new Endpoint(Optional.empty(), OptionalInt.of(65_536)))
        .hasMessage("port 65536 is out of range 0..65535");
    assertThatThrownBy(
            () ->
                new WebInfo(
                    Optional.empty(), Optional.empty(), OptionalInt.of(600), Optional.empty()))
        .hasMessage("http.response.status_code 600 is out of range 100..599");
    assertThatThrownBy(() -> new UserInfo(Optional.of(""), Optional.empty(), List.of()))
        .hasMessage("user.name must not be empty (omit the field when there is no value)");
    assertThatThrownBy(() -> EventInfo.of("a", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("outcome");
    assertThatThrownBy(() -> new ResourceRef(null, Optional.empty()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () ->
                new AccessEvent(
                    T,
                    EventInfo.of("a", Outcome.SUCCESS),
                    UserInfo.NONE,
                    Endpoint.NONE,
                    Endpoint.NONE,
                    Optional.empty(),
                    Optional.empty(),
                    WebInfo.NONE,
                    ResourceRef.NONE,
                    Correlation.NONE,
                    Optional.empty(),
                    Map.of(),
                    Optional.empty()))
        .hasMessageContaining("at least one of user.name, user.id or source.ip");
    assertThatThrownBy(() -> minimal().label("k\ud800", "v").build())
        .hasMessageContaining("label key 'k\ud800' contains an unpaired surrogate U+D800");
  }

  @Test
  void toBuilderReproducesTheEvent() {
    AccessEvent e = full();
    assertThat(e.toBuilder().build()).isEqualTo(e);
    assertThat(e.toBuilder().userName("bob").build().user().name()).contains("bob");
    SplittableRandom random = new SplittableRandom(TestSeeds.seed("to-builder"));
    for (int i = 0; i < 2_000; i++) {
      AccessEvent r = CanonicalFormTest.randomEvent(random);
      assertThat(r.toBuilder().build()).as(TestSeeds.reproduce()).isEqualTo(r);
    }
  }

  @Test
  void outcomeValues() {
    assertThat(Outcome.fromEcs("failure")).contains(Outcome.FAILURE);
    assertThat(Outcome.fromEcs("FAILURE")).isEmpty();
    assertThat(Outcome.SUCCESS.ecsValue()).isEqualTo("success");
    assertThat(Outcome.UNKNOWN).hasToString("unknown");
  }

  static AccessEvent.Builder minimal() {
    return AccessEvent.builder()
        .timestamp(T)
        .action("login")
        .outcome(Outcome.SUCCESS)
        .userName("alice");
  }

  static AccessEvent full() {
    return AccessEvent.builder()
        .timestamp(T)
        .eventId("e-1")
        .action("http_request")
        .outcome(Outcome.FAILURE)
        .category("web")
        .dataset("nginx.access")
        .userName("alice")
        .userId("u1")
        .userRoles(List.of("admin"))
        .sourceIp("192.0.2.7")
        .sourcePort(51234)
        .destinationIp("2001:db8::1")
        .destinationPort(443)
        .hostName("web-1")
        .serviceName("nginx")
        .urlPath("/login")
        .httpMethod("POST")
        .httpStatusCode(401)
        .userAgent("curl/8.5.0")
        .resourceType("page")
        .resourceId("login")
        .sessionId("s-9")
        .traceId("t-7")
        .message("POST /login 401")
        .label("env", "prod")
        .tenant("acme")
        .build();
  }
}
