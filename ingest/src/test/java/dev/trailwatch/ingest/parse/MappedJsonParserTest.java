package dev.trailwatch.ingest.parse;

import static dev.trailwatch.ingest.parse.JsonSourceTesting.get;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.parse;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.parsed;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.unparsedReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.parse.MappedJsonParser.TimestampFormat;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MappedJsonParserTest {
  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private static final Map<String, String> MAPPING =
      ordered(
          "ts", "@timestamp",
          "who.login", "user.name",
          "who.id", "user.id",
          "who.roles", "user.roles",
          "net.client", "source.ip",
          "net.port", "source.port",
          "result", "event.outcome",
          "req.path", "url.path",
          "req.status", "http.response.status_code",
          "hops.0.host", "host.name",
          "tenant_id", "labels.customer");

  private final MappedJsonParser parser =
      new MappedJsonParser(
          "shopapp",
          "shop.auth",
          MAPPING,
          Map.of("event.action", "login", "event.category", "authentication"),
          TimestampFormat.RFC3339);

  @Test
  void mapsPathsToFieldsAndKeepsOnlyTheRawRecord() {
    String line =
        "{\"ts\":\"2026-05-06T07:08:09.5+02:00\",\"who\":{\"login\":\"uma\",\"id\":1234,"
            + "\"roles\":[\"buyer\",\"admin\"]},\"net\":{\"client\":\"192.0.2.44\",\"port\":\"51000\"},"
            + "\"result\":\"FAILURE\",\"req\":{\"path\":\"/login\",\"status\":401},"
            + "\"hops\":[{\"host\":\"edge-1\"}],\"tenant_id\":\"acme\",\"secret\":\"not kept\"}";
    AccessEvent e = parsed(parser, line);
    assertThat(parser.format()).isEqualTo("shopapp");
    assertThat(parser.dataset()).isEqualTo("shop.auth");
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-05-06T05:08:09.5Z"));
    assertThat(get(e, "event.dataset")).isEqualTo("shop.auth");
    assertThat(get(e, "event.action")).isEqualTo("login");
    assertThat(get(e, "event.category")).isEqualTo("authentication");
    assertThat(e.event().outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(get(e, "user.name")).isEqualTo("uma");
    assertThat(get(e, "user.id")).isEqualTo("1234");
    assertThat(e.user().roles()).containsExactly("buyer", "admin");
    assertThat(get(e, "source.ip")).isEqualTo("192.0.2.44");
    assertThat(get(e, "source.port")).isEqualTo("51000");
    assertThat(get(e, "url.path")).isEqualTo("/login");
    assertThat(get(e, "http.response.status_code")).isEqualTo("401");
    assertThat(get(e, "host.name")).isEqualTo("edge-1");
    assertThat(e.labels()).containsExactly(Map.entry("customer", "acme"));
    assertThat(e.message()).hasValue(line);
  }

  @Test
  void flatDottedKeysAndAbsentValues() {
    AccessEvent e =
        parsed(
            parser,
            "{\"ts\":\"2026-05-06T07:08:09Z\",\"who.login\":\"vic\",\"result\":true,"
                + "\"net\":{\"client\":null},\"who.roles\":\"ops\",\"req\":{\"path\":\"\"}}");
    assertThat(get(e, "user.name")).isEqualTo("vic");
    assertThat(e.event().outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(e.user().roles()).containsExactly("ops");
    assertThat(e.web().urlPath()).isEmpty(); // "" is absent
    assertThat(e.source().ip()).isEmpty();
  }

  @Test
  void outcomeDefaultsToUnknownAndAHostGoesToTheAddressLabel() {
    AccessEvent e =
        parsed(
            parser,
            "{\"ts\":\"2026-05-06T07:08:09Z\",\"who\":{\"login\":\"wes\"},\"net\":{\"client\":\"gw.local\"}}");
    assertThat(e.event().outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(e.labels()).containsEntry("source.address", "gw.local");
  }

  @Test
  void validationFailuresNameTheField() {
    assertThat(
            unparsedReason(
                parser, "{\"ts\":\"2026-05-06T07:08:09Z\",\"who\":{\"login\":{\"first\":\"x\"}}}"))
        .isEqualTo(
            "shop.auth: 'who.login' (user.name): is an object, expected a string, number or boolean");
    assertThat(
            unparsedReason(
                parser,
                "{\"ts\":\"2026-05-06T07:08:09Z\",\"who\":{\"login\":\"x\"},\"result\":\"maybe\"}"))
        .contains("'result' (event.outcome): is 'maybe', expected success, failure or unknown");
    assertThat(
            unparsedReason(
                parser,
                "{\"ts\":\"2026-05-06T07:08:09Z\",\"who\":{\"login\":\"x\"},\"net\":{\"port\":70000}}"))
        .contains("source.port")
        .contains("70000");
    assertThat(
            unparsedReason(
                parser,
                "{\"ts\":\"2026-05-06T07:08:09Z\",\"who\":{\"login\":\"x\"},\"net\":{\"port\":\"ssh\"}}"))
        .contains("'net.port' (source.port): is '\"ssh\"', expected an integer");
    assertThat(unparsedReason(parser, "{\"ts\":1746515289,\"who\":{\"login\":\"x\"}}"))
        .contains("'ts' (@timestamp): is '1746515289', expected an RFC 3339 timestamp");
    assertThat(unparsedReason(parser, "{\"ts\":\"tuesday\",\"who\":{\"login\":\"x\"}}"))
        .startsWith("shop.auth: 'ts' (@timestamp): ");
    assertThat(unparsedReason(parser, "{\"who\":{\"login\":\"x\"}}"))
        .isEqualTo("shop.auth: @timestamp: no value at 'ts'");
    assertThat(unparsedReason(parser, "{\"ts\":\"2026-05-06T07:08:09Z\"}"))
        .contains("at least one of user.name");
    assertThat(unparsedReason(parser, "42")).contains("expected a JSON object, found a number");
    // Both problems at once.
    assertThat(unparsedReason(parser, "{\"ts\":[],\"who\":{\"login\":\"x\"},\"result\":\"?\"}"))
        .contains("@timestamp")
        .contains("event.outcome");
  }

  @Test
  void epochTimestamps() {
    Map<String, String> m = ordered("t", "@timestamp", "u", "user.name", "a", "event.action");
    MappedJsonParser millis =
        new MappedJsonParser("m", "m", m, Map.of(), TimestampFormat.EPOCH_MILLIS);
    MappedJsonParser seconds =
        new MappedJsonParser("s", "s", m, Map.of(), TimestampFormat.byName("epoch_seconds"));
    assertThat(parsed(millis, "{\"t\":1746515289123,\"u\":\"x\",\"a\":\"y\"}").timestamp())
        .isEqualTo(Instant.parse("2025-05-06T07:08:09.123Z"));
    assertThat(parsed(millis, "{\"t\":\"1746515289123.5\",\"u\":\"x\",\"a\":\"y\"}").timestamp())
        .isEqualTo(Instant.parse("2025-05-06T07:08:09.1235Z"));
    assertThat(parsed(seconds, "{\"t\":1746515289.25,\"u\":\"x\",\"a\":\"y\"}").timestamp())
        .isEqualTo(Instant.parse("2025-05-06T07:08:09.25Z"));
    assertThat(parsed(seconds, "{\"t\":-1,\"u\":\"x\",\"a\":\"y\"}").timestamp())
        .isEqualTo(Instant.parse("1969-12-31T23:59:59Z"));
    assertThat(unparsedReason(seconds, "{\"t\":1e999999999,\"u\":\"x\",\"a\":\"y\"}"))
        .contains("expected seconds since 1970");
    assertThat(unparsedReason(seconds, "{\"t\":\"soon\",\"u\":\"x\",\"a\":\"y\"}"))
        .contains("expected seconds since 1970");
    assertThat(unparsedReason(seconds, "{\"t\":1e15,\"u\":\"x\",\"a\":\"y\"}"))
        .contains("@timestamp"); // past the year 9999
  }

  @Test
  void theFirstPresentPathOfATargetWins() {
    MappedJsonParser p =
        new MappedJsonParser(
            "alt",
            "alt",
            ordered(
                "time",
                "@timestamp",
                "user",
                "user.name",
                "username",
                "user.name",
                "op",
                "event.action"));
    assertThat(
            get(
                parsed(p, "{\"time\":\"2026-01-01T00:00:00Z\",\"username\":\"b\",\"op\":\"x\"}"),
                "user.name"))
        .isEqualTo("b");
    assertThat(
            get(
                parsed(
                    p,
                    "{\"time\":\"2026-01-01T00:00:00Z\",\"user\":\"a\",\"username\":\"b\",\"op\":\"x\"}"),
                "user.name"))
        .isEqualTo("a");
  }

  @Test
  void arrayPathsAndArrays() {
    assertThat(MappedJsonParser.resolve(JsonSourceSupport.MAPPER.createObjectNode(), List.of("a")))
        .isNull();
    List<AccessEvent> events =
        parse(
            parser,
            "[{\"ts\":\"2026-05-06T07:08:09Z\",\"who\":{\"login\":\"a\"}},"
                + "{\"ts\":\"2026-05-06T07:08:10Z\",\"who\":{\"login\":\"b\"}}]");
    assertThat(events).hasSize(2).noneMatch(AccessEvent::isUnparsed);
    AccessEvent e =
        parsed(
            parser,
            "{\"ts\":\"2026-05-06T07:08:09Z\",\"who\":{\"login\":\"a\"},\"hops\":[]}"); // index out
    assertThat(e.hostName()).isEmpty();
  }

  @Test
  void configurationErrorsAreNamed() {
    Map<String, String> ok = ordered("t", "@timestamp", "u", "user.name");
    Map<String, String> action = Map.of("event.action", "x");
    assertThatThrownBy(() -> new MappedJsonParser("f", "d", ok))
        .hasMessage("event.action must be mapped or a constant");
    assertThatThrownBy(
            () ->
                new MappedJsonParser(
                    "f", "d", Map.of("u", "user.name"), action, TimestampFormat.RFC3339))
        .hasMessage("the mapping must give @timestamp");
    assertThatThrownBy(
            () ->
                new MappedJsonParser(
                    "f",
                    "d",
                    ordered("t", "@timestamp", "u", "user.nam"),
                    action,
                    TimestampFormat.RFC3339))
        .hasMessageContaining("unknown target 'user.nam' for 'u'");
    assertThatThrownBy(
            () ->
                new MappedJsonParser(
                    "f",
                    "d",
                    ordered("t", "@timestamp", "a..b", "user.name"),
                    action,
                    TimestampFormat.RFC3339))
        .hasMessageContaining("path 'a..b'");
    assertThatThrownBy(
            () ->
                new MappedJsonParser(
                    "f",
                    "d",
                    ordered("t", "@timestamp", "m", "message"),
                    action,
                    TimestampFormat.RFC3339))
        .hasMessageContaining("message cannot be mapped");
    assertThatThrownBy(
            () ->
                new MappedJsonParser(
                    "f",
                    "d",
                    ordered("t", "@timestamp", "u", "user.name", "a", "event.action"),
                    action,
                    TimestampFormat.RFC3339))
        .hasMessage("event.action is both mapped and a constant; keep one");
    assertThatThrownBy(
            () ->
                new MappedJsonParser(
                    "f",
                    "d",
                    ok,
                    Map.of("event.action", "x", "source.port", "ssh"),
                    TimestampFormat.RFC3339))
        .hasMessageContaining("constant source.port: is '\"ssh\"', expected an integer");
    assertThatThrownBy(
            () ->
                new MappedJsonParser(
                    "f",
                    "d",
                    ok,
                    Map.of("event.action", "x", "source.ip", "gw"),
                    TimestampFormat.RFC3339))
        .hasMessageContaining("is not an IP address");
    assertThatThrownBy(
            () ->
                new MappedJsonParser(
                    "f",
                    "d",
                    ok,
                    Map.of("event.action", "x", "labels.", "y"),
                    TimestampFormat.RFC3339))
        .hasMessageContaining("needs a label key");
    assertThatThrownBy(
            () -> new MappedJsonParser("f", "unparsed", ok, action, TimestampFormat.RFC3339))
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> TimestampFormat.byName("iso"))
        .hasMessageContaining("expected rfc3339, epoch_millis or epoch_seconds");
    MappedJsonParser constants =
        new MappedJsonParser(
            "f",
            "d",
            ok,
            Map.of(
                "event.action",
                "x",
                "event.outcome",
                "Success",
                "labels.env",
                "prod",
                "source.port",
                "22"),
            TimestampFormat.RFC3339);
    AccessEvent e = parsed(constants, "{\"t\":\"2026-01-01T00:00:00Z\",\"u\":\"z\"}");
    assertThat(e.event().outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(e.labels()).containsEntry("env", "prod");
    assertThat(get(e, "source.port")).isEqualTo("22");
  }
}
