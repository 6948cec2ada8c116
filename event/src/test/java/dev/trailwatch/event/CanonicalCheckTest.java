package dev.trailwatch.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link EventJson#isCanonical}: sound (whatever it accepts decodes to a valid event whose
 * canonical form is the input, byte for byte), and complete for what importers meet (every
 * generated event, every random event except the documented cases it leaves to the general path).
 */
class CanonicalCheckTest {
  private static final String HEAD =
      "{\"@timestamp\":\"2026-11-22T05:42:00.123456789Z\",\"event\":{\"action\":\"login\","
          + "\"outcome\":\"failure\"}";

  @Test
  void acceptsTheDocumentedExample() {
    String example =
        "{\"@timestamp\":\"2026-11-22T05:42:00.123456789Z\",\"event\":{\"action\":\"login\","
            + "\"outcome\":\"failure\",\"category\":\"authentication\",\"dataset\":\"sshd\"},"
            + "\"user\":{\"name\":\"root\"},\"source\":{\"ip\":\"203.0.113.7\",\"port\":52144},"
            + "\"host\":{\"name\":\"bastion-1\"},\"message\":\"Failed password for root from"
            + " 203.0.113.7 port 52144 ssh2\",\"labels\":{\"ssh.method\":\"password\"}}";
    assertSound(bytes(example), "example");
    assertThat(check(bytes(example))).isTrue();
  }

  /** Valid events, or nearly canonical ones, that only the general path may take. */
  @Test
  void leavesEverythingElseToTheGeneralPath() {
    Map<String, String> cases =
        Map.ofEntries(
            Map.entry("white space", HEAD + ", \"user\":{\"name\":\"a\"}}"),
            Map.entry("escaped slash", HEAD + ",\"user\":{\"name\":\"a\\/b\"}}"),
            Map.entry("needless \\u escape", HEAD + ",\"user\":{\"name\":\"\\u0041\"}}"),
            Map.entry("upper-case hex", HEAD + ",\"user\":{\"name\":\"\\u001F\"}}"),
            Map.entry("\\u with a short form", HEAD + ",\"user\":{\"name\":\"\\u000a\"}}"),
            Map.entry("escaped surrogate", HEAD + ",\"user\":{\"name\":\"\\ud800\"}}"),
            Map.entry("leading zero", HEAD + ",\"source\":{\"ip\":\"10.0.0.1\",\"port\":022}}"),
            Map.entry(
                "port as a string", HEAD + ",\"source\":{\"ip\":\"10.0.0.1\",\"port\":\"22\"}}"),
            Map.entry("negative port", HEAD + ",\"source\":{\"ip\":\"10.0.0.1\",\"port\":-1}}"),
            Map.entry("port too large", HEAD + ",\"source\":{\"ip\":\"10.0.0.1\",\"port\":65536}}"),
            Map.entry(
                "status too small",
                HEAD + ",\"user\":{\"id\":\"1\"},\"http\":{\"response\":{\"status_code\":99}}}"),
            Map.entry("IPv4 leading zero", HEAD + ",\"source\":{\"ip\":\"10.0.0.01\"}}"),
            Map.entry(
                "IPv6 not compressed", HEAD + ",\"source\":{\"ip\":\"2001:db8:0:0:0:0:0:1\"}}"),
            Map.entry("IPv6 upper case", HEAD + ",\"source\":{\"ip\":\"2001:DB8::1\"}}"),
            Map.entry(
                "keys out of order",
                HEAD + ",\"source\":{\"ip\":\"10.0.0.1\"},\"user\":{\"name\":\"a\"}}"),
            Map.entry("flat key", HEAD + ",\"user.name\":\"a\"}"),
            Map.entry(
                "labels not sorted",
                HEAD + ",\"user\":{\"name\":\"a\"},\"labels\":{\"b\":\"1\",\"a\":\"2\"}}"),
            Map.entry(
                "label twice",
                HEAD + ",\"user\":{\"name\":\"a\"},\"labels\":{\"a\":\"1\",\"a\":\"1\"}}"),
            Map.entry("label number", HEAD + ",\"user\":{\"name\":\"a\"},\"labels\":{\"a\":1}}"),
            Map.entry(
                "non-ASCII label key",
                HEAD + ",\"user\":{\"name\":\"a\"},\"labels\":{\"é\":\"1\"}}"),
            Map.entry("empty labels", HEAD + ",\"user\":{\"name\":\"a\"},\"labels\":{}}"),
            Map.entry("empty roles", HEAD + ",\"user\":{\"name\":\"a\",\"roles\":[]}}"),
            Map.entry("empty user", HEAD + ",\"user\":{},\"source\":{\"ip\":\"10.0.0.1\"}}"),
            Map.entry("empty keyword", HEAD + ",\"user\":{\"name\":\"\"}}"),
            Map.entry("no one acted", HEAD + ",\"host\":{\"name\":\"h\"}}"),
            Map.entry("null", HEAD + ",\"user\":{\"name\":\"a\"},\"tenant\":null}"),
            Map.entry("trailing newline", HEAD + ",\"user\":{\"name\":\"a\"}}\n"),
            Map.entry(
                "version key", "{\"_v\":1," + HEAD.substring(1) + ",\"user\":{\"name\":\"a\"}}"),
            Map.entry(
                "unknown key", HEAD + ",\"user\":{\"name\":\"a\"},\"process\":{\"pid\":\"1\"}}"),
            Map.entry(
                "leap second",
                HEAD.replace("05:42:00.", "23:59:60.") + ",\"user\":{\"name\":\"a\"}}"),
            Map.entry(
                "30 February",
                HEAD.replace("2026-11-22", "2024-02-30") + ",\"user\":{\"name\":\"a\"}}"),
            Map.entry(
                "short fraction",
                HEAD.replace(".123456789Z", ".123Z") + ",\"user\":{\"name\":\"a\"}}"),
            Map.entry(
                "offset instead of Z",
                HEAD.replace("789Z", "789+00:00") + ",\"user\":{\"name\":\"a\"}}"),
            Map.entry(
                "outcome in capitals",
                HEAD.replace("failure", "FAILURE") + ",\"user\":{\"name\":\"a\"}}"));
    for (Map.Entry<String, String> c : cases.entrySet()) {
      assertThat(check(bytes(c.getValue()))).as(c.getKey()).isFalse();
    }
    // ... while their canonical neighbours are accepted.
    assertThat(check(bytes(HEAD + ",\"user\":{\"name\":\"a/b\",\"roles\":[\"x\",\"y\"]}}")))
        .isTrue();
    assertThat(check(bytes(HEAD + ",\"source\":{\"ip\":\"2001:db8::1\",\"port\":0}}"))).isTrue();
    assertThat(check(bytes(HEAD + ",\"user\":{\"name\":\"\\u001f\\n\\\"\"}}"))).isTrue();
    assertThat(
            check(
                bytes(
                    HEAD.replace("2026-11-22", "2024-02-29")
                        + ",\"message\":\"\",\"labels\":{\"a\":\"\",\"a.b\":\"1\",\"b\":\"2\"},"
                        + "\"tenant\":\"t\"}")))
        .as("no actor")
        .isFalse();
    assertThat(
            check(
                bytes(
                    "{\"@timestamp\":\"2024-02-29T00:00:00.000000000Z\",\"event\":{\"action\":"
                        + "\"unparsed\",\"outcome\":\"unknown\",\"dataset\":\"unparsed\"},"
                        + "\"message\":\"\",\"labels\":{\"parse_error\":\"x\"}}")))
        .as("unparsed events need no actor")
        .isTrue();
  }

  @Test
  void everyGeneratedEventIsRecognised() {
    long seed = TestSeeds.seed("canonical-check-generated");
    EventGenerator generator =
        new EventGenerator(seed, GeneratorConfig.defaults().withEvents(20_000).withUsers(2_000));
    for (int i = 0; i < 20_000; i++) {
      AccessEvent e = generator.next();
      byte[] bytes = EventJson.canonical(e);
      assertThat(check(bytes)).as("event %d, %s", i, TestSeeds.reproduce()).isTrue();
      assertRecognised(bytes, e, true, "event " + i + ", " + TestSeeds.reproduce());
    }
  }

  /**
   * Random events full of characters that need care: recognised unless they hold what the check
   * leaves to the general path on purpose (unpaired surrogates, label keys outside printable ASCII
   * or with a quote or backslash).
   */
  @Test
  void randomEventsAreRecognisedUnlessDocumentedOtherwise() {
    long seed = TestSeeds.seed("canonical-check-random");
    SplittableRandom random = new SplittableRandom(seed);
    int recognised = 0;
    for (int i = 0; i < 20_000; i++) {
      AccessEvent e = CanonicalFormTest.randomEvent(random);
      byte[] bytes = EventJson.canonical(e);
      String context = "random event " + i + ", " + TestSeeds.reproduce() + ": " + text(bytes);
      boolean expected = !hasUnpairedSurrogate(bytes) && plainLabelKeys(e);
      assertThat(check(bytes)).as(context).isEqualTo(expected);
      assertRecognised(bytes, e, expected, context);
      recognised += expected ? 1 : 0;
    }
    assertThat(recognised)
        .as("some random events are recognisable (most hold an unpaired surrogate)")
        .isGreaterThan(50);
  }

  /** Mutations of canonical lines: whatever the check accepts must be its own canonical form. */
  @Test
  void soundUnderMutation() {
    long seed = TestSeeds.seed("canonical-check-fuzz");
    SplittableRandom random = new SplittableRandom(seed);
    List<byte[]> lines = new ArrayList<>();
    EventGenerator generator =
        new EventGenerator(seed, GeneratorConfig.defaults().withEvents(300).withUsers(50));
    for (int i = 0; i < 300; i++) {
      lines.add(EventJson.canonical(generator.next()));
      lines.add(EventJson.canonical(CanonicalFormTest.randomEvent(random)));
    }
    int accepted = 0;
    for (int i = 0; i < 60_000; i++) {
      byte[] input = lines.get(random.nextInt(lines.size()));
      for (int m = 1 + random.nextInt(2); m > 0; m--) {
        input = EventJsonFuzzTest.mutate(input, random);
      }
      String context =
          "case "
              + i
              + ", "
              + TestSeeds.reproduce()
              + ", input hex "
              + HexFormat.of().formatHex(input);
      if (check(input)) {
        accepted++;
        assertSound(input, context);
      }
    }
    assertThat(accepted).as("some mutations keep a line canonical").isGreaterThan(0);
  }

  /** The check reads only its slice of a larger array. */
  @Test
  void readsOnlyItsSlice() {
    byte[] line = bytes(HEAD + ",\"user\":{\"name\":\"a\"}}");
    byte[] padded = new byte[line.length + 10];
    java.util.Arrays.fill(padded, (byte) '}');
    System.arraycopy(line, 0, padded, 5, line.length);
    assertThat(EventJson.isCanonical(padded, 5, line.length)).isTrue();
    assertThat(EventJson.isCanonical(padded, 5, line.length - 1)).isFalse();
    assertThat(EventJson.isCanonical(padded, 5, line.length + 1)).isFalse();
  }

  /**
   * {@link EventJson#recogniseCanonical} agrees with {@link EventJson#isCanonical} and reads
   * event.id, tenant and the label keys as the decoder does, escapes included.
   */
  private static void assertRecognised(
      byte[] bytes, AccessEvent e, boolean expected, String context) {
    byte[] padded = new byte[bytes.length + 2];
    System.arraycopy(bytes, 0, padded, 1, bytes.length);
    java.util.Optional<CanonicalEvent> r = EventJson.recogniseCanonical(padded, 1, bytes.length);
    assertThat(r.isPresent()).as(context).isEqualTo(expected);
    if (r.isPresent()) {
      assertThat(r.get().bytes()).as(context).isEqualTo(bytes);
      assertThat(r.get().eventId()).as(context).isEqualTo(e.event().id());
      assertThat(r.get().tenant()).as(context).isEqualTo(e.tenant());
      assertThat(r.get().labelKeys()).as(context).containsExactlyElementsOf(e.labels().keySet());
      assertThat(r.get().decode()).as(context).isEqualTo(e);
    }
  }

  private static void assertSound(byte[] input, String context) {
    Decoded decoded = EventJson.decode(input);
    assertThat(decoded).as(context).isInstanceOf(Decoded.Valid.class);
    assertThat(text(EventJson.canonical(((Decoded.Valid) decoded).event())))
        .as(context)
        .isEqualTo(text(input));
  }

  private static boolean check(byte[] bytes) {
    return EventJson.isCanonical(bytes, 0, bytes.length);
  }

  private static boolean hasUnpairedSurrogate(byte[] canonical) {
    // The encoder writes them, and only them, as \\ud8xx..\\udfxx; a literal backslash is "\\\\".
    String s = text(canonical);
    for (int i = 0; i + 2 < s.length(); i++) {
      if (s.charAt(i) == '\\') {
        if (s.charAt(i + 1) == 'u' && s.charAt(i + 2) == 'd') {
          return true;
        }
        i++;
      }
    }
    return false;
  }

  private static boolean plainLabelKeys(AccessEvent e) {
    for (String key : e.labels().keySet()) {
      for (int i = 0; i < key.length(); i++) {
        char c = key.charAt(i);
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
          return false;
        }
      }
    }
    return true;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
