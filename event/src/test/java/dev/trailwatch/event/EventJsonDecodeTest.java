package dev.trailwatch.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven tests of {@link EventJson#decode}: what valid input means, and for every kind of
 * invalid input the exact field and message. Every case also runs through {@link
 * EventJson#decode(String)} and on a slice of a larger array, which must agree.
 */
class EventJsonDecodeTest {

  /** A valid minimal event, to which each error case adds one problem. */
  private static final String BASE =
      "\"@timestamp\":\"2024-05-01T12:34:56Z\",\"event\":{\"action\":\"login\","
          + "\"outcome\":\"success\"},\"user\":{\"name\":\"alice\"}";

  private static final Instant T = Instant.parse("2024-05-01T12:34:56Z");

  private static AccessEvent.Builder base() {
    return AccessEvent.builder()
        .timestamp(T)
        .action("login")
        .outcome(Outcome.SUCCESS)
        .userName("alice");
  }

  // -----------------------------------------------------------------------------------------------
  // Valid input

  static Stream<Arguments> valid() {
    AccessEvent full =
        AccessEvent.builder()
            .timestamp(Instant.parse("2024-05-01T12:34:56.123456789Z"))
            .eventId("e-1")
            .action("http_request")
            .outcome(Outcome.FAILURE)
            .category("web")
            .dataset("nginx.access")
            .userName("alice")
            .userId("u1")
            .userRoles(List.of("admin", "dev"))
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
    String nested =
        "{\"@timestamp\":\"2024-05-01T12:34:56.123456789Z\",\"event\":{\"id\":\"e-1\","
            + "\"action\":\"http_request\",\"outcome\":\"failure\",\"category\":\"web\","
            + "\"dataset\":\"nginx.access\"},\"user\":{\"name\":\"alice\",\"id\":\"u1\","
            + "\"roles\":[\"admin\",\"dev\"]},\"source\":{\"ip\":\"192.0.2.7\",\"port\":51234},"
            + "\"destination\":{\"ip\":\"2001:DB8:0::1\",\"port\":443},\"host\":{\"name\":\"web-1\"},"
            + "\"service\":{\"name\":\"nginx\"},\"url\":{\"path\":\"/login\"},\"http\":{\"request\":"
            + "{\"method\":\"POST\"},\"response\":{\"status_code\":401}},\"user_agent\":{\"original\":"
            + "\"curl/8.5.0\"},\"resource\":{\"type\":\"page\",\"id\":\"login\"},\"session\":{\"id\":"
            + "\"s-9\"},\"trace\":{\"id\":\"t-7\"},\"message\":\"POST /login 401\",\"labels\":"
            + "{\"env\":\"prod\"},\"tenant\":\"acme\"}";
    String flat =
        "{\"@timestamp\":\"2024-05-01T14:34:56.123456789+02:00\",\"event.id\":\"e-1\","
            + "\"event.action\":\"http_request\",\"event.outcome\":\"failure\","
            + "\"event.category\":\"web\",\"event.dataset\":\"nginx.access\",\"user.name\":\"alice\","
            + "\"user.id\":\"u1\",\"user.roles\":[\"admin\",\"dev\"],\"source.ip\":\"192.0.2.7\","
            + "\"source.port\":51234,\"destination.ip\":\"2001:db8::1\",\"destination.port\":\"443\","
            + "\"host.name\":\"web-1\",\"service.name\":\"nginx\",\"url.path\":\"/login\","
            + "\"http.request.method\":\"POST\",\"http.response.status_code\":401,"
            + "\"user_agent.original\":\"curl/8.5.0\",\"resource.type\":\"page\","
            + "\"resource.id\":\"login\",\"session.id\":\"s-9\",\"trace.id\":\"t-7\","
            + "\"message\":\"POST /login 401\",\"labels.env\":\"prod\",\"tenant\":\"acme\"}";
    String mixed =
        "{\"@timestamp\":\"2024-05-01 12:34:56.123456789Z\",\"event\":{\"id\":\"e-1\"},"
            + "\"event.action\":\"http_request\",\"event\":{\"outcome\":\"failure\","
            + "\"category\":\"web\"},\"event.dataset\":\"nginx.access\",\"user\":{\"name\":\"alice\","
            + "\"id\":\"u1\"},\"user.roles\":[\"admin\",\"dev\"],\"source\":{\"ip\":\"192.0.2.7\"},"
            + "\"source.port\":51234,\"destination\":{\"ip\":\"2001:db8::1\",\"port\":443},"
            + "\"host.name\":\"web-1\",\"service\":{\"name\":\"nginx\"},\"url.path\":\"/login\","
            + "\"http\":{\"request.method\":\"POST\",\"response\":{\"status_code\":401}},"
            + "\"user_agent.original\":\"curl/8.5.0\",\"resource\":{\"type\":\"page\"},"
            + "\"resource.id\":\"login\",\"session.id\":\"s-9\",\"trace\":{\"id\":\"t-7\"},"
            + "\"message\":\"POST /login 401\",\"labels\":{\"env\":\"prod\"},\"tenant\":\"acme\"}";
    return Stream.of(
        Arguments.of("nested", nested, full),
        Arguments.of("flat dotted", flat, full),
        Arguments.of("mixed", mixed, full),
        Arguments.of(
            "null is absent", "{" + BASE + ",\"host.name\":null,\"source\":null}", base().build()),
        Arguments.of(
            "numbers are keywords as written",
            "{" + BASE + ",\"user.id\":1000,\"resource.id\":1.50}",
            base().userId("1000").resourceId("1.50").build()),
        Arguments.of(
            "one role as a string",
            "{" + BASE + ",\"user.roles\":\"admin\"}",
            base().userRoles(List.of("admin")).build()),
        Arguments.of("empty roles are absent", "{" + BASE + ",\"user.roles\":[]}", base().build()),
        Arguments.of(
            "unknown scalars, objects and arrays become labels",
            "{"
                + BASE
                + ",\"process\":{\"pid\":42,\"args\":[\"-v\",1,null,{\"a\":true}]},"
                + "\"user\":{\"email\":\"a@example.com\"},\"ok\":false,\"empty\":{},\"gone\":null}",
            base()
                .label("process.pid", "42")
                .label("process.args", "[\"-v\",1,null,{\"a\":true}]")
                .label("user.email", "a@example.com")
                .label("ok", "false")
                .label("empty", "{}")
                .build()),
        Arguments.of(
            "labels: nested, flat, numbers and booleans as text",
            "{"
                + BASE
                + ",\"labels\":{\"a\":{\"b\":1},\"c\":true,\"d\":2.50},\"labels.e.f\":\"g\"}",
            base()
                .label("a.b", "1")
                .label("c", "true")
                .label("d", "2.50")
                .label("e.f", "g")
                .build()),
        Arguments.of(
            "same value twice is fine",
            "{"
                + BASE
                + ",\"user.name\":\"alice\",\"source.ip\":\"::ffff:10.0.0.1\","
                + "\"source\":{\"ip\":\"10.0.0.1\"},\"process.pid\":1,\"process\":{\"pid\":1}}",
            base().sourceIp("10.0.0.1").label("process.pid", "1").build()),
        Arguments.of(
            "epoch millis number",
            "{\"@timestamp\":1714566896000,\"event.action\":\"a\",\"event.outcome\":\"unknown\","
                + "\"user.id\":\"u\"}",
            AccessEvent.builder()
                .timestamp(T)
                .action("a")
                .outcome(Outcome.UNKNOWN)
                .userId("u")
                .build()),
        Arguments.of(
            "epoch millis digit string",
            "{\"@timestamp\":\"1714566896000\",\"event.action\":\"a\",\"event.outcome\":\"unknown\","
                + "\"user.id\":\"u\"}",
            AccessEvent.builder()
                .timestamp(T)
                .action("a")
                .outcome(Outcome.UNKNOWN)
                .userId("u")
                .build()),
        Arguments.of(
            "epoch nanos",
            "{\"@timestamp\":1714566896000000001,\"event.action\":\"a\",\"event.outcome\":\"unknown\","
                + "\"source.ip\":\"10.1.2.3\"}",
            AccessEvent.builder()
                .timestamp(T.plusNanos(1))
                .action("a")
                .outcome(Outcome.UNKNOWN)
                .sourceIp("10.1.2.3")
                .build()),
        Arguments.of(
            "epoch zero",
            "{\"@timestamp\":0,\"event.action\":\"a\",\"event.outcome\":\"unknown\",\"user.id\":\"u\"}",
            AccessEvent.builder()
                .timestamp(Instant.EPOCH)
                .action("a")
                .outcome(Outcome.UNKNOWN)
                .userId("u")
                .build()),
        Arguments.of(
            "unparsed events need no actor",
            "{\"@timestamp\":\"2024-05-01T12:34:56Z\",\"event\":{\"action\":\"unparsed\","
                + "\"outcome\":\"unknown\",\"dataset\":\"unparsed\"},\"message\":\"garbage\","
                + "\"labels\":{\"parse_error\":\"bad\"}}",
            AccessEvent.unparsed("garbage", "bad", T)),
        Arguments.of(
            "white space and unicode",
            " {\n" + BASE + ",\"message\":\"caf\\u00e9 ☕ \\ud83d\\ude00\"} \r\n ",
            base().message("café ☕ 😀").build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void decodesValidInput(String name, String json, AccessEvent expected) {
    assertThat(decodeAllWays(json)).isEqualTo(new Decoded.Valid(expected));
  }

  // -----------------------------------------------------------------------------------------------
  // Field errors

  static Stream<Arguments> fieldErrors() {
    String either = "at least one of user.name, user.id or source.ip";
    String send = JsonEventReader.SEND_INSTEAD;
    return Stream.of(
        Arguments.of(
            "{}",
            List.of(
                "@timestamp: required field is missing",
                "event.action: required field is missing",
                "event.outcome: required field is missing",
                "user.name: missing: an event needs " + either + " to say who acted")),
        Arguments.of(
            "{\"@timestamp\":\"2024-05-01T12:34:56Z\",\"event.action\":\"a\",\"event.outcome\":\"success\"}",
            List.of("user.name: missing: an event needs " + either + " to say who acted")),
        Arguments.of(
            "{" + BASE + ",\"source.ip\":\"abc\"}",
            List.of("source.ip: 'abc' is not an IPv4 or IPv6 address")),
        Arguments.of(
            "{\"@timestamp\":0,\"event.action\":\"a\",\"event.outcome\":\"success\",\"source.ip\":\"1.2.3\"}",
            // No "actor missing" on top of the bad address.
            List.of(
                "source.ip: '1.2.3' is not an IPv4 address: it has 3 parts, an IPv4 address has 4")),
        Arguments.of(
            "{" + BASE + ",\"source\":{\"ip\":123}}",
            List.of("source.ip: expected an IP address as a string, got the number 123")),
        Arguments.of(
            "{" + BASE + ",\"source.port\":70000}",
            List.of("source.port: 70000 is out of range 0..65535")),
        Arguments.of(
            "{" + BASE + ",\"destination.port\":-1}",
            List.of("destination.port: -1 is out of range 0..65535")),
        Arguments.of(
            "{" + BASE + ",\"source.port\":\"ssh\"}",
            List.of("source.port: 'ssh' is not an integer in range 0..65535")),
        Arguments.of(
            "{" + BASE + ",\"source.port\":22.5}",
            List.of("source.port: expected an integer 0..65535, got the number 22.5")),
        Arguments.of(
            "{" + BASE + ",\"source.port\":123456789012345678901234567890}",
            List.of("source.port: 123456789012345678901234567890 is out of range 0..65535")),
        Arguments.of(
            "{" + BASE + ",\"http.response.status_code\":99}",
            List.of("http.response.status_code: 99 is out of range 100..599")),
        Arguments.of(
            "{" + BASE + ",\"http\":{\"response\":{\"status_code\":\"600\"}}}",
            List.of("http.response.status_code: 600 is out of range 100..599")),
        Arguments.of(
            "{" + BASE.replace("\"success\"", "\"ok\"") + "}",
            List.of("event.outcome: 'ok' is not one of success, failure, unknown")),
        Arguments.of(
            "{" + BASE.replace("\"success\"", "\"Success\"") + "}",
            List.of("event.outcome: 'Success' is not one of success, failure, unknown")),
        Arguments.of(
            "{" + BASE.replace("\"success\"", "1") + "}",
            List.of("event.outcome: expected one of success, failure, unknown, got the number 1")),
        Arguments.of(
            "{" + BASE.replace("\"login\"", "true") + "}",
            List.of("event.action: expected a string, got true")),
        Arguments.of(
            "{" + BASE.replace("\"login\"", "[\"a\"]") + "}",
            List.of("event.action: expected a string, got an array")),
        Arguments.of(
            "{" + BASE.replace("\"login\"", "\"\"") + "}",
            List.of("event.action: must not be empty (omit the field when there is no value)")),
        Arguments.of(
            "{" + BASE + ",\"message\":{\"text\":\"x\"}}",
            List.of("message: expected a string, got an object")),
        Arguments.of(
            "{" + BASE + ",\"user.roles\":{\"a\":1}}",
            List.of("user.roles: expected a string or an array of strings, got an object")),
        Arguments.of(
            "{" + BASE + ",\"user.roles\":[\"a\",[\"b\"],\"\"]}",
            List.of(
                "user.roles: entry 2 must be a string, got an array",
                "user.roles: entry 3 is empty; every entry must be a non-empty string")),
        Arguments.of(
            "{" + BASE + ",\"user.name\":\"bob\"}",
            List.of(
                "user.name: given twice with different values, 'alice' and 'bob'; send it once")),
        Arguments.of(
            "{" + BASE + ",\"user.roles\":[\"a\"],\"user\":{\"roles\":[\"b\"]}}",
            List.of(
                "user.roles: given twice with different values, '[a]' and '[b]'; send it once")),
        Arguments.of(
            "{" + BASE + ",\"@timestamp\":\"2024-05-01T12:34:57Z\"}",
            List.of(
                "@timestamp: given twice with different values, '2024-05-01T12:34:56.000000000Z'"
                    + " and '2024-05-01T12:34:57.000000000Z'; send it once")),
        Arguments.of(
            "{" + BASE + ",\"labels\":{\"env\":\"prod\"},\"labels.env\":\"dev\"}",
            List.of(
                "labels.env: given twice with different values, 'prod' and 'dev'; send it once")),
        Arguments.of(
            "{" + BASE + ",\"process.pid\":1,\"labels\":{\"process.pid\":2}}",
            List.of(
                "labels.process.pid: given twice with different values, '1' and '2'; send it once")),
        Arguments.of(
            "{" + BASE + ",\"source\":\"10.0.0.1\"}",
            List.of(
                "source: expected an object (with fields such as source.ip), got the string"
                    + " '10.0.0.1'; write {\"source\":{...}} or dotted names like \"source.ip\"")),
        Arguments.of(
            "{" + BASE + ",\"http\":{\"request\":[1]}}",
            List.of(
                "http.request: expected an object (with fields such as http.request.method), got an"
                    + " array; write {\"http.request\":{...}} or dotted names like"
                    + " \"http.request.method\"")),
        Arguments.of(
            "{" + BASE + ",\"labels\":\"prod\"}",
            List.of(
                "labels: expected an object of label names and values, like {\"env\":\"prod\"},"
                    + " got the string 'prod'")),
        Arguments.of(
            "{" + BASE + ",\"\":1}",
            List.of(
                "labels: a field or label has an empty name; every value needs a name to be kept")),
        Arguments.of(
            "{" + BASE.replace("\"2024-05-01T12:34:56Z\"", "123456789012345") + "}",
            List.of(
                "@timestamp: 123456789012345 is ambiguous: between 1e14 and 1e17 it is neither"
                    + " plausible epoch milliseconds nor epoch nanoseconds (microseconds are not"
                    + " accepted); "
                    + send)),
        Arguments.of(
            "{" + BASE.replace("\"2024-05-01T12:34:56Z\"", "-5") + "}",
            List.of("@timestamp: -5 is a negative epoch time; " + send)),
        Arguments.of(
            "{" + BASE.replace("\"2024-05-01T12:34:56Z\"", "\"-5\"") + "}",
            List.of("@timestamp: -5 is a negative epoch time; " + send)),
        Arguments.of(
            "{" + BASE.replace("\"2024-05-01T12:34:56Z\"", "1.7145668E12") + "}",
            List.of(
                "@timestamp: 1.7145668E12 is not an integer; "
                    + send
                    + " (fractions of a second go in the RFC 3339 string)")),
        Arguments.of(
            "{" + BASE.replace("\"2024-05-01T12:34:56Z\"", "99999999999999999999") + "}",
            List.of(
                "@timestamp: 99999999999999999999 is too large for epoch nanoseconds (at most"
                    + " 9223372036854775807, in the year 2262); "
                    + send)),
        Arguments.of(
            "{" + BASE.replace("\"2024-05-01T12:34:56Z\"", "\"2024-13-01T00:00:00Z\"") + "}",
            List.of(
                "@timestamp: '2024-13-01T00:00:00Z' is not an RFC 3339 timestamp like"
                    + " 2024-05-01T12:34:56.789Z: month 13 is not 01-12")),
        Arguments.of(
            "{" + BASE.replace("\"2024-05-01T12:34:56Z\"", "\"22/Nov/2026:05:42:00 +0000\"") + "}",
            List.of(
                "@timestamp: '22/Nov/2026:05:42:00 +0000' is not an RFC 3339 timestamp like"
                    + " 2024-05-01T12:34:56.789Z: expected a digit of the year at position 3,"
                    + " found '/'")),
        Arguments.of(
            "{" + BASE.replace("\"2024-05-01T12:34:56Z\"", "false") + "}",
            List.of(
                "@timestamp: expected an RFC 3339 string or an integer epoch time in milliseconds"
                    + " or nanoseconds, got false")),
        Arguments.of(
            "{\"@timestamp\":\"x\",\"event.action\":7,\"event.outcome\":\"maybe\","
                + "\"source.ip\":\"1.2.3.4.5\",\"source.port\":1e3}",
            List.of(
                "@timestamp: 'x' is not an RFC 3339 timestamp like 2024-05-01T12:34:56.789Z: too"
                    + " short for a date and time with offset",
                "event.outcome: 'maybe' is not one of success, failure, unknown",
                "source.ip: '1.2.3.4.5' is not an IPv4 address: it has more than 4 parts",
                "source.port: expected an integer 0..65535, got the number 1e3")));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("fieldErrors")
  void reportsEveryFieldError(String json, List<String> expected) {
    Decoded decoded = decodeAllWays(json);
    assertThat(decoded).isInstanceOf(Decoded.Invalid.class);
    Decoded.Invalid invalid = (Decoded.Invalid) decoded;
    assertThat(invalid.errors())
        .extracting(FieldError::describe)
        .containsExactlyElementsOf(expected);
    assertThat(invalid.raw()).isEqualTo(json);
    assertThat(invalid.column()).as("field errors have no column").isEmpty();
  }

  // -----------------------------------------------------------------------------------------------
  // Input that is not one JSON object

  static Stream<Arguments> syntaxErrors() {
    return Stream.of(
        Arguments.of("", "the input is empty at column 1: expected a JSON object", 1),
        Arguments.of("   ", "the input is empty at column 4: expected a JSON object", 4),
        Arguments.of("[1,2]", "not a JSON object at column 1: expected {...}, got an array", 1),
        Arguments.of(
            " \"x\"", "not a JSON object at column 2: expected {...}, got the string 'x'", 2),
        Arguments.of(
            "{\"a\":1",
            "not valid JSON at column 7: the input ends before the object is closed with '}'",
            7),
        Arguments.of(
            "{\"a\":[1",
            "not valid JSON at column 8: the input ends before the array is closed with ']'",
            8),
        Arguments.of(
            "{\"a\":\"x",
            "not valid JSON at column 8: the input ends inside a string (missing closing '\"'?)",
            8),
        Arguments.of(
            "{a:1}",
            "not valid JSON at column 2: unexpected character 'a': expected '\"' to start a field"
                + " name",
            2),
        Arguments.of(
            "{\"a\":1,}",
            "not valid JSON at column 8: unexpected character '}': expected '\"' to start a field"
                + " name",
            8),
        Arguments.of(
            "{\"a\" 1}",
            "not valid JSON at column 6: unexpected character '1': expected ':' after the field"
                + " name",
            6),
        Arguments.of(
            "{\"é\":1 2}",
            "not valid JSON at column 8: unexpected character '2': expected ',' or '}' after a"
                + " value in an object",
            8),
        Arguments.of(
            "{\"a\":[1 2]}",
            "not valid JSON at column 9: unexpected character '2': expected ',' or ']' after a"
                + " value in an array",
            9),
        Arguments.of(
            "{\"a\":abc}",
            "not valid JSON at column 6: unrecognized word 'abc': a value must be a \"string\", a"
                + " number, an object, an array, true, false or null",
            6),
        Arguments.of(
            "{\"a\":\"x\ty\"}",
            "not valid JSON at column 8: control character U+0009 inside a string must be escaped"
                + " (as \\n, \\t or \\u00XX)",
            8),
        Arguments.of(
            "{\"a\":\"\\x\"}",
            "not valid JSON at column 8: invalid escape '\\x' in a string (valid: \\\" \\\\ \\/ \\b"
                + " \\f \\n \\r \\t \\uXXXX)",
            8),
        Arguments.of(
            "{\"a\":01}", "not valid JSON at column 7: numbers must not have leading zeros", 7),
        Arguments.of(
            "{\"a\":NaN}", "not valid JSON at column 9: NaN and Infinity are not JSON numbers", 9),
        Arguments.of(
            "{\"a\":+1}",
            "not valid JSON at column 7: unexpected character '+' in a number: JSON numbers have no"
                + " '+' sign",
            7),
        Arguments.of(
            "{\"a\":1]", "not valid JSON at column 7: unexpected ']': no array is open here", 7),
        Arguments.of(
            "{\"a\":\"\\u12\"}",
            "not valid JSON at column 11: unexpected character '\"': \\u must be followed by four"
                + " hex digits",
            11),
        Arguments.of(
            "{\"a\":1}\u0000",
            "unexpected content after the end of the JSON object at column 9: control character"
                + " U+0000 is not allowed outside strings",
            9),
        Arguments.of(
            "{" + BASE + "} x",
            "unexpected content after the end of the JSON object at column "
                + (BASE.length() + 4)
                + ": unrecognized word 'x': a value must be a \"string\", a number, an object, an"
                + " array, true, false or null",
            BASE.length() + 4),
        Arguments.of(
            "{" + BASE + "}{" + BASE + "}",
            "unexpected content after the end of the JSON object at column "
                + (BASE.length() + 3)
                + ": send one object per line, with nothing after it",
            BASE.length() + 3),
        Arguments.of(
            "[".repeat(70), "not a JSON object at column 1: expected {...}, got an array", 1),
        Arguments.of(
            "{\"a\":" + "[".repeat(70),
            "not valid JSON at column 70: objects and arrays are nested more than 64 levels deep",
            70),
        Arguments.of(
            "{\"a\":" + "9".repeat(1001) + "}",
            "not valid JSON at column 1007: a number has more than 1000 characters",
            1007));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("syntaxErrors")
  void reportsSyntaxErrorsWithTheirColumn(String json, String reason, int column) {
    Decoded decoded = EventJson.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(decoded).isInstanceOf(Decoded.Invalid.class);
    Decoded.Invalid invalid = (Decoded.Invalid) decoded;
    assertThat(invalid.errors()).containsExactly(new FieldError("", reason));
    assertThat(invalid.column()).isEqualTo(OptionalInt.of(column));
    assertThat(invalid.raw()).isEqualTo(json);
    // Text input agrees on the message (its columns count UTF-16 units, the same here).
    assertThat(EventJson.decode(json)).isEqualTo(decoded);
  }

  @Test
  void invalidUtf8IsASyntaxErrorWithItsCharacterColumn() {
    byte[] prefix = "{\"message\":\"é".getBytes(StandardCharsets.UTF_8);
    byte[] json = new byte[prefix.length + 3];
    System.arraycopy(prefix, 0, json, 0, prefix.length);
    json[prefix.length] = (byte) 0xc0; // overlong lead byte
    json[prefix.length + 1] = (byte) 0x80;
    json[prefix.length + 2] = '"';
    Decoded.Invalid invalid = (Decoded.Invalid) EventJson.decode(json);
    assertThat(invalid.errors())
        .containsExactly(
            FieldError.whole(
                "invalid UTF-8 at column 14: byte 0xc0 does not start or continue a valid"
                    + " character (send UTF-8 text)"));
    assertThat(invalid.column()).hasValue(14);
    assertThat(invalid.raw()).startsWith("{\"message\":\"é").contains("\uFFFD");
  }

  @Test
  void multiLineDocumentsGiveLineAndColumn() {
    Decoded.Invalid invalid =
        (Decoded.Invalid)
            EventJson.decode("{\n  \"a\": 1,\n  \"b\" 2\n}".getBytes(StandardCharsets.UTF_8));
    assertThat(invalid.errors().get(0).reason())
        .startsWith("not valid JSON at line 3, column 7: unexpected character '2'");
    assertThat(invalid.column()).hasValue(7);
  }

  @Test
  void summaryJoinsAllErrors() {
    Decoded.Invalid invalid = (Decoded.Invalid) EventJson.decode("{}");
    assertThat(invalid.summary())
        .isEqualTo(
            "@timestamp: required field is missing; event.action: required field is missing;"
                + " event.outcome: required field is missing; user.name: missing: an event needs"
                + " at least one of user.name, user.id or source.ip to say who acted");
  }

  @Test
  void unknownFieldsKeepTheirFullDottedName() {
    AccessEvent e =
        valid(
            "{"
                + BASE
                + ",\"http\":{\"request\":{\"body\":{\"bytes\":10}},\"version\":\"1.1\"},"
                + "\"user.name.first\":\"Al\",\"source\":{\"geo\":{\"city_name\":\"Oslo\"}}}");
    assertThat(e.labels())
        .containsExactly(
            Map.entry("http.request.body.bytes", "10"),
            Map.entry("http.version", "1.1"),
            Map.entry("source.geo.city_name", "Oslo"),
            Map.entry("user.name.first", "Al"));
    assertThat(e.get("labels.source.geo.city_name")).contains("Oslo");
  }

  private static AccessEvent valid(String json) {
    Decoded decoded = decodeAllWays(json);
    assertThat(decoded).isInstanceOf(Decoded.Valid.class);
    return ((Decoded.Valid) decoded).event();
  }

  /** Decodes bytes, text and a slice of a larger array; all three must agree. */
  static Decoded decodeAllWays(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    Decoded fromBytes = EventJson.decode(bytes);
    assertThat(EventJson.decode(json)).as("text input").isEqualTo(fromBytes);
    byte[] padded = new byte[bytes.length + 6];
    System.arraycopy(bytes, 0, padded, 3, bytes.length);
    assertThat(EventJson.decode(padded, 3, bytes.length)).as("slice").isEqualTo(fromBytes);
    return fromBytes;
  }
}
