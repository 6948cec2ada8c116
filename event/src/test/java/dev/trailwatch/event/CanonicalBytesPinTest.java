package dev.trailwatch.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pins the canonical bytes, which the ledger stores and hashes: the SHA-256 of the canonical form
 * of fixed corpora, recorded from the encoder and decoder as they were before the codec was
 * optimised. A changed hash means stored events would no longer re-encode to the bytes in the
 * ledger: find the change, don't update the hash (a new form needs a new canonical version, see
 * {@link EventJson}).
 *
 * <p>The corpora use fixed seeds on purpose: the same bytes every run.
 */
class CanonicalBytesPinTest {
  /** Generator events (seeds 1 and 7) and random events full of characters that need escaping. */
  private static final String ENCODED =
      "3f2e287e85df38d3d82867cd143a46c7feac7027c24ae73e9a58c5cd0fe54f58";

  /**
   * Decoding mutated and hand-written lines: the canonical form of each valid result, the errors of
   * each invalid one.
   */
  private static final String DECODED =
      "eb15fadf801ae17cd8f3908ad404e90e110db98cfc1d73543e66c33ec8248ba5";

  @Test
  void canonicalBytesOfEventsAreUnchanged() {
    MessageDigest sha = sha256();
    CanonicalEncoder encoder = new CanonicalEncoder();
    EventGenerator generator = new EventGenerator(1, GeneratorConfig.defaults());
    for (int i = 0; i < 20_000; i++) {
      AccessEvent e = generator.next();
      sha.update(encoder.encode(e));
      sha.update(EventJson.canonical(e));
    }
    generator = new EventGenerator(7, GeneratorConfig.defaults().withEvents(5_000).withUsers(50));
    for (int i = 0; i < 5_000; i++) {
      sha.update(encoder.encode(generator.next()));
    }
    SplittableRandom random = new SplittableRandom(20_240_501);
    for (int i = 0; i < 5_000; i++) {
      sha.update(encoder.encode(CanonicalFormTest.randomEvent(random)));
    }
    // Strings longer than the encoder's fast path, with and without characters to escape.
    AccessEvent.Builder b = AccessEventTest.minimal();
    b.message("x".repeat(5_000) + "\"é\u0001\ud800" + "y".repeat(5_000));
    b.label("long", "z".repeat(10_000));
    b.label("question", "?".repeat(4_097));
    sha.update(encoder.encode(b.build()));
    assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(ENCODED);
  }

  @Test
  void decodedEventsGiveUnchangedBytes() {
    MessageDigest sha = sha256();
    List<byte[]> lines = new ArrayList<>();
    EventGenerator generator = new EventGenerator(3, GeneratorConfig.defaults());
    CanonicalEncoder encoder = new CanonicalEncoder();
    for (int i = 0; i < 2_000; i++) {
      lines.add(encoder.encode(generator.next()));
    }
    for (String line : HAND_WRITTEN) {
      lines.add(line.getBytes(StandardCharsets.UTF_8));
    }
    SplittableRandom random = new SplittableRandom(42);
    int originals = lines.size();
    for (int i = 0; i < 20_000; i++) {
      byte[] line = lines.get(random.nextInt(originals));
      for (int m = random.nextInt(3); m >= 0; m--) {
        line = EventJsonFuzzTest.mutate(line, random);
      }
      lines.add(line);
    }
    for (byte[] line : lines) {
      switch (EventJson.decode(line)) {
        case Decoded.Valid valid -> sha.update(EventJson.canonical(valid.event()));
        case Decoded.Invalid invalid ->
            sha.update(
                (invalid.summary() + "|" + invalid.column()).getBytes(StandardCharsets.UTF_8));
      }
      sha.update((byte) '\n');
    }
    assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(DECODED);
  }

  private static final List<String> HAND_WRITTEN =
      List.of(
          "{\"@timestamp\":1714566896000,\"event.action\":\"a\",\"event.outcome\":\"failure\","
              + "\"source.ip\":\"2001:db8::1\",\"source.port\":\"22\",\"user\":{\"roles\":\"x\"},"
              + "\"labels\":{\"n\":1.5e3,\"b\":true,\"o\":{\"p\":[1,{\"q\":null}]}},"
              + "\"process\":{\"pid\":42},\"message\":\"caf\\u00e9 \\\" \\\\ \\n\"}",
          "{\"@timestamp\":\"2024-05-01T12:34:56.7+02:00\",\"event\":{\"action\":\"login\","
              + "\"outcome\":\"success\"},\"user.id\":1000,\"http\":{\"response.status_code\":200,"
              + "\"request\":{\"method\":\"GET\"}},\"destination\":{\"ip\":\"::ffff:10.0.0.1\","
              + "\"port\":443},\"url.path\":\"/a/b?c=d\",\"labels.env\":\"prod\",\"tenant\":\"t\"}",
          "{\"@timestamp\":\"1714566896123456789\",\"event\":{\"action\":\"x\",\"outcome\":"
              + "\"unknown\",\"dataset\":\"d\"},\"source\":{\"ip\":\"010.1.1.1\"},\"user\":{\"name\":"
              + "\"n\",\"roles\":[\"a\",\"b\",\"\"]}}",
          "{\"@timestamp\":\"2024-05-01 12:34:56Z\",\"event.action\":\"x\",\"event.outcome\":"
              + "\"success\",\"source.ip\":\"fe80::1%eth0\",\"user.name\":\"u\",\"a\":{},"
              + "\"b\":[],\"c\":{\"d\":{\"e\":\"\\ud83d\\ude00\"}}}",
          "{\"@timestamp\":1e3,\"event.action\":\"\",\"event.outcome\":\"maybe\","
              + "\"source.port\":70000,\"http.response.status_code\":\"abc\",\"user.name\":\"u\","
              + "\"user.name\":\"v\"}",
          "[1,2]",
          "",
          "{\"@timestamp\":\"2024-05-01T12:34:56Z\"} trailing");

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
