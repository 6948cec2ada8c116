package dev.trailwatch.ingest.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
  private static final long SEED = Long.getLong("trailwatch.seed", System.nanoTime());

  private static List<LineSplitter.Line> split(String text, int max, int... chunkSizes) {
    byte[] bytes = text.getBytes(UTF_8);
    LineSplitter s = new LineSplitter(0, max);
    List<LineSplitter.Line> out = new ArrayList<>();
    int i = 0;
    int c = 0;
    while (i < bytes.length) {
      int n =
          chunkSizes.length == 0
              ? bytes.length
              : Math.min(chunkSizes[c++ % chunkSizes.length], bytes.length - i);
      s.feed(bytes, i, n, out);
      i += n;
    }
    return out;
  }

  @Test
  void linesWithTheirOffsets() {
    assertThat(split("ab\n\ncd\r\ne", 100))
        .containsExactly(
            new LineSplitter.Line("ab", 0, 3, false),
            new LineSplitter.Line("", 3, 4, false),
            new LineSplitter.Line("cd", 4, 8, false));
  }

  @Test
  void thePartialLineIsFlushedAsItIs() {
    LineSplitter s = new LineSplitter(10, 100);
    List<LineSplitter.Line> out = new ArrayList<>();
    s.feed("x\nyz\r".getBytes(UTF_8), 0, 5, out);
    assertThat(out).containsExactly(new LineSplitter.Line("x", 10, 12, false));
    assertThat(s.lineStart()).isEqualTo(12);
    assertThat(s.position()).isEqualTo(15);
    assertThat(s.flushPartial()).contains(new LineSplitter.Line("yz\r", 12, 15, false));
    assertThat(s.flushPartial()).isEmpty();
  }

  @Test
  void aLineOfExactlyTheMaximumIsWholeEvenWithCrlf() {
    assertThat(split("abcd\r\nabcde\nabcd\n", 4, 1))
        .containsExactly(
            new LineSplitter.Line("abcd", 0, 6, false),
            new LineSplitter.Line("abcd", 6, 12, true),
            new LineSplitter.Line("abcd", 12, 17, false));
  }

  @Test
  void aLongLineIsCutAndItsRestSkippedAcrossChunks() {
    String text = "y".repeat(1000) + "\r\nz\n";
    assertThat(split(text, 10, 7, 300, 1))
        .containsExactly(
            new LineSplitter.Line("y".repeat(10), 0, 1002, true),
            new LineSplitter.Line("z", 1002, 1004, false));
  }

  @Test
  void aCutPartialLineIsFlushedCut() {
    LineSplitter s = new LineSplitter(0, 3);
    List<LineSplitter.Line> out = new ArrayList<>();
    s.feed("abcdefg".getBytes(UTF_8), 0, 7, out);
    assertThat(out).isEmpty();
    assertThat(s.flushPartial()).contains(new LineSplitter.Line("abc", 0, 7, true));
  }

  @Test
  void resetForgetsThePartialLine() {
    LineSplitter s = new LineSplitter(0, 100);
    List<LineSplitter.Line> out = new ArrayList<>();
    s.feed("abc".getBytes(UTF_8), 0, 3, out);
    s.reset(0);
    s.feed("d\n".getBytes(UTF_8), 0, 2, out);
    assertThat(out).containsExactly(new LineSplitter.Line("d", 0, 2, false));
  }

  @Test
  void aCharacterSplitBetweenChunksIsDecodedWhole() {
    assertThat(split("é€😀\n", 100, 1))
        .containsExactly(new LineSplitter.Line("é€😀", 0, 10, false));
  }

  /** Random bytes fed in random chunks give the lines a simple reference split gives. */
  @RepeatedTest(50)
  void randomChunkingMatchesTheReference(RepetitionInfo info) {
    long seed = SEED ^ info.getCurrentRepetition();
    SplittableRandom random = new SplittableRandom(seed);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int length = random.nextInt(0, 5000);
    byte[] alphabet = {'a', 'b', '\n', '\r', (byte) 0xc3, (byte) 0xa9, (byte) 0xff};
    for (int i = 0; i < length; i++) {
      bytes.write(alphabet[random.nextInt(alphabet.length)]);
    }
    byte[] input = bytes.toByteArray();
    int max = random.nextInt(1, 40);

    LineSplitter s = new LineSplitter(0, max);
    List<LineSplitter.Line> actual = new ArrayList<>();
    for (int i = 0; i < input.length; ) {
      int n = Math.min(random.nextInt(1, 64), input.length - i);
      s.feed(input, i, n, actual);
      i += n;
    }
    s.flushPartial().ifPresent(actual::add);

    assertThat(actual)
        .as("seed %d (replay with -Dtrailwatch.seed)", seed)
        .isEqualTo(reference(input, max));
  }

  private static List<LineSplitter.Line> reference(byte[] input, int max) {
    List<LineSplitter.Line> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= input.length; i++) {
      boolean newline = i < input.length && input[i] == '\n';
      if (!newline && !(i == input.length && i > start)) {
        continue;
      }
      int end = i;
      if (newline && end > start && input[end - 1] == '\r') {
        end--;
      }
      boolean cut = end - start > max;
      String text = new String(input, start, Math.min(end - start, max), UTF_8);
      long next = newline ? i + 1 : i;
      lines.add(new LineSplitter.Line(text, start, next, cut));
      start = i + 1;
    }
    return lines;
  }
}
