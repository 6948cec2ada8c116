package dev.trailwatch.ledger.checkpoint;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A transparency log checkpoint: the body of a signed note, as in C2SP tlog-checkpoint
 * (https://c2sp.org/tlog-checkpoint).
 *
 * <pre>
 * origin "\n"                     ; non-empty; identifies the log
 * size "\n"                       ; tree size in decimal, no sign, no leading zeros ("0" if empty)
 * base64(root hash) "\n"          ; standard, padded base64 of the 32-byte RFC 6962 root hash
 * *(extension "\n")               ; optional, opaque, non-empty lines, e.g. "time 1732254000123456789"
 * </pre>
 *
 * <p>Verify, then parse: {@link #parse} is for text that {@link NoteVerifier#open} returned, never
 * for a note whose signature has not been checked. The root hash is copied in and out, and {@code
 * equals}/{@code hashCode} compare it by content. Immutable; thread-safe.
 *
 * @param origin the log's identity, usually its key name
 * @param size the number of leaves in the tree
 * @param rootHash the 32-byte root hash at that size
 * @param extensions extension lines, without their newlines
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
  /** Length of an RFC 6962 (SHA-256) root hash. */
  public static final int HASH_BYTES = 32;

  /**
   * @throws IllegalArgumentException if a field could not be written as a checkpoint line
   */
  public Checkpoint {
    requireNonNull(origin, "origin");
    requireNonNull(rootHash, "rootHash");
    requireNonNull(extensions, "extensions");
    requireLine(origin, "origin");
    if (size < 0) {
      throw new IllegalArgumentException("tree size must not be negative, got " + size);
    }
    if (rootHash.length != HASH_BYTES) {
      throw new IllegalArgumentException(
          "root hash must be " + HASH_BYTES + " bytes, got " + rootHash.length);
    }
    rootHash = rootHash.clone();
    extensions = List.copyOf(extensions);
    for (String extension : extensions) {
      requireLine(extension, "extension line");
    }
  }

  /** A checkpoint without extension lines. */
  public Checkpoint(String origin, long size, byte[] rootHash) {
    this(origin, size, rootHash, List.of());
  }

  private static void requireLine(String line, String what) {
    if (line.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    if (line.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(what + " must not contain a newline");
    }
    NoteFormat.forbiddenCharacter(line)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(what + " contains " + problem);
            });
  }

  /** A copy of the root hash. */
  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** The note text: origin, size and root hash lines, then the extension lines. */
  public String toNoteText() {
    StringBuilder text = new StringBuilder();
    text.append(origin).append('\n');
    text.append(size).append('\n');
    text.append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
    for (String extension : extensions) {
      text.append(extension).append('\n');
    }
    return text.toString();
  }

  /**
   * The value of the first extension line of the form {@code key + " " + value}, for example {@code
   * extension("time")} on a line {@code time 1732254000123456789}. A line that is just {@code key},
   * without a space, does not match.
   *
   * @throws IllegalArgumentException if {@code key} is empty or contains a space or newline
   */
  public Optional<String> extension(String key) {
    requireNonNull(key, "key");
    if (key.isEmpty() || key.indexOf(' ') >= 0 || key.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(
          "extension key must be non-empty without spaces or newlines, got "
              + NoteFormat.quote(key));
    }
    String prefix = key + " ";
    return extensions.stream()
        .filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length()))
        .findFirst();
  }

  /**
   * Parses the text of a verified checkpoint note, strictly.
   *
   * @throws NoteException ({@link NoteException.Kind#MALFORMED_CHECKPOINT}) naming the line and the
   *     rule it breaks
   */
  public static Checkpoint parse(String verifiedText) throws NoteException {
    requireNonNull(verifiedText, "verifiedText");
    if (!verifiedText.endsWith("\n")) {
      throw malformed("the text must end with a newline");
    }
    Optional<String> forbidden = NoteFormat.forbiddenCharacter(verifiedText);
    if (forbidden.isPresent()) {
      throw malformed("the text contains " + forbidden.get());
    }
    String[] lines = verifiedText.substring(0, verifiedText.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw malformed(
          "expected at least 3 lines (origin, tree size, root hash), got " + lines.length);
    }
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        throw malformed("line " + (i + 1) + " is empty; checkpoint lines must not be empty");
      }
    }
    long size = parseSize(lines[1]);
    byte[] root = parseRoot(lines[2]);
    List<String> extensions = new ArrayList<>(Arrays.asList(lines).subList(3, lines.length));
    return new Checkpoint(lines[0], size, root, extensions);
  }

  private static long parseSize(String line) throws NoteException {
    boolean digits = line.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits || line.length() > 1 && line.charAt(0) == '0') {
      throw malformed(
          "line 2: tree size must be a decimal number without sign or leading zeros, got "
              + NoteFormat.quote(line));
    }
    try {
      return Long.parseLong(line);
    } catch (NumberFormatException e) {
      throw malformed("line 2: tree size " + NoteFormat.quote(line) + " exceeds " + Long.MAX_VALUE);
    }
  }

  private static byte[] parseRoot(String line) throws NoteException {
    byte[] root;
    try {
      root = NoteFormat.decodeBase64(line);
    } catch (IllegalArgumentException e) {
      throw malformed(
          "line 3: root hash "
              + NoteFormat.quote(line)
              + " is not standard base64 ("
              + e.getMessage()
              + ")");
    }
    if (root.length != HASH_BYTES) {
      throw malformed(
          "line 3: root hash must be "
              + HASH_BYTES
              + " bytes, got "
              + root.length
              + " bytes in "
              + NoteFormat.quote(line));
    }
    return root;
  }

  private static NoteException malformed(String problem) {
    return new NoteException(
        NoteException.Kind.MALFORMED_CHECKPOINT, "malformed checkpoint: " + problem);
  }

  /** Equal when all fields are equal, the root hash by content. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint other
        && size == other.size
        && origin.equals(other.origin)
        && Arrays.equals(rootHash, other.rootHash)
        && extensions.equals(other.extensions);
  }

  @Override
  public int hashCode() {
    int h = origin.hashCode();
    h = 31 * h + Long.hashCode(size);
    h = 31 * h + Arrays.hashCode(rootHash);
    return 31 * h + extensions.hashCode();
  }

  /** For example {@code Checkpoint[origin=log.example, size=17, rootHash=3fa1…, extensions=[]]}. */
  @Override
  public String toString() {
    return "Checkpoint[origin="
        + origin
        + ", size="
        + size
        + ", rootHash="
        + HexFormat.of().formatHex(rootHash)
        + ", extensions="
        + extensions
        + "]";
  }
}
