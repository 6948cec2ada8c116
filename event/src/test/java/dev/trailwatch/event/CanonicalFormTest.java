package dev.trailwatch.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The canonical form: exact bytes for known events (golden lines), the documented field order and
 * escapes, and the round trip {@code decode(canonical(e)) == e} with byte-identical re-encoding
 * over many generated and randomly built events.
 */
class CanonicalFormTest {

  /** The example of {@link EventJson}'s class comment, byte for byte. */
  @Test
  void javadocExample() {
    AccessEvent e =
        AccessEvent.builder()
            .timestamp(Instant.parse("2026-11-22T05:42:00.123456789Z"))
            .action("login")
            .outcome(Outcome.FAILURE)
            .category("authentication")
            .dataset("sshd")
            .userName("root")
            .sourceIp("203.0.113.7")
            .sourcePort(52144)
            .hostName("bastion-1")
            .message("Failed password for root from 203.0.113.7 port 52144 ssh2")
            .label("ssh.method", "password")
            .build();
    assertThat(EventJson.canonicalString(e))
        .isEqualTo(
            "{\"@timestamp\":\"2026-11-22T05:42:00.123456789Z\",\"event\":{\"action\":\"login\","
                + "\"outcome\":\"failure\",\"category\":\"authentication\",\"dataset\":\"sshd\"},"
                + "\"user\":{\"name\":\"root\"},\"source\":{\"ip\":\"203.0.113.7\",\"port\":52144},"
                + "\"host\":{\"name\":\"bastion-1\"},\"message\":\"Failed password for root from"
                + " 203.0.113.7 port 52144 ssh2\",\"labels\":{\"ssh.method\":\"password\"}}");
  }

  /** Every field set, given in a scrambled flat order: written in schema order, nested. */
  @Test
  void everyFieldInSchemaOrder() {
    String scrambled =
        "{\"tenant\":\"acme\",\"labels.z\":\"1\",\"labels.a\":\"2\",\"message\":\"m\",\"trace.id\":\"t\","
            + "\"session.id\":\"s\",\"resource.id\":\"r\",\"resource.type\":\"bucket\","
            + "\"user_agent.original\":\"ua\",\"http.response.status_code\":\"204\","
            + "\"http.request.method\":\"DELETE\",\"url.path\":\"/x\",\"service.name\":\"svc\","
            + "\"host.name\":\"h\",\"destination.port\":443,\"destination.ip\":\"::FFFF:10.0.0.2\","
            + "\"source.port\":1,\"source.ip\":\"2001:DB8::0:1\",\"user.roles\":[\"b\",\"a\"],"
            + "\"user.id\":\"42\",\"user.name\":\"n\",\"event.id\":\"id\",\"event.dataset\":\"d\","
            + "\"event.category\":\"c\",\"event.outcome\":\"unknown\",\"event.action\":\"act\","
            + "\"@timestamp\":\"2024-05-01T14:00:00.5+02:00\"}";
    AccessEvent e = ((Decoded.Valid) EventJson.decode(scrambled)).event();
    assertThat(EventJson.canonicalString(e))
        .isEqualTo(
            "{\"@timestamp\":\"2024-05-01T12:00:00.500000000Z\",\"event\":{\"action\":\"act\","
                + "\"outcome\":\"unknown\",\"category\":\"c\",\"dataset\":\"d\",\"id\":\"id\"},"
                + "\"user\":{\"name\":\"n\",\"id\":\"42\",\"roles\":[\"b\",\"a\"]},"
                + "\"source\":{\"ip\":\"2001:db8::1\",\"port\":1},"
                + "\"destination\":{\"ip\":\"10.0.0.2\",\"port\":443},\"host\":{\"name\":\"h\"},"
                + "\"service\":{\"name\":\"svc\"},\"url\":{\"path\":\"/x\"},"
                + "\"http\":{\"request\":{\"method\":\"DELETE\"},\"response\":{\"status_code\":204}},"
                + "\"user_agent\":{\"original\":\"ua\"},\"resource\":{\"type\":\"bucket\",\"id\":\"r\"},"
                + "\"session\":{\"id\":\"s\"},\"trace\":{\"id\":\"t\"},\"message\":\"m\","
                + "\"labels\":{\"a\":\"2\",\"z\":\"1\"},\"tenant\":\"acme\"}");
  }

  @Test
  void partialGroups() {
    AccessEvent e =
        base().sourcePort(0).httpStatusCode(599).resourceId("r").destinationIp("10.0.0.1").build();
    assertThat(EventJson.canonicalString(e))
        .isEqualTo(
            "{\"@timestamp\":\"1970-01-01T00:00:00.000000000Z\",\"event\":{\"action\":\"a\","
                + "\"outcome\":\"success\"},\"user\":{\"id\":\"u\"},\"source\":{\"port\":0},"
                + "\"destination\":{\"ip\":\"10.0.0.1\"},\"http\":{\"response\":{\"status_code\":599}},"
                + "\"resource\":{\"id\":\"r\"}}");
  }

  @Test
  void escapesOnlyWhatJsonNeeds() {
    String text = "q\" b\\ s/ \b\f\n\r\t \u0001\u001f\u007f é ☕ 😀 lone\ud800 low\udc00 end";
    AccessEvent e = base().message(text).label("k\"ey", "v\u0000").build();
    String canonical = EventJson.canonicalString(e);
    assertThat(canonical)
        .contains(
            "\"message\":\"q\\\" b\\\\ s/ \\b\\f\\n\\r\\t \\u0001\\u001f\u007f é ☕ 😀 lone\\ud800"
                + " low\\udc00 end\"")
        .contains("\"labels\":{\"k\\\"ey\":\"v\\u0000\"}");
    assertRoundTrip(e, "escapes");
  }

  @Test
  void labelsSortedByKeyAndNeverATopLevelVersionKey() {
    AccessEvent e =
        base().label("b", "2").label("_v", "9").label("a.z", "1").label("B", "0").build();
    String canonical = EventJson.canonicalString(e);
    assertThat(canonical)
        .endsWith("\"labels\":{\"B\":\"0\",\"_v\":\"9\",\"a.z\":\"1\",\"b\":\"2\"}}");
    assertThat(canonical).doesNotStartWith("{\"_v\"");
    assertRoundTrip(e, "labels");
  }

  @Test
  void decodeCanonicalRejectsLaterVersionsAndGarbageByName() {
    assertThatThrownBy(
            () ->
                EventJson.decodeCanonical(
                    "{\"_v\":2,\"@timestamp\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the stored event is in a canonical form newer than version 1 (it starts with"
                + " \"_v\"); read it with a newer Trailwatch");
    assertThatThrownBy(() -> EventJson.decodeCanonical("{\"a\":".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the stored bytes are not a canonical event: not valid JSON at column 6: the input"
                + " ends before the object is closed with '}'");
  }

  /**
   * Canonical-shaped bytes with a number out of range: the fast path must leave them to the general
   * decoder (which reports the field) rather than read a negative number as "absent". Found by
   * {@link EventJsonFuzzTest}.
   */
  @Test
  void fastPathLeavesOutOfRangeNumbersToTheDecoder() {
    String head = "{\"@timestamp\":\"2026-11-07T17:45:56.000000000Z\",";
    String event = "\"event\":{\"action\":\"login\",\"outcome\":\"success\"}";
    for (String rest :
        List.of(
            ",\"source\":{\"ip\":\"10.0.0.1\",\"port\":-5002}}",
            ",\"destination\":{\"port\":65536}}",
            ",\"http\":{\"response\":{\"status_code\":-200}}}",
            ",\"http\":{\"response\":{\"status_code\":600}}}")) {
      byte[] bytes = (head + event + rest).getBytes(StandardCharsets.UTF_8);
      Decoded general = EventJson.decode(bytes);
      assertThat(general).as(rest).isInstanceOf(Decoded.Invalid.class);
      assertThat(CanonicalReader.read(bytes)).as(rest).isEqualTo(general);
    }
  }

  @Test
  void unparsedEventsRoundTrip() {
    AccessEvent e =
        AccessEvent.unparsed(
            "<34>Oct 11 22:14:15 mymachine su: 'su root' failed", "no parser", Instant.EPOCH);
    assertThat(EventJson.canonicalString(e))
        .isEqualTo(
            "{\"@timestamp\":\"1970-01-01T00:00:00.000000000Z\",\"event\":{\"action\":\"unparsed\","
                + "\"outcome\":\"unknown\",\"dataset\":\"unparsed\"},\"message\":\"<34>Oct 11"
                + " 22:14:15 mymachine su: 'su root' failed\",\"labels\":{\"parse_error\":\"no"
                + " parser\"}}");
    assertRoundTrip(e, "unparsed");
  }

  /** Tens of thousands of generated events from all sources. */
  @Test
  void generatedEventsRoundTripByteForByte() {
    long seed = TestSeeds.seed("canonical-generated");
    EventGenerator generator =
        new EventGenerator(seed, GeneratorConfig.defaults().withEvents(40_000).withUsers(2_000));
    CanonicalEncoder encoder = new CanonicalEncoder();
    for (int i = 0; i < 40_000; i++) {
      AccessEvent e = generator.next();
      byte[] bytes = encoder.encode(e);
      String context = "event " + i + ", seed " + seed + ", " + TestSeeds.reproduce();
      Decoded decoded = EventJson.decode(bytes);
      assertThat(decoded).as(context).isEqualTo(new Decoded.Valid(e));
      assertThat(EventJson.decodeCanonical(bytes)).as(context).isEqualTo(e);
      assertThat(EventJson.canonical(((Decoded.Valid) decoded).event()))
          .as(context)
          .isEqualTo(bytes);
    }
  }

  /** Events with random content: any text, any optional field, random labels and roles. */
  @Test
  void randomEventsRoundTripByteForByte() {
    long seed = TestSeeds.seed("canonical-random");
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 20_000; i++) {
      AccessEvent e = randomEvent(random);
      assertRoundTrip(e, "random event " + i + ", seed " + seed + ", " + TestSeeds.reproduce());
    }
  }

  static AccessEvent randomEvent(SplittableRandom random) {
    AccessEvent.Builder b =
        AccessEvent.builder()
            .timestamp(
                Instant.ofEpochSecond(
                    random.nextLong(Rfc3339.MIN.getEpochSecond(), Rfc3339.MAX.getEpochSecond()),
                    random.nextInt(1_000_000_000)))
            .action(text(random, 1))
            .outcome(Outcome.values()[random.nextInt(3)]);
    switch (random.nextInt(3)) {
      case 0 -> b.userName(text(random, 1));
      case 1 -> b.userId(text(random, 1));
      default -> b.sourceIp(randomIp(random));
    }
    if (random.nextBoolean()) {
      b.category(text(random, 1));
    }
    if (random.nextBoolean()) {
      b.dataset(text(random, 1));
    }
    if (random.nextBoolean()) {
      b.eventId(text(random, 1));
    }
    if (random.nextBoolean()) {
      List<String> roles = new ArrayList<>();
      for (int k = random.nextInt(4); k >= 0; k--) {
        roles.add(text(random, 1));
      }
      b.userRoles(roles);
    }
    if (random.nextBoolean()) {
      b.sourcePort(random.nextInt(65_536));
    }
    if (random.nextBoolean()) {
      b.destinationIp(randomIp(random));
    }
    if (random.nextBoolean()) {
      b.destinationPort(random.nextInt(65_536));
    }
    if (random.nextBoolean()) {
      b.hostName(text(random, 1)).serviceName(text(random, 1));
    }
    if (random.nextBoolean()) {
      b.urlPath(text(random, 1))
          .httpMethod(text(random, 1))
          .httpStatusCode(random.nextInt(100, 600));
    }
    if (random.nextBoolean()) {
      b.userAgent(text(random, 1));
    }
    if (random.nextBoolean()) {
      b.resourceType(text(random, 1)).resourceId(text(random, 1));
    }
    if (random.nextBoolean()) {
      b.sessionId(text(random, 1)).traceId(text(random, 1));
    }
    if (random.nextBoolean()) {
      b.message(text(random, 0));
    }
    for (int k = random.nextInt(5); k > 0; k--) {
      // Label keys must be valid Unicode (JSON parsers reject unpaired surrogates in names).
      b.label(text(random, 1).replace('\ud800', 'x').replace('\udfff', 'y'), text(random, 0));
    }
    if (random.nextBoolean()) {
      b.tenant(text(random, 1));
    }
    return b.build();
  }

  /** Text of at least {@code min} chars from an alphabet full of characters that need care. */
  static String text(SplittableRandom random, int min) {
    String[] pieces = {
      "a", "Z", "0", ".", " ", "\"", "\\", "/", "\n", "\t", "\u0000", "\u001f", "\u007f", "é", "ß",
      "☕", "😀", "\ud800", "\udfff", "{", "}", "[", "]", ":", ",", "\u2028", "_v"
    };
    int n = min + random.nextInt(12);
    StringBuilder s = new StringBuilder();
    for (int k = 0; k < n; k++) {
      s.append(pieces[random.nextInt(pieces.length)]);
    }
    return s.toString();
  }

  static IpAddress randomIp(SplittableRandom random) {
    byte[] bytes = new byte[random.nextBoolean() ? 4 : 16];
    for (int k = 0; k < bytes.length; k++) {
      bytes[k] = (byte) (random.nextInt(4) == 0 ? 0 : random.nextInt(256));
    }
    return IpAddress.ofBytes(bytes);
  }

  static void assertRoundTrip(AccessEvent e, String context) {
    byte[] bytes = EventJson.canonical(e);
    Decoded decoded = EventJson.decode(bytes);
    assertThat(decoded).as(context).isEqualTo(new Decoded.Valid(e));
    assertThat(EventJson.canonical(((Decoded.Valid) decoded).event())).as(context).isEqualTo(bytes);
    assertThat(EventJson.decodeCanonical(bytes)).as(context).isEqualTo(e);
    assertThat(EventJson.decode(new String(bytes, StandardCharsets.UTF_8)))
        .as(context)
        .isEqualTo(decoded);
  }

  private static AccessEvent.Builder base() {
    return AccessEvent.builder()
        .timestamp(Instant.EPOCH.plus(Duration.ZERO))
        .action("a")
        .outcome(Outcome.SUCCESS)
        .userId("u");
  }
}
