package dev.trailwatch.ingest.file;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Splits the bytes of one file into lines, keeping track of their byte offsets. A line ends at
 * {@code \n}; a {@code \r} right before it is dropped. Bytes are decoded as UTF-8, invalid
 * sequences becoming U+FFFD. A line longer than {@code maxLineBytes} keeps its first {@code
 * maxLineBytes} bytes and is marked cut; the rest, up to its newline, is skipped without being held
 * in memory. The bytes after the last newline wait for more input ({@link #flushPartial}).
 *
 * <p>Not thread-safe: owned by the tailer's thread.
 */
final class LineSplitter {
  /**
   * One line.
   *
   * @param text the line without its newline (at most the maximum length)
   * @param start the byte offset of its first byte
   * @param next the byte offset just after it (after its newline, when it has one)
   * @param cut whether it was longer than the maximum and {@code text} holds only its start
   */
  record Line(String text, long start, long next, boolean cut) {}

  private final int maxLineBytes;
  private byte[] pending = new byte[256];
  private int pendingLength;
  private boolean cut;
  private long lineStart;
  private long position;

  LineSplitter(long startOffset, int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
    reset(startOffset);
  }

  /** Starts again at {@code offset}, forgetting any partial line. */
  void reset(long offset) {
    pendingLength = 0;
    cut = false;
    lineStart = offset;
    position = offset;
  }

  /** The offset of the next byte to feed. */
  long position() {
    return position;
  }

  /** The offset where the line being collected starts (= {@link #position} between lines). */
  long lineStart() {
    return lineStart;
  }

  /**
   * Feeds the next {@code length} bytes of the file, adding the lines they complete to {@code out}.
   */
  void feed(byte[] bytes, int offset, int length, List<Line> out) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      int newline = indexOfNewline(bytes, i, end);
      int stop = newline < 0 ? end : newline;
      append(bytes, i, stop - i);
      position += stop - i;
      if (newline < 0) {
        return;
      }
      position++;
      out.add(finish(true));
      i = newline + 1;
    }
  }

  /** The line still being collected, as it is (no newline came): at rotation or truncation. */
  Optional<Line> flushPartial() {
    if (pendingLength == 0 && !cut) {
      return Optional.empty();
    }
    return Optional.of(finish(false));
  }

  private void append(byte[] bytes, int offset, int length) {
    if (cut || length == 0) {
      return;
    }
    // Hold one byte more than the maximum: it may be the \r of a \r\n.
    int room = maxLineBytes + 1 - pendingLength;
    int take = Math.min(length, room);
    if (pendingLength + take > pending.length) {
      pending =
          Arrays.copyOf(
              pending,
              Math.min(maxLineBytes + 1, Math.max(pendingLength + take, pending.length * 2)));
    }
    System.arraycopy(bytes, offset, pending, pendingLength, take);
    pendingLength += take;
    if (length > room) {
      cut = true;
    }
  }

  private Line finish(boolean newline) {
    int length = pendingLength;
    boolean wasCut = cut;
    if (newline && !wasCut && length > 0 && pending[length - 1] == '\r') {
      length--;
    }
    if (length > maxLineBytes) {
      length = maxLineBytes;
      wasCut = true;
    }
    Line line = new Line(new String(pending, 0, length, UTF_8), lineStart, position, wasCut);
    pendingLength = 0;
    cut = false;
    lineStart = position;
    if (pending.length > 64 * 1024) {
      pending = new byte[256]; // do not keep a huge buffer for one long line
    }
    return line;
  }

  private static int indexOfNewline(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
