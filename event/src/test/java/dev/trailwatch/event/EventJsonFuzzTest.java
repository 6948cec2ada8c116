package dev.trailwatch.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of valid lines (truncation, byte flips, inserted quotes, deep nesting, huge
 * numbers, invalid UTF-8, ...): the decoder must return Valid or Invalid, never throw, agree across
 * its entry points, keep Jackson's internals out of messages, and every Valid result must
 * round-trip through the canonical form.
 */
class EventJsonFuzzTest {
  private static final int CASES = 60_000;

  /** Words that would mean a parser internal or a stack trace leaked into a message. */
  private static final List<String> LEAKS =
      List.of(
          "internal error",
          "[Source",
          "REDACTED",
          "Feature",
          "com.fasterxml",
          "Jackson",
          "JsonToken",
          "Exception",
          "StreamReadConstraints",
          "VALUE_",
          "START_",
          "END_",
          "(code ",
          "\n\tat ");

  @Test
  void mutatedLinesNeverThrow() {
    long seed = TestSeeds.seed("fuzz");
    SplittableRandom random = new SplittableRandom(seed);
    List<byte[]> seeds = seedLines(seed);
    int valid = 0;
    int invalid = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] mutated = seeds.get(random.nextInt(seeds.size()));
      int mutations = 1 + random.nextInt(3);
      for (int m = 0; m < mutations; m++) {
        mutated = mutate(mutated, random);
      }
      byte[] input = mutated;
      String context =
          "case "
              + i
              + ", seed "
              + seed
              + " ("
              + TestSeeds.reproduce()
              + "), input hex "
              + HexFormat.of().formatHex(input, 0, Math.min(input.length, 600));
      Decoded fromBytes = decodeSafely(() -> EventJson.decode(input), context);
      Decoded sliced = decodeSafely(() -> decodeSlice(input), context);
      assertThat(sliced).as(context).isEqualTo(fromBytes);
      Decoded canonicalPath = decodeSafely(() -> CanonicalReader.read(input), context);
      assertThat(canonicalPath).as("canonical fast path, " + context).isEqualTo(fromBytes);
      String text = new String(input, StandardCharsets.UTF_8);
      Decoded fromText = decodeSafely(() -> EventJson.decode(text), context);
      check(fromText, context);
      check(fromBytes, context);
      if (fromBytes instanceof Decoded.Valid) {
        valid++;
      } else {
        invalid++;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "fuzz: %d cases, %d still valid, %d invalid (seed %d)%n",
        CASES,
        valid,
        invalid,
        seed);
    assertThat(invalid).as("the mutations should break most lines").isGreaterThan(CASES / 2);
  }

  private static void check(Decoded decoded, String context) {
    switch (decoded) {
      case Decoded.Valid v -> CanonicalFormTest.assertRoundTrip(v.event(), context);
      case Decoded.Invalid inv -> {
        assertThat(inv.errors()).as(context).isNotEmpty();
        for (FieldError e : inv.errors()) {
          assertThat(e.reason()).as(context).isNotBlank();
          for (String leak : LEAKS) {
            assertThat(e.reason()).as(context).doesNotContain(leak);
          }
        }
      }
    }
  }

  /** The input in the middle of a larger array, as NdjsonDecoder passes it. */
  private static Decoded decodeSlice(byte[] input) {
    byte[] padded = new byte[input.length + 20];
    Arrays.fill(padded, (byte) '{');
    System.arraycopy(input, 0, padded, 10, input.length);
    return EventJson.decode(padded, 10, input.length);
  }

  private interface Decode {
    Decoded run();
  }

  private static Decoded decodeSafely(Decode decode, String context) {
    try {
      return decode.run();
    } catch (Throwable t) {
      fail("decoder threw " + t + " for " + context, t);
      throw new AssertionError(t);
    }
  }

  private static List<byte[]> seedLines(long seed) {
    List<byte[]> lines = new ArrayList<>();
    EventGenerator generator =
        new EventGenerator(seed, GeneratorConfig.defaults().withEvents(500).withUsers(100));
    CanonicalEncoder encoder = new CanonicalEncoder();
    for (int i = 0; i < 500; i++) {
      lines.add(encoder.encode(generator.next()));
    }
    lines.add(
        ("{\"@timestamp\":1714566896000,\"event.action\":\"a\",\"event.outcome\":\"failure\","
                + "\"source.ip\":\"2001:db8::1\",\"source.port\":\"22\",\"user\":{\"roles\":\"x\"},"
                + "\"labels\":{\"n\":1.5e3,\"b\":true,\"o\":{\"p\":[1,{\"q\":null}]}},"
                + "\"process\":{\"pid\":42},\"message\":\"caf\\u00e9 \\\" \\\\ \\n\"}")
            .getBytes(StandardCharsets.UTF_8));
    return lines;
  }

  private static final byte[][] INSERTS = {
    "\"".getBytes(StandardCharsets.UTF_8),
    "\\".getBytes(StandardCharsets.UTF_8),
    "{".getBytes(StandardCharsets.UTF_8),
    "}".getBytes(StandardCharsets.UTF_8),
    "[".getBytes(StandardCharsets.UTF_8),
    ",".getBytes(StandardCharsets.UTF_8),
    ":".getBytes(StandardCharsets.UTF_8),
    "null".getBytes(StandardCharsets.UTF_8),
    "\"a.b\":1,".getBytes(StandardCharsets.UTF_8),
    "\"source.ip\":\"300.1.1.1\",".getBytes(StandardCharsets.UTF_8),
    "\"@timestamp\":-1,".getBytes(StandardCharsets.UTF_8),
    "\"user\":{\"name\":\"x\"},".getBytes(StandardCharsets.UTF_8),
    "\\u0000".getBytes(StandardCharsets.UTF_8),
    "\\ud800".getBytes(StandardCharsets.UTF_8),
    "\\udc00\\ud800".getBytes(StandardCharsets.UTF_8),
    "é☕😀".getBytes(StandardCharsets.UTF_8),
    {(byte) 0xc0, (byte) 0x80},
    {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
    {(byte) 0xf8},
    {(byte) 0x80},
    {(byte) 0xe2, (byte) 0x82},
    {0},
    {'\n'},
    {'\r'},
    {'\t'},
  };

  static byte[] mutate(byte[] in, SplittableRandom random) {
    int n = in.length;
    int at = n == 0 ? 0 : random.nextInt(n + 1);
    return switch (random.nextInt(10)) {
      case 0 -> Arrays.copyOf(in, random.nextInt(n + 1)); // truncate
      case 1 -> { // flip a byte
        byte[] out = in.clone();
        if (n > 0) {
          out[random.nextInt(n)] = (byte) random.nextInt(256);
        }
        yield out;
      }
      case 2 -> insert(in, at, INSERTS[random.nextInt(INSERTS.length)]);
      case 3 -> { // delete a run
        int from = Math.min(at, n);
        int to = Math.min(n, from + 1 + random.nextInt(8));
        byte[] out = new byte[n - (to - from)];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(in, to, out, from, n - to);
        yield out;
      }
      case 4 -> { // duplicate a slice
        int from = n == 0 ? 0 : random.nextInt(n);
        int to = Math.min(n, from + random.nextInt(40));
        yield insert(in, at, Arrays.copyOfRange(in, from, to));
      }
      case 5 -> { // deep nesting
        int depth = random.nextInt(1, 200);
        String open = random.nextBoolean() ? "[".repeat(depth) : "{\"a\":".repeat(depth);
        yield insert(in, at, open.getBytes(StandardCharsets.UTF_8));
      }
      case 6 -> { // a huge or odd number after some ':'
        String[] numbers = {
          "9".repeat(random.nextInt(1, 1200)),
          "-" + "9".repeat(random.nextInt(1, 30)),
          "1e" + random.nextInt(1, 99999),
          "0.000000000000000000000001",
          "1E400",
          "-0",
          "123456789012345678901234567890.5"
        };
        int colon = indexOf(in, (byte) ':', at);
        yield colon < 0
            ? in
            : insert(
                in,
                colon + 1,
                (numbers[random.nextInt(numbers.length)] + ",").getBytes(StandardCharsets.UTF_8));
      }
      case 7 -> { // replace a string value with awkward text
        String text = CanonicalFormTest.text(random, 0);
        StringBuilder json = new StringBuilder();
        JsonText.appendQuoted(text, json);
        int quote = indexOf(in, (byte) '"', at);
        yield quote < 0 ? in : insert(in, quote, (json + ",").getBytes(StandardCharsets.UTF_8));
      }
      case 8 -> { // swap two halves
        byte[] out = new byte[n];
        System.arraycopy(in, at, out, 0, n - at);
        System.arraycopy(in, 0, out, n - at, at);
        yield out;
      }
      default -> insert(in, at, new byte[] {(byte) " \t\r\n".charAt(random.nextInt(4))});
    };
  }

  private static int indexOf(byte[] in, byte b, int from) {
    for (int i = from; i < in.length; i++) {
      if (in[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] insert(byte[] in, int at, byte[] what) {
    byte[] out = new byte[in.length + what.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(in, at, out, at + what.length, in.length - at);
    return out;
  }
}
