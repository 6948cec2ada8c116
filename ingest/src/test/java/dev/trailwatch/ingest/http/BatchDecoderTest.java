package dev.trailwatch.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.http.BatchDecoder.Framing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BatchDecoderTest {
  private static final ParseContext CTX =
      new ParseContext(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
  private static final String GOOD =
      "{\"@timestamp\":\"2026-11-22T10:00:00Z\",\"event\":{\"action\":\"login\",\"outcome\":\"success\"},"
          + "\"user\":{\"name\":\"alice\"}}";
  private static final String FLAT =
      "{\"@timestamp\":1763805600000,\"event.action\":\"login\",\"event.outcome\":\"failure\","
          + "\"source.ip\":\"192.0.2.7\"}";

  private static BatchDecoder.Batch decode(String body, Framing framing) throws Exception {
    return BatchDecoder.decode(
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
        framing,
        false,
        1 << 20,
        CTX);
  }

  @Test
  void contentTypes() {
    assertThat(Framing.ofContentType("application/json; charset=utf-8"))
        .hasValue(Framing.JSON_ARRAY);
    assertThat(Framing.ofContentType("Application/X-NDJSON")).hasValue(Framing.NDJSON);
    assertThat(Framing.ofContentType("text/plain")).isEmpty();
    assertThat(Framing.ofContentType(null)).isEmpty();
  }

  @Test
  void ndjsonKeepsLineNumbersAndStoresBadLinesAsUnparsed() throws Exception {
    BatchDecoder.Batch b =
        decode(GOOD + "\n\n{\"user\":{\"name\":\"x\"}}\n" + FLAT + "\n{oops\n", Framing.NDJSON);
    assertThat(b.items()).extracting(BatchDecoder.Item::position).containsExactly(1L, 3L, 4L, 5L);
    assertThat(b.valid()).isEqualTo(2);
    BatchDecoder.Item missing = b.items().get(1);
    assertThat(missing.event().isUnparsed()).isTrue();
    assertThat(missing.event().message()).hasValue("{\"user\":{\"name\":\"x\"}}");
    assertThat(missing.error().orElseThrow()).startsWith("line 3: ").contains("@timestamp");
    assertThat(b.items().get(3).error().orElseThrow()).startsWith("line 5: not valid JSON");
  }

  /**
   * Canonical lines (both framings) are kept as their bytes; what the server checks before storing
   * reads the same as from the decoded event, and other lines in the batch are decoded as before.
   */
  @Test
  void canonicalLinesAreKeptAsTheirBytes() throws Exception {
    String canonical =
        "{\"@timestamp\":\"2026-11-22T10:00:00.000000000Z\",\"event\":{\"action\":\"login\","
            + "\"outcome\":\"success\",\"id\":\"e-\\\"1\"},\"user\":{\"name\":\"alice\"},"
            + "\"labels\":{\"a\":\"1\",\"log.offset\":\"2\"},\"tenant\":\"acme\"}";
    for (Framing framing : Framing.values()) {
      String body =
          framing == Framing.NDJSON
              ? canonical + "\n" + GOOD + "\n"
              : "[" + canonical + "," + GOOD + "]";
      BatchDecoder.Batch b = decode(body, framing);
      assertThat(b.valid()).isEqualTo(2);
      BatchDecoder.Item first = b.items().get(0);
      assertThat(new String(first.canonical(), StandardCharsets.UTF_8)).isEqualTo(canonical);
      assertThat(first.eventId()).hasValue("e-\"1");
      assertThat(first.tenant()).hasValue("acme");
      assertThat(first.labelKeys()).containsExactly("a", "log.offset");
      assertThat(first.event().user().name()).hasValue("alice");
      BatchDecoder.Item second = b.items().get(1);
      assertThat(second.eventId()).isEmpty();
      assertThat(second.labelKeys()).isEmpty();
      assertThat(new String(second.canonical(), StandardCharsets.UTF_8))
          .isEqualTo(dev.trailwatch.event.EventJson.canonicalString(second.event()));
    }
  }

  @Test
  void ndjsonOfWhichNoLineIsJsonIsRefused() {
    assertThatThrownBy(() -> decode("hello\nworld\n", Framing.NDJSON))
        .isInstanceOf(BatchDecoder.NotJsonException.class)
        .hasMessageContaining("no line is JSON");
  }

  @Test
  void arrayElementsAndOneObject() throws Exception {
    BatchDecoder.Batch b = decode("[" + GOOD + ", 42, " + FLAT + "]", Framing.JSON_ARRAY);
    assertThat(b.items()).hasSize(3);
    assertThat(b.items().get(1).error().orElseThrow()).startsWith("element 2: ");
    assertThat(b.items().get(1).event().message()).hasValue("42");
    assertThat(b.valid()).isEqualTo(2);
    assertThat(decode(GOOD, Framing.JSON_ARRAY).valid()).isEqualTo(1);
    assertThat(decode("[]", Framing.JSON_ARRAY).items()).isEmpty();
  }

  @Test
  void brokenArraysAreNotJson() {
    for (String body :
        new String[] {"[" + GOOD, "[" + GOOD + "] x", "\"a string\"", "", "{\"a\":"}) {
      assertThatThrownBy(() -> decode(body, Framing.JSON_ARRAY))
          .as(body)
          .isInstanceOf(BatchDecoder.NotJsonException.class);
    }
  }

  @Test
  void gzipAndLimitsCountDecompressedBytes() throws Exception {
    byte[] big = (GOOD + "\n").repeat(2000).getBytes(StandardCharsets.UTF_8);
    byte[] gz = gzip(big);
    assertThat(gz.length).isLessThan(10_000);
    BatchDecoder.Batch b =
        BatchDecoder.decode(new ByteArrayInputStream(gz), Framing.NDJSON, true, big.length, CTX);
    assertThat(b.valid()).isEqualTo(2000);
    assertThatThrownBy(
            () ->
                BatchDecoder.decode(
                    new ByteArrayInputStream(gz), Framing.NDJSON, true, big.length - 1, CTX))
        .isInstanceOf(BatchDecoder.TooLargeException.class);
    assertThatThrownBy(
            () ->
                BatchDecoder.decode(
                    new ByteArrayInputStream(big), Framing.NDJSON, true, 1 << 30, CTX))
        .isInstanceOf(BatchDecoder.NotJsonException.class)
        .hasMessageContaining("not gzip");
    byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
    assertThatThrownBy(
            () ->
                BatchDecoder.decode(
                    new ByteArrayInputStream(cut), Framing.NDJSON, true, 1 << 30, CTX))
        .isInstanceOf(BatchDecoder.NotJsonException.class)
        .hasMessageContaining("damaged or cut short");
  }

  @Test
  void itemsKeepNoErrorWhenValid() throws Exception {
    assertThat(decode(GOOD, Framing.NDJSON).items().get(0).error()).isEqualTo(Optional.empty());
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
