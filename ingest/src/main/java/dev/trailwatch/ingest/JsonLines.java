package dev.trailwatch.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A file of JSON values as one compact value per line: what formats framed as JSON ({@link
 * RecordParser.Framing#JSON}) need when a file is one pretty-printed document, an array of records,
 * or several values on a line. The elements of a top-level array become one line each; everything
 * else (an object, a CloudTrail {@code {"Records":[...]}} file) is one line, and the parser unwraps
 * it.
 *
 * <p>Files that already hold one value per line (NDJSON) are better read as lines, so that a broken
 * line is stored as unparsed and the rest goes on: {@link #isDocument} tells the two apart. In a
 * document, a syntax error ends the import with its line and column (a JSON document that is broken
 * cannot be split into records reliably).
 */
public final class JsonLines extends InputStream {
  private static final JsonFactory JSON = new JsonFactory();

  private final JsonParser parser;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
  private final String source;
  private byte[] pending = new byte[0];
  private int pos;
  private boolean inArray;
  private boolean done;

  public JsonLines(InputStream in, String source) throws IOException {
    this.parser = JSON.createParser(in);
    this.source = source;
  }

  /**
   * Whether the start of a file is a JSON document to split (an array, or a value spanning several
   * lines) rather than NDJSON.
   */
  public static boolean isDocument(byte[] head, int length) {
    int i = 0;
    if (length >= 3
        && (head[0] & 0xff) == 0xef
        && (head[1] & 0xff) == 0xbb
        && (head[2] & 0xff) == 0xbf) {
      i = 3;
    }
    while (i < length
        && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
      i++;
    }
    if (i >= length) {
      return false;
    }
    if (head[i] == '[') {
      return true;
    }
    if (head[i] != '{') {
      return false;
    }
    int depth = 0;
    boolean inString = false;
    for (int j = i; j < length; j++) {
      byte b = head[j];
      if (inString) {
        if (b == '\\') {
          j++;
        } else if (b == '"') {
          inString = false;
        }
        continue;
      }
      switch (b) {
        case '"' -> inString = true;
        case '{', '[' -> depth++;
        case '}', ']' -> {
          depth--;
          if (depth == 0) {
            return false; // the first value closed on its first line: NDJSON
          }
        }
        case '\n' -> {
          return true; // the first value goes on past its first line
        }
        default -> {}
      }
    }
    return false;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int total = 0;
    while (total < len) {
      if (pos == pending.length && !fill()) {
        break;
      }
      int n = Math.min(len - total, pending.length - pos);
      System.arraycopy(pending, pos, b, off + total, n);
      pos += n;
      total += n;
    }
    return total == 0 ? -1 : total;
  }

  /** Serialises the next record into {@link #pending}; false at the end. */
  private boolean fill() throws IOException {
    if (done) {
      return false;
    }
    buffer.reset();
    try (JsonGenerator g = JSON.createGenerator(buffer).setRootValueSeparator(null)) {
      int records = 0;
      // Several records per fill, up to 64 KiB, to keep the copying in large pieces.
      while (buffer.size() < 1 << 16) {
        JsonToken t = parser.nextToken();
        if (t == null) {
          done = true;
          break;
        }
        if (t == JsonToken.START_ARRAY && !inArray) {
          inArray = true;
          continue;
        }
        if (t == JsonToken.END_ARRAY && inArray) {
          inArray = false;
          continue;
        }
        g.copyCurrentStructure(parser);
        g.flush();
        buffer.write('\n');
        records++;
      }
      if (records == 0 && done) {
        return false;
      }
    } catch (JsonProcessingException e) {
      throw new IOException(
          source
              + ": line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": not valid JSON: "
              + e.getOriginalMessage()
              + " (the records before it are imported)",
          e);
    }
    pending = buffer.toByteArray();
    pos = 0;
    return pending.length > 0;
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }
}
