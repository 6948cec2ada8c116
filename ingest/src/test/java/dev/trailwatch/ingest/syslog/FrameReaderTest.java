package dev.trailwatch.ingest.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.ingest.syslog.FrameReader.Broken;
import dev.trailwatch.ingest.syslog.FrameReader.End;
import dev.trailwatch.ingest.syslog.FrameReader.Frame;
import dev.trailwatch.ingest.syslog.FrameReader.Message;
import dev.trailwatch.ingest.syslog.FrameReader.Partial;
import dev.trailwatch.ingest.syslog.FrameReader.Truncated;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
  private static final int MAX = 2048;
  private static final String A = "<13>1 2026-11-22T08:00:00Z host-a twtest 7 - - first";
  private static final String B = "<13>Nov 22 08:00:01 host-a twtest[7]: second";

  /** Every frame until the end, reading the input in chunks of at most {@code chunk} bytes. */
  private static List<Frame> frames(byte[] input, int chunk) throws IOException {
    FrameReader r = new FrameReader(new Chunked(input, chunk, -1), MAX);
    List<Frame> out = new ArrayList<>();
    while (true) {
      Frame f = r.next();
      out.add(f);
      if (f instanceof End || f instanceof Broken) {
        return out;
      }
    }
  }

  private static List<Frame> frames(String input) throws IOException {
    List<Frame> whole = frames(input.getBytes(UTF_8), Integer.MAX_VALUE);
    // The same frames whatever the stream's chunks: byte by byte, and in odd sizes (but broken
    // framing keeps what had been read when it was found, which depends on the chunks).
    assertThat(frames(input.getBytes(UTF_8), 1).stream().map(FrameReaderTest::withoutReceived))
        .isEqualTo(whole.stream().map(FrameReaderTest::withoutReceived).toList());
    assertThat(frames(input.getBytes(UTF_8), 7).stream().map(FrameReaderTest::withoutReceived))
        .isEqualTo(whole.stream().map(FrameReaderTest::withoutReceived).toList());
    return whole;
  }

  private static Frame withoutReceived(Frame f) {
    return f instanceof Broken b ? new Broken("", b.problem()) : f;
  }

  private static String octet(String m) {
    return m.getBytes(UTF_8).length + " " + m;
  }

  @Test
  void octetCounting() throws IOException {
    assertThat(frames(octet(A) + octet(B)))
        .containsExactly(new Message(A), new Message(B), new End());
  }

  @Test
  void octetCountingCountsBytesNotCharacters() throws IOException {
    String m = "<13>Nov 22 08:00:01 host-a twtest: grüße, 日本";
    assertThat(frames(octet(m) + octet(A)))
        .containsExactly(new Message(m), new Message(A), new End());
  }

  @Test
  void octetCountingToleratesANewlineAfterOrInsideTheFrame() throws IOException {
    // Some senders add a LF after each frame, counted or not.
    assertThat(frames(octet(A) + "\n" + octet(B + "\n") + "\r\n"))
        .containsExactly(new Message(A), new Message(B), new End());
  }

  @Test
  void newlineFramingWithLfCrlfAndNul() throws IOException {
    assertThat(frames(A + "\n" + B + "\r\n" + A + "\0" + B + "\0\n"))
        .containsExactly(new Message(A), new Message(B), new Message(A), new Message(B), new End());
  }

  @Test
  void emptyLinesAreSkipped() throws IOException {
    assertThat(frames("\n\r\n" + A + "\n\n\n" + B + "\n"))
        .containsExactly(new Message(A), new Message(B), new End());
  }

  @Test
  void theLastLineNeedsNoTerminatorWhenTheSenderClosesCleanly() throws IOException {
    assertThat(frames(A + "\n" + B)).containsExactly(new Message(A), new Message(B), new End());
  }

  @Test
  void newlineFramingTakesEveryLaterLineAsAMessage() throws IOException {
    // Once newline framing is known, a line is a line, whatever it starts with; the parser decides.
    assertThat(frames(A + "\n42 not a count\nplain text\n"))
        .containsExactly(
            new Message(A), new Message("42 not a count"), new Message("plain text"), new End());
  }

  @Test
  void anOverLongLineIsCutAndItsRestSkipped() throws IOException {
    String longLine = "<13>Nov 22 08:00:01 host-a twtest: " + "x".repeat(5000);
    List<Frame> f = frames(A + "\n" + longLine + "\n" + B + "\n");
    assertThat(f).hasSize(4);
    assertThat(f.get(0)).isEqualTo(new Message(A));
    assertThat(f.get(1)).isEqualTo(new Truncated(longLine.substring(0, MAX)));
    assertThat(f.get(2)).isEqualTo(new Message(B));
  }

  @Test
  void aLineOfExactlyTheMaximumIsWhole() throws IOException {
    String line = "<13>Nov 22 08:00:01 host-a twtest: ";
    line += "y".repeat(MAX - line.length());
    assertThat(frames(line + "\r\n" + B + "\n"))
        .containsExactly(new Message(line), new Message(B), new End());
  }

  @Test
  void invalidUtf8DecodesWithReplacement() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("<13>Nov 22 08:00:01 host-a twtest: bad ".getBytes(UTF_8));
    out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xc3, '!', '\n'});
    List<Frame> f = frames(out.toByteArray(), 3);
    assertThat(f)
        .containsExactly(
            new Message("<13>Nov 22 08:00:01 host-a twtest: bad \uFFFD\uFFFD!"), new End());
  }

  @Test
  void aCountThatIsNotANumberIsBroken() throws IOException {
    List<Frame> f = frames(octet(A) + "12x4 <13>garbage");
    assertThat(f.get(0)).isEqualTo(new Message(A));
    assertThat(f.get(1)).isInstanceOf(Broken.class);
    assertThat(((Broken) f.get(1)).problem()).contains("'12x'", "not a number");
    assertThat(((Broken) f.get(1)).received()).isEqualTo("12x4 <13>garbage");
  }

  @Test
  void aCountOverTheMaximumIsBroken() throws IOException {
    List<Frame> f = frames("99999 <13>...");
    assertThat(((Broken) f.get(0)).problem()).contains("99999", "exceeds", "2048");
    assertThat(frames("0 x").get(0)).isInstanceOf(Broken.class);
    assertThat(frames("123456789012345 x").get(0)).isInstanceOf(Broken.class);
  }

  @Test
  void aFrameThatIsNotSyslogIsBroken() throws IOException {
    assertThat(frames("GET / HTTP/1.1\r\n\r\n").get(0)).isInstanceOf(Broken.class);
    // A TLS ClientHello on the plain port.
    assertThat(frames(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00}, 100).get(0))
        .isInstanceOf(Broken.class);
  }

  @Test
  void octetCountingDoesNotSwitchToNewlines() throws IOException {
    List<Frame> f = frames(octet(A) + B + "\n");
    assertThat(f.get(0)).isEqualTo(new Message(A));
    assertThat(((Broken) f.get(1)).problem()).contains("expected an octet count");
  }

  @Test
  void aFrameCutByTheEndOfTheStreamIsPartial() throws IOException {
    String cut = octet(B).substring(0, 20);
    assertThat(frames(octet(A) + cut))
        .containsExactly(
            new Message(A),
            new Partial(cut, "the sender closed the connection in the middle of a frame"),
            new End());
  }

  @Test
  void endOfInputReturnsWhatIsBufferedThenThePartialFrame() throws IOException {
    String half = B.substring(0, 10);
    FrameReader r =
        new FrameReader(
            new Chunked((A + "\n" + B + "\n" + half).getBytes(UTF_8), 1 << 20, -1), MAX);
    assertThat(r.next()).isEqualTo(new Message(A)); // reads everything in one go
    r.endOfInput("shutting down");
    assertThat(r.next()).isEqualTo(new Message(B));
    assertThat(r.next()).isEqualTo(new Partial(half, "shutting down"));
    assertThat(r.next()).isEqualTo(new End());
  }

  @Test
  void aTimeoutInTheMiddleOfAFrameLosesNothing() throws IOException {
    byte[] input = (octet(A) + A + "x").getBytes(UTF_8); // a complete frame, then a broken one
    input = (octet(A) + octet(B)).getBytes(UTF_8);
    for (int at = 1; at < input.length; at++) {
      FrameReader r = new FrameReader(new Chunked(input, 5, at), MAX);
      List<Frame> got = new ArrayList<>();
      int timeouts = 0;
      while (!(got.isEmpty() ? false : got.get(got.size() - 1) instanceof End)) {
        try {
          got.add(r.next());
        } catch (SocketTimeoutException e) {
          timeouts++;
        }
      }
      assertThat(timeouts).isEqualTo(1);
      assertThat(got)
          .as("timeout at byte %d", at)
          .containsExactly(new Message(A), new Message(B), new End());
    }
  }

  @Test
  void randomChunkingGivesTheSameFrames() throws IOException {
    long seed = Long.getLong("trailwatch.seed", System.nanoTime());
    System.out.println(
        "FrameReaderTest seed " + seed + " (replay with -Dtrailwatch.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder octets = new StringBuilder();
    StringBuilder lines = new StringBuilder();
    List<Frame> expected = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String m = "<13>Nov 22 08:00:01 host-a twtest: " + "z".repeat(random.nextInt(0, 3000));
      octets.append(octet(m));
      lines.append(m).append(random.nextBoolean() ? "\n" : "\r\n");
      expected.add(m.length() > MAX ? new Truncated(m.substring(0, MAX)) : new Message(m));
    }
    for (int round = 0; round < 5; round++) {
      int chunk = random.nextInt(1, 5000);
      List<Frame> fromLines = frames(lines.toString().getBytes(UTF_8), chunk);
      assertThat(fromLines.subList(0, fromLines.size() - 1))
          .as("seed %d", seed)
          .isEqualTo(expected);
      List<Frame> fromOctets = frames(octets.toString().getBytes(UTF_8), chunk);
      // Octet counting: a frame over the maximum is broken framing, where the reading stops.
      int firstLong = 0;
      while (firstLong < expected.size() && expected.get(firstLong) instanceof Message) {
        firstLong++;
      }
      assertThat(fromOctets.subList(0, firstLong))
          .as("seed %d", seed)
          .isEqualTo(expected.subList(0, firstLong));
      if (firstLong < expected.size()) {
        assertThat(fromOctets.get(firstLong)).isInstanceOf(Broken.class);
      }
    }
  }

  /**
   * Gives at most {@code chunk} bytes per read; throws one timeout when it reaches {@code
   * timeoutAt}.
   */
  private static final class Chunked extends InputStream {
    private final ByteArrayInputStream in;
    private final int chunk;
    private int timeoutAt;
    private int pos;

    Chunked(byte[] data, int chunk, int timeoutAt) {
      this.in = new ByteArrayInputStream(data);
      this.chunk = chunk;
      this.timeoutAt = timeoutAt;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = Math.min(len, chunk);
      if (timeoutAt >= 0) {
        if (pos == timeoutAt) {
          timeoutAt = -1;
          throw new SocketTimeoutException("test timeout");
        }
        if (pos < timeoutAt) {
          n = Math.min(n, timeoutAt - pos);
        }
      }
      int got = in.read(b, off, n);
      if (got > 0) {
        pos += got;
      }
      return got;
    }
  }
}
