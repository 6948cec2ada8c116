package dev.trailwatch.ingest.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits the byte stream of one TCP or TLS connection into syslog messages (RFC 6587).
 *
 * <p>The first byte of the first frame decides the framing of the whole connection:
 *
 * <ul>
 *   <li>a digit: octet counting, {@code LEN SP MSG} with {@code LEN} the decimal length of {@code
 *       MSG} in bytes (RFC 6587 3.4.1, the only framing of RFC 5425). Every later frame must start
 *       with a digit too. A length that is not a number, is 0, or exceeds the maximum message size
 *       is {@linkplain Broken broken framing}: there is no way to find the next frame.
 *   <li>{@code <} (a PRI): newline framing, each message ends at LF or NUL (RFC 6587 3.4.2); a CR
 *       before the LF is dropped. Every later line is a message whatever it starts with. A line
 *       longer than the maximum is {@linkplain Truncated cut}, and the rest of it skipped.
 *   <li>anything else: not syslog, {@linkplain Broken broken framing}.
 * </ul>
 *
 * LF, CR and NUL bytes between frames are skipped in both framings (empty lines, and the stray LF
 * some senders put after an octet-counted frame). Bytes that are not UTF-8 decode to U+FFFD.
 *
 * <p>A read that times out ({@link java.net.SocketTimeoutException}) leaves the reader as it was:
 * the next call carries on. Not thread-safe: owned by its connection's thread.
 */
final class FrameReader {
  /** What {@link #next()} found. */
  sealed interface Frame permits Message, Truncated, Broken, Partial, End {}

  /** A complete message. */
  record Message(String text) implements Frame {}

  /** The first {@code maxMessageSize} bytes of a longer line; the rest is skipped. */
  record Truncated(String text) implements Frame {}

  /**
   * Framing that cannot be followed: the connection must be closed.
   *
   * @param received the bytes of the broken frame already received (at most the maximum size)
   * @param problem what was expected
   */
  record Broken(String received, String problem) implements Frame {}

  /** The bytes of a frame that the end of the input cut. */
  record Partial(String received, String problem) implements Frame {}

  /** The end of the input: no more frames. */
  record End() implements Frame {}

  private enum Mode {
    UNKNOWN,
    OCTET_COUNTING,
    NEWLINE
  }

  /** Up to 10 digits and a space before an octet-counted message. */
  private static final int MAX_PREFIX = 11;

  private final InputStream in;
  private final int maxMessageSize;
  private final byte[] buf;
  private int start;
  private int end;
  private int scanned; // newline framing: no terminator in [start, scanned)
  private Mode mode = Mode.UNKNOWN;
  private boolean skipping; // newline framing: discarding the rest of an over-long line
  private boolean eof;
  private String cutReason = "";

  FrameReader(InputStream in, int maxMessageSize) {
    this.in = in;
    this.maxMessageSize = maxMessageSize;
    this.buf = new byte[maxMessageSize + MAX_PREFIX + 2];
  }

  /** The framing of the connection, once known: {@code octet-counting} or {@code newline}. */
  String framing() {
    return switch (mode) {
      case UNKNOWN -> "unknown";
      case OCTET_COUNTING -> "octet-counting";
      case NEWLINE -> "newline";
    };
  }

  /**
   * Stops reading: what is buffered is still returned as frames, and then a frame that was not
   * complete as {@link Partial} with {@code reason} (even a newline-framed line, which at a clean
   * end of the stream would count as complete).
   */
  void endOfInput(String reason) {
    eof = true;
    cutReason = reason;
  }

  /** The next frame; blocks reading the stream when the buffer holds no complete frame. */
  Frame next() throws IOException {
    while (true) {
      Frame f = frameInBuffer();
      if (f != null) {
        return f;
      }
      if (eof) {
        return atEnd();
      }
      fill();
    }
  }

  private Frame frameInBuffer() {
    if (skipping) {
      int t = terminator(start, end);
      if (t < 0) {
        start = end;
        scanned = end;
        return null;
      }
      start = t + 1;
      scanned = start;
      skipping = false;
    }
    while (start < end && isSeparator(buf[start])) {
      start++;
    }
    if (scanned < start) {
      scanned = start;
    }
    if (start == end) {
      return null;
    }
    byte first = buf[start];
    if (mode == Mode.UNKNOWN) {
      if (isDigit(first)) {
        mode = Mode.OCTET_COUNTING;
      } else if (first == '<') {
        mode = Mode.NEWLINE;
      } else {
        return broken("expected an octet count or '<' at the start of a syslog frame");
      }
    }
    return mode == Mode.OCTET_COUNTING ? octetCounted() : line();
  }

  private Frame octetCounted() {
    if (!isDigit(buf[start])) {
      return broken("expected an octet count (octet-counting framing)");
    }
    long length = 0;
    int i = start;
    while (i < end && isDigit(buf[i])) {
      length = length * 10 + (buf[i] - '0');
      i++;
      if (i - start > MAX_PREFIX - 1) {
        return broken("the octet count '" + text(start, i) + "...' is too long");
      }
    }
    if (i == end) {
      return null; // the count may go on
    }
    if (buf[i] != ' ') {
      return broken(
          "the octet count '"
              + text(start, Math.min(i + 1, end))
              + "' is not a number followed by a space");
    }
    if (length == 0 || buf[start] == '0') {
      return broken("the octet count '" + text(start, i) + "' is not a positive number");
    }
    if (length > maxMessageSize) {
      return broken(
          "the octet count "
              + length
              + " exceeds the maximum message size of "
              + maxMessageSize
              + " bytes");
    }
    int body = i + 1;
    if (end - body < length) {
      return null;
    }
    int stop = body + (int) length;
    start = stop;
    scanned = stop;
    int textEnd = stop;
    while (textEnd > body && isSeparator(buf[textEnd - 1])) {
      textEnd--; // a trailing LF inside the count
    }
    return new Message(text(body, textEnd));
  }

  private Frame line() {
    // Room for a CR before the LF of a line of exactly the maximum size.
    int limit = Math.min(end, start + maxMessageSize + 2);
    int t = terminator(Math.max(scanned, start), limit);
    if (t >= 0) {
      int stop = t;
      if (stop > start && buf[stop - 1] == '\r') {
        stop--;
      }
      Frame f =
          stop - start > maxMessageSize
              ? new Truncated(text(start, start + maxMessageSize))
              : new Message(text(start, stop));
      start = t + 1;
      scanned = start;
      return f;
    }
    if (end - start >= maxMessageSize + 2) {
      String text = text(start, start + maxMessageSize);
      start += maxMessageSize;
      scanned = start;
      skipping = true;
      return new Truncated(text);
    }
    scanned = limit;
    return null;
  }

  private Frame atEnd() {
    if (skipping || start == end) {
      start = end;
      return new End();
    }
    String rest = text(start, end);
    start = end;
    if (mode == Mode.NEWLINE && cutReason.isEmpty()) {
      return new Message(rest); // the last line of a stream that ended cleanly
    }
    return new Partial(
        rest,
        cutReason.isEmpty()
            ? "the sender closed the connection in the middle of a frame"
            : cutReason);
  }

  private Frame broken(String problem) {
    String received = text(start, Math.min(end, start + maxMessageSize));
    start = end;
    return new Broken(received, problem);
  }

  private void fill() throws IOException {
    if (end == buf.length) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      scanned -= start;
      start = 0;
    }
    int n = in.read(buf, end, buf.length - end);
    if (n < 0) {
      eof = true;
    } else {
      end += n;
    }
  }

  private int terminator(int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n' || buf[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private String text(int from, int to) {
    return new String(buf, from, to - from, UTF_8);
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static boolean isSeparator(byte b) {
    return b == '\n' || b == '\r' || b == 0;
  }
}
