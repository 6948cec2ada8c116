package dev.trailwatch.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Line splitting, numbering and per-line results of the NDJSON batch decoder. */
class NdjsonDecoderTest {
  private static final String OK =
      "{\"@timestamp\":\"2024-05-01T12:34:56Z\",\"event.action\":\"login\","
          + "\"event.outcome\":\"success\",\"user.name\":\"alice\"}";

  @Test
  void numbersLinesSkipsBlanksToleratesCrlf() throws IOException {
    byte[] batch =
        bytes(
            "\uFEFF"
                + OK
                + "\r\n" // BOM on line 1, CRLF
                + "\n" // 2: blank
                + "   \t \r\n" // 3: blank with white space
                + "{\"a\":\n" // 4: truncated
                + OK.replace("alice", "bob")
                + "\n" // 5
                + "[1]\n" // 6
                + OK.replace("\"login\"", "\"\"")
                + "\r\n" // 7: field error
                + OK); // 8: no final newline
    List<DecodedLine> lines = NdjsonDecoder.decodeAll(batch);
    assertThat(lines).extracting(DecodedLine::line).containsExactly(1L, 4L, 5L, 6L, 7L, 8L);
    assertThat(lines.get(0).decoded()).isInstanceOf(Decoded.Valid.class);
    assertThat(lines.get(1).describe())
        .isEqualTo(
            "line 4: not valid JSON at column 6: the input ends before the object is closed with"
                + " '}'");
    assertThat(lines.get(1).column()).isEqualTo(OptionalInt.of(6));
    assertThat(((Decoded.Invalid) lines.get(1).decoded()).raw()).isEqualTo("{\"a\":");
    assertThat(((Decoded.Valid) lines.get(2).decoded()).event().user().name()).contains("bob");
    assertThat(lines.get(3).describe())
        .isEqualTo("line 6: not a JSON object at column 1: expected {...}, got an array");
    assertThat(lines.get(4).describe())
        .isEqualTo(
            "line 7: event.action: must not be empty (omit the field when there is no value)");
    assertThat(lines.get(4).column()).isEmpty();
    assertThat(lines.get(5).decoded()).isInstanceOf(Decoded.Valid.class);
    assertThat(lines.get(5).describe()).isEqualTo("line 8: ok");
  }

  @Test
  void invalidUtf8LineIsInvalidWithItsColumnAndOthersAreUnaffected() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(bytes(OK + "\n"));
    out.write(bytes("{\"message\":\"ab"));
    out.write(0xff);
    out.write(bytes("\"}\n" + OK + "\n"));
    List<DecodedLine> lines = NdjsonDecoder.decodeAll(out.toByteArray());
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1).line()).isEqualTo(2);
    assertThat(lines.get(1).describe())
        .isEqualTo(
            "line 2: invalid UTF-8 at column 15: byte 0xff does not start or continue a valid"
                + " character (send UTF-8 text)");
    assertThat(lines.get(1).column()).hasValue(15);
    assertThat(lines.get(2).decoded()).isInstanceOf(Decoded.Valid.class);
  }

  @Test
  void emptyInputHasNoLines() throws IOException {
    assertThat(NdjsonDecoder.decodeAll(new byte[0])).isEmpty();
    assertThat(NdjsonDecoder.decodeAll(bytes("\n\r\n  \n"))).isEmpty();
    try (NdjsonDecoder d = NdjsonDecoder.of(bytes("\n\n"))) {
      assertThat(d.next()).isEmpty();
      assertThat(d.linesRead()).isEqualTo(2);
    }
  }

  /** A line far longer than the read buffer, between normal ones, read from a stream. */
  @Test
  void linesOfAnyLength() throws IOException {
    String huge = "x".repeat(3_000_000);
    String longLine = OK.replace("}", ",\"message\":\"" + huge + "\"}");
    byte[] batch = bytes(OK + "\n" + longLine + "\n" + OK + "\n");
    List<DecodedLine> lines = new ArrayList<>();
    try (NdjsonDecoder d = new NdjsonDecoder(new ByteArrayInputStream(batch))) {
      d.forEachRemaining(lines::add);
    }
    assertThat(lines).hasSize(3);
    assertThat(((Decoded.Valid) lines.get(1).decoded()).event().message()).contains(huge);
    assertThat(lines.get(2).line()).isEqualTo(3);
  }

  /**
   * A stream that returns data in random small pieces gives exactly the same lines as the whole
   * array: over generated events with invalid lines mixed in.
   */
  @Test
  void streamChunkingDoesNotMatter() throws IOException {
    long seed = TestSeeds.seed("ndjson-chunks");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new EventGenerator(seed, GeneratorConfig.defaults().withEvents(3_000).withInvalidFraction(0.1))
        .writeNdjson(out, 3_000);
    byte[] batch = out.toByteArray();
    List<DecodedLine> expected = NdjsonDecoder.decodeAll(batch);
    assertThat(expected).hasSize(3_000);
    SplittableRandom random = new SplittableRandom(seed);
    List<DecodedLine> actual = new ArrayList<>();
    try (NdjsonDecoder d = new NdjsonDecoder(new ChunkyStream(batch, random))) {
      d.forEachRemaining(actual::add);
    }
    assertThat(actual).as("seed %d, %s", seed, TestSeeds.reproduce()).isEqualTo(expected);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Returns between 1 and 300 bytes per read. */
  private static final class ChunkyStream extends InputStream {
    private final byte[] data;
    private final SplittableRandom random;
    private int position;

    ChunkyStream(byte[] data, SplittableRandom random) {
      this.data = data;
      this.random = random;
    }

    @Override
    public int read() {
      return position < data.length ? data[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + random.nextInt(300)), data.length - position);
      System.arraycopy(data, position, b, off, n);
      position += n;
      return n;
    }
  }
}
