package dev.trailwatch.event;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Decodes newline-delimited JSON (one event per line) from bytes or a stream, line by line.
 *
 * <p>Lines end at {@code \n}; a {@code \r} before it is dropped (CRLF files work). Blank lines
 * (only spaces, tabs and {@code \r}) are skipped but counted, so line numbers match an editor's. A
 * UTF-8 byte order mark at the start of the first line is ignored. The last line needs no line
 * break. Lines may be of any length: the buffer grows to hold the longest line. Each line is
 * decoded on its own, as by {@link EventJson#decode(byte[], int, int)}: a line that is not valid
 * UTF-8 or not JSON gives an {@link Decoded.Invalid} with its column and does not affect the
 * others.
 *
 * <p>Not thread-safe. {@link #close()} closes the underlying stream.
 */
public final class NdjsonDecoder implements Closeable {
  private static final int INITIAL_BUFFER = 1 << 16;
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private final InputStream in;
  private byte[] buf;
  private int start; // first byte not yet consumed
  private int end; // end of the data in buf
  private int scanned; // bytes in [start, scanned) contain no '\n'
  private boolean eof;
  private long line;

  /** Reads from {@code in}, which this decoder owns and closes. */
  public NdjsonDecoder(InputStream in) {
    this.in = requireNonNull(in, "in");
    this.buf = new byte[INITIAL_BUFFER];
  }

  private NdjsonDecoder(byte[] ndjson) {
    this.in = InputStream.nullInputStream();
    this.buf = ndjson;
    this.end = ndjson.length;
    this.eof = true;
  }

  /** A decoder over an in-memory batch (the array is read in place, not copied). */
  public static NdjsonDecoder of(byte[] ndjson) {
    return new NdjsonDecoder(requireNonNull(ndjson, "ndjson"));
  }

  /** Decodes every non-blank line of an in-memory batch. */
  public static List<DecodedLine> decodeAll(byte[] ndjson) {
    List<DecodedLine> out = new ArrayList<>();
    try (NdjsonDecoder decoder = of(ndjson)) {
      decoder.forEachRemaining(out::add);
    } catch (IOException e) {
      throw new AssertionError("an in-memory batch does no I/O", e);
    }
    return out;
  }

  /**
   * One non-blank line, not yet decoded: valid until the next call to {@link #nextLine()} (the
   * bytes are the decoder's buffer).
   *
   * @param number the 1-based line number (blank lines count)
   * @param buffer the bytes that hold the line, without its line break
   * @param offset where the line starts in {@code buffer}
   * @param length its length in bytes
   */
  public record Line(long number, byte[] buffer, int offset, int length) {
    /** Decodes the line, as {@link #next()} would. */
    public DecodedLine decode() {
      return new DecodedLine(number, EventJson.decode(buffer, offset, length));
    }
  }

  /** The next non-blank line, decoded; empty at the end of the input. */
  public Optional<DecodedLine> next() throws IOException {
    Line l = nextLine();
    return l == null ? Optional.empty() : Optional.of(l.decode());
  }

  /**
   * The next non-blank line, not decoded, for callers that look at the bytes first; null at the end
   * of the input.
   */
  public Line nextLine() throws IOException {
    while (true) {
      int newline = indexOfNewline();
      int lineEnd;
      int next;
      if (newline >= 0) {
        lineEnd = newline;
        next = newline + 1;
      } else if (eof) {
        if (start >= end) {
          return null;
        }
        lineEnd = end;
        next = end;
      } else {
        fill();
        continue;
      }
      line++;
      int lineStart = start;
      start = next;
      scanned = next;
      if (line == 1 && lineEnd - lineStart >= 3 && isBom(lineStart)) {
        lineStart += 3;
      }
      if (lineEnd > lineStart && buf[lineEnd - 1] == '\r') {
        lineEnd--;
      }
      if (isBlank(lineStart, lineEnd)) {
        continue;
      }
      return new Line(line, buf, lineStart, lineEnd - lineStart);
    }
  }

  /** Calls {@code action} for every remaining non-blank line. */
  public void forEachRemaining(Consumer<? super DecodedLine> action) throws IOException {
    Optional<DecodedLine> next;
    while ((next = next()).isPresent()) {
      action.accept(next.get());
    }
  }

  /** Lines read so far, blank ones included: the number of the last line returned or skipped. */
  public long linesRead() {
    return line;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private int indexOfNewline() {
    byte[] b = buf;
    int i = scanned;
    // 8 bytes at a time: a zero byte in (word XOR '\n'*8) marks a newline.
    for (; i + 8 <= end; i += 8) {
      long x = (long) LONGS.get(b, i) ^ 0x0a0a0a0a0a0a0a0aL;
      if (((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) != 0) {
        break;
      }
    }
    for (; i < end; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    scanned = end;
    return -1;
  }

  /** Makes room and reads more; sets {@link #eof} at the end of the stream. */
  private void fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      scanned -= start;
      start = 0;
    }
    if (end == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, end, buf.length - end);
    if (n < 0) {
      eof = true;
    } else {
      end += n;
    }
  }

  private boolean isBom(int at) {
    return buf[at] == (byte) 0xef && buf[at + 1] == (byte) 0xbb && buf[at + 2] == (byte) 0xbf;
  }

  private boolean isBlank(int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = buf[i];
      if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
    return true;
  }
}
