package dev.trailwatch.ledger.checkpoint;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.ledger.checkpoint.NoteFormat.Parts;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A file of signed notes, one after the other, each followed by one blank line: the ledger's {@code
 * checkpoints} file and the files at a witness location.
 *
 * <pre>
 * file  = *frame
 * frame = signed-note "\n"
 * signed-note = 1*(text-line "\n") "\n" 1*(signature-line "\n")   ; see {@link NoteFormat}
 * text-line   = 1*(any character but newline)                       ; no empty lines in the text
 * </pre>
 *
 * Because the text of a logged note has no empty line, the first empty line of a frame ends its
 * text and the next empty line ends the frame: notes can be found without verifying them. The final
 * blank line tells a complete frame from one whose last signature line was cut short at a base64
 * boundary.
 *
 * <p>{@link #parse} is structural only: it checks the layout, UTF-8, and that each signature line
 * is well formed, but no signature. Callers {@link NoteVerifier#open} each entry before {@link
 * Checkpoint#parse}. It stops at the first frame that is not complete and well formed and reports
 * it as the {@link Tail}:
 *
 * <ul>
 *   <li>{@link TailKind#INCOMPLETE}: the file ends inside a frame that is fine so far, as an
 *       interrupted append leaves it. A writer truncates the file to {@link Parsed#validLength()}
 *       before it appends again; otherwise the torn note and the next one run together into one
 *       frame, which {@link NoteVerifier#open} then rejects.
 *   <li>{@link TailKind#MALFORMED}: bytes that no append of a well-formed note could have left.
 *       This is damage to report, never to repair silently: no note after it is returned, and
 *       {@link Tail#nextNoteOffset()} says where the next well-formed note starts if one follows
 *       (the damage is then in the middle of the file).
 * </ul>
 *
 * Stateless; thread-safe.
 */
public final class NoteLog {
  private static final byte[] SIGNATURE_PREFIX_BYTES =
      NoteFormat.SIGNATURE_PREFIX.getBytes(StandardCharsets.UTF_8);

  private NoteLog() {}

  /**
   * The bytes to append for one note: the note and one more newline.
   *
   * @throws IllegalArgumentException if {@code signedNote} is not a well-formed signed note, or its
   *     text has an empty line (which the file format cannot delimit)
   */
  public static byte[] frame(String signedNote) {
    requireNonNull(signedNote, "signedNote");
    Parts parts;
    try {
      parts = NoteFormat.split(signedNote);
    } catch (NoteException e) {
      throw new IllegalArgumentException("cannot log this note: " + e.getMessage(), e);
    }
    if (parts.text().startsWith("\n") || parts.text().contains("\n\n")) {
      throw new IllegalArgumentException(
          "cannot log this note: its text has an empty line, which would end it early in a note"
              + " log");
    }
    byte[] note = signedNote.getBytes(StandardCharsets.UTF_8);
    byte[] framed = Arrays.copyOf(note, note.length + 1);
    framed[note.length] = '\n';
    return framed;
  }

  /** Reads the notes of a file; never throws for bad content, which goes into the tail. */
  public static Parsed parse(byte[] fileBytes) {
    requireNonNull(fileBytes, "fileBytes");
    List<Entry> entries = new ArrayList<>();
    int pos = 0;
    while (pos < fileBytes.length) {
      Scan scan = scanFrame(fileBytes, pos);
      switch (scan) {
        case Complete complete -> {
          int length = complete.noteEnd() - pos;
          String note = new String(fileBytes, pos, length, StandardCharsets.UTF_8);
          entries.add(new Entry(note, pos, length));
          pos = complete.noteEnd() + 1;
        }
        case Incomplete incomplete -> {
          String reason =
              "incomplete note at end of file (interrupted write?): "
                  + (fileBytes.length - pos)
                  + " bytes from offset "
                  + pos;
          Tail tail =
              new Tail(
                  pos, fileBytes.length - pos, TailKind.INCOMPLETE, reason, OptionalLong.empty());
          return new Parsed(entries, Optional.of(tail));
        }
        case Malformed malformed -> {
          OptionalLong next = nextWellFormedFrame(fileBytes, pos);
          String reason =
              "malformed note at offset "
                  + pos
                  + ": "
                  + malformed.problem()
                  + (next.isPresent()
                      ? "; a well-formed note follows at offset " + next.getAsLong()
                      : "");
          Tail tail = new Tail(pos, fileBytes.length - pos, TailKind.MALFORMED, reason, next);
          return new Parsed(entries, Optional.of(tail));
        }
      }
    }
    return new Parsed(entries, Optional.empty());
  }

  /** One complete note in the file. */
  public record Entry(String note, long offset, int length) {
    public Entry {
      requireNonNull(note, "note");
    }

    /** Where the next frame starts: after the note and its blank line. */
    public long end() {
      return offset + length + 1;
    }
  }

  /** What kind of tail follows the last complete note. */
  public enum TailKind {
    /** A frame cut short by the end of the file; the usual trace of an interrupted write. */
    INCOMPLETE,
    /** Bytes that are not a well-formed frame: damage, or not a note log at all. */
    MALFORMED,
  }

  /**
   * Everything from {@code offset} to the end of the file: the first frame that is not complete and
   * well formed, and whatever follows it, none of which is returned as entries.
   *
   * @param offset where that frame starts
   * @param length bytes from there to the end of the file
   * @param kind incomplete (truncate and go on) or malformed (report)
   * @param reason for a person: "incomplete note at end of file (interrupted write?): …" or
   *     "malformed note at offset N: line L (offset M): …"
   * @param nextNoteOffset for a malformed frame, where the next well-formed frame starts if one
   *     follows (the damage is in the middle of the file, and truncating would lose notes)
   */
  public record Tail(
      long offset, long length, TailKind kind, String reason, OptionalLong nextNoteOffset) {
    public Tail {
      requireNonNull(kind, "kind");
      requireNonNull(reason, "reason");
      requireNonNull(nextNoteOffset, "nextNoteOffset");
    }
  }

  /** The complete notes of a file, in order, and what follows them if anything. */
  public record Parsed(List<Entry> entries, Optional<Tail> tail) {
    public Parsed {
      entries = List.copyOf(entries);
      requireNonNull(tail, "tail");
    }

    /** Bytes taken by the complete notes, from the start of the file. */
    public long validLength() {
      return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).end();
    }

    /** Whether the file is complete notes and nothing else. */
    public boolean isClean() {
      return tail.isEmpty();
    }

    /**
     * Throws if the tail is {@link TailKind#MALFORMED}; an incomplete tail is not an error here.
     *
     * @throws NoteException ({@link NoteException.Kind#MALFORMED_NOTE}) with the tail's reason
     */
    public void throwIfMalformed() throws NoteException {
      if (tail.isPresent() && tail.get().kind() == TailKind.MALFORMED) {
        throw new NoteException(NoteException.Kind.MALFORMED_NOTE, tail.get().reason());
      }
    }
  }

  private sealed interface Scan permits Complete, Incomplete, Malformed {}

  /** The note ends just before {@code noteEnd}, which is the frame's blank line. */
  private record Complete(int noteEnd) implements Scan {}

  private record Incomplete() implements Scan {}

  private record Malformed(String problem) implements Scan {}

  private enum State {
    FIRST_TEXT_LINE,
    TEXT,
    FIRST_SIGNATURE,
    SIGNATURES,
  }

  private static Scan scanFrame(byte[] bytes, int start) {
    State state = State.FIRST_TEXT_LINE;
    int signatures = 0;
    int lineNumber = 0;
    int p = start;
    while (p < bytes.length) {
      lineNumber++;
      String where = "line " + lineNumber + " (offset " + p + "): ";
      int newline = indexOf(bytes, (byte) '\n', p);
      if (newline < 0) {
        return partialLineProblem(bytes, p, state)
            .<Scan>map(problem -> new Malformed(where + problem))
            .orElse(new Incomplete());
      }
      String line;
      try {
        line = strictDecoder().decode(ByteBuffer.wrap(bytes, p, newline - p)).toString();
      } catch (CharacterCodingException e) {
        return new Malformed(where + "not valid UTF-8");
      }
      Optional<String> forbidden = NoteFormat.forbiddenCharacter(line);
      if (forbidden.isPresent()) {
        return new Malformed(where + "contains " + forbidden.get());
      }
      switch (state) {
        case FIRST_TEXT_LINE -> {
          if (line.isEmpty()) {
            return new Malformed(
                where + "empty line where a note should start (one blank line separates notes)");
          }
          state = State.TEXT;
        }
        case TEXT -> {
          if (line.isEmpty()) {
            state = State.FIRST_SIGNATURE;
          }
        }
        case FIRST_SIGNATURE, SIGNATURES -> {
          if (line.isEmpty()) {
            if (state == State.FIRST_SIGNATURE) {
              return new Malformed(where + "expected a signature line, found an empty line");
            }
            return new Complete(p);
          }
          if (signatures == NoteFormat.MAX_SIGNATURES) {
            return new Malformed(
                where + "more than " + NoteFormat.MAX_SIGNATURES + " signature lines");
          }
          try {
            NoteFormat.parseSignatureLine(line);
          } catch (NoteException e) {
            return new Malformed(where + NoteFormat.problemOf(e));
          }
          signatures++;
          state = State.SIGNATURES;
        }
      }
      p = newline + 1;
    }
    return new Incomplete();
  }

  /**
   * The first offset after {@code from} that follows an empty line, as every frame but the first
   * does, and where a complete, well-formed frame begins. Only such offsets are tried, so the
   * search stays linear in practice: in an intact region the tries that do not start a frame fail
   * within a frame or two.
   */
  private static OptionalLong nextWellFormedFrame(byte[] bytes, int from) {
    for (int q = Math.max(from + 1, 2); q < bytes.length; q++) {
      if (bytes[q - 1] == '\n' && bytes[q - 2] == '\n' && scanFrame(bytes, q) instanceof Complete) {
        return OptionalLong.of(q);
      }
    }
    return OptionalLong.empty();
  }

  /**
   * Why the last line of the file, which has no newline, cannot be the start of the line expected
   * in {@code state}; empty if it can (the file was cut there).
   */
  private static Optional<String> partialLineProblem(byte[] bytes, int from, State state) {
    int length = bytes.length - from;
    ByteBuffer in = ByteBuffer.wrap(bytes, from, length);
    CharBuffer out = CharBuffer.allocate(length);
    CoderResult result = strictDecoder().decode(in, out, false); // leaves a cut-off character in
    if (result.isError()) {
      return Optional.of("not valid UTF-8");
    }
    boolean cutCharacter = in.hasRemaining();
    String decoded = out.flip().toString();
    Optional<String> forbidden = NoteFormat.forbiddenCharacter(decoded);
    if (forbidden.isPresent()) {
      return Optional.of("contains " + forbidden.get());
    }
    if (state == State.FIRST_TEXT_LINE || state == State.TEXT) {
      return Optional.empty();
    }
    for (int i = 0; i < Math.min(length, SIGNATURE_PREFIX_BYTES.length); i++) {
      if (bytes[from + i] != SIGNATURE_PREFIX_BYTES[i]) {
        return Optional.of("expected a signature line starting with an em dash and a space");
      }
    }
    if (length <= SIGNATURE_PREFIX_BYTES.length) {
      return Optional.empty();
    }
    String rest = decoded.substring(NoteFormat.SIGNATURE_PREFIX.length());
    int space = rest.indexOf(' ');
    String name = space < 0 ? rest : rest.substring(0, space);
    if (space == 0 || !name.isEmpty() && !NoteFormat.isValidName(name)) {
      return Optional.of("signature line has an invalid key name " + NoteFormat.quote(name));
    }
    if (space < 0) {
      return Optional.empty();
    }
    if (cutCharacter) {
      return Optional.of("signature line has a non-ASCII character in its base64");
    }
    String base64 = rest.substring(space + 1);
    int padding = base64.indexOf('=');
    boolean valid =
        base64.chars().allMatch(NoteLog::isBase64Character)
            && (padding < 0
                || base64.length() - padding <= 2
                    && base64.substring(padding).chars().allMatch(c -> c == '='));
    return valid
        ? Optional.empty()
        : Optional.of("signature line has characters that are not base64");
  }

  private static boolean isBase64Character(int c) {
    return c >= 'A' && c <= 'Z'
        || c >= 'a' && c <= 'z'
        || c >= '0' && c <= '9'
        || c == '+'
        || c == '/'
        || c == '=';
  }

  private static CharsetDecoder strictDecoder() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
