package dev.trailwatch.ledger.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The syntax of C2SP signed notes (https://c2sp.org/signed-note), shared by {@link NoteSigner},
 * {@link NoteVerifier} and {@link NoteLog}. Pure functions; no cryptography except the key hash.
 *
 * <pre>
 * signed note    = text "\n" signature-line+      ; text ends in "\n"; split at the LAST blank line
 * signature-line = U+2014 " " key-name " " base64(key-hash(4 bytes, big-endian) || signature) "\n"
 * key-name       = 1*(any character except Unicode spaces, "+" and controls)
 * </pre>
 *
 * The whole note must be valid UTF-8 (in Java: no unpaired surrogates) without control characters
 * below U+0020 other than newline. Base64 is the standard alphabet with padding and must be
 * canonical (it re-encodes to the same string), so that a changed character can never decode to the
 * same bytes. At most {@link #MAX_SIGNATURES} signature lines are accepted (the spec asks for at
 * least 16; Go's note package stops at 100).
 */
final class NoteFormat {
  /** Em dash (U+2014) and a space: how every signature line starts. */
  static final String SIGNATURE_PREFIX = "\u2014 ";

  static final int MAX_SIGNATURES = 100;

  /** Signature type byte of Ed25519 keys and signatures (C2SP signed-note). */
  static final byte ED25519_TYPE = 0x01;

  private static final String MALFORMED_PREFIX = "malformed note: ";

  private NoteFormat() {}

  /**
   * Whether {@code name} may be a key name: non-empty, no Unicode space (as Go's {@code
   * unicode.IsSpace}), no '+', no control character below U+0020, no unpaired surrogate.
   */
  static boolean isValidName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      boolean loneSurrogate = cp <= 0xFFFF && Character.isSurrogate((char) cp);
      if (cp == '+' || cp < 0x20 || isUnicodeSpace(cp) || loneSurrogate) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return true;
  }

  /** Throws {@link IllegalArgumentException} naming the rule that {@code name} breaks. */
  static String requireValidName(String name) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "invalid key name "
              + quote(name)
              + ": expected a non-empty name without whitespace, '+' or control characters");
    }
    return name;
  }

  private static boolean isUnicodeSpace(int cp) {
    return switch (cp) {
      case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0 -> true;
      default -> cp > 0xFF && Character.isSpaceChar(cp); // Zs, Zl, Zp: U+1680, U+2000-200A, ...
    };
  }

  /**
   * The first character that a signed note may not contain (a control character other than newline,
   * or an unpaired surrogate, which has no UTF-8 encoding), described for a message.
   */
  static Optional<String> forbiddenCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') {
        return Optional.of(
            String.format(Locale.ROOT, "a control character U+%04X at index %d", (int) c, i));
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of(
            String.format(Locale.ROOT, "an unpaired surrogate U+%04X at index %d", (int) c, i));
      }
    }
    return Optional.empty();
  }

  /**
   * Decodes standard, padded, canonical base64.
   *
   * @throws IllegalArgumentException if {@code s} is not exactly what encoding its bytes gives
   */
  static byte[] decodeBase64(String s) {
    byte[] bytes = Base64.getDecoder().decode(s); // rejects characters outside the alphabet
    if (!Base64.getEncoder().encodeToString(bytes).equals(s)) {
      throw new IllegalArgumentException(
          "not canonical base64 (missing padding or non-zero trailing bits)");
    }
    return bytes;
  }

  /** SHA-256(name || "\n" || typedKey)[:4] as a big-endian int; typedKey = type byte || key. */
  static int keyHash(String name, byte[] typedKey) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
    sha256.update(name.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) '\n');
    sha256.update(typedKey);
    return ByteBuffer.wrap(sha256.digest()).getInt();
  }

  /** {@code name+hash} with the hash as 8 lowercase hex digits, as keys are written everywhere. */
  static String keyId(String name, int keyHash) {
    return name + "+" + HexFormat.of().toHexDigits(keyHash);
  }

  /** Type byte || key, the form that is hashed and base64-encoded in key strings. */
  static byte[] typed(byte[] key) {
    byte[] typed = new byte[key.length + 1];
    typed[0] = ED25519_TYPE;
    System.arraycopy(key, 0, typed, 1, key.length);
    return typed;
  }

  /** One signature line: the key it claims and the signature bytes after the key hash. */
  record SignatureLine(String name, int keyHash, String base64) {
    String keyId() {
      return NoteFormat.keyId(name, keyHash);
    }

    /** The signature proper: the decoded base64 without its 4-byte key hash. */
    byte[] signature() {
      byte[] all = Base64.getDecoder().decode(base64);
      byte[] signature = new byte[all.length - 4];
      System.arraycopy(all, 4, signature, 0, signature.length);
      return signature;
    }

    static String format(String name, int keyHash, byte[] signature) {
      ByteBuffer buffer = ByteBuffer.allocate(4 + signature.length);
      buffer.putInt(keyHash).put(signature);
      return SIGNATURE_PREFIX
          + name
          + " "
          + Base64.getEncoder().encodeToString(buffer.array())
          + "\n";
    }
  }

  /**
   * Parses one signature line (without its newline).
   *
   * @throws NoteException ({@link NoteException.Kind#MALFORMED_NOTE}) naming what is wrong
   */
  static SignatureLine parseSignatureLine(String line) throws NoteException {
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw malformed(
          "expected a signature line starting with an em dash and a space, found " + quote(line));
    }
    String rest = line.substring(SIGNATURE_PREFIX.length());
    int space = rest.indexOf(' ');
    if (space < 0) {
      throw malformed("signature line has no space between key name and signature: " + quote(line));
    }
    String name = rest.substring(0, space);
    String base64 = rest.substring(space + 1);
    if (!isValidName(name)) {
      throw malformed("signature line has an invalid key name " + quote(name));
    }
    byte[] decoded;
    try {
      decoded = decodeBase64(base64);
    } catch (IllegalArgumentException e) {
      throw malformed("signature by " + quote(name) + " is not standard base64: " + e.getMessage());
    }
    if (decoded.length < 5) {
      throw malformed(
          "signature by "
              + quote(name)
              + " is too short: expected 4 bytes of key hash and a signature, got "
              + decoded.length
              + " bytes");
    }
    return new SignatureLine(name, ByteBuffer.wrap(decoded).getInt(), base64);
  }

  /** A signed note taken apart, not yet verified. */
  record Parts(String text, List<SignatureLine> signatures) {
    Parts {
      signatures = List.copyOf(signatures);
    }
  }

  /**
   * Takes a signed note apart without checking any signature.
   *
   * @throws NoteException ({@link NoteException.Kind#MALFORMED_NOTE}) if it is not a signed note
   */
  static Parts split(String note) throws NoteException {
    Optional<String> forbidden = forbiddenCharacter(note);
    if (forbidden.isPresent()) {
      throw malformed("the note contains " + forbidden.get());
    }
    int blank = note.lastIndexOf("\n\n");
    if (blank < 0) {
      throw malformed("no blank line separates the text from the signature lines");
    }
    String text = note.substring(0, blank + 1);
    String block = note.substring(blank + 2);
    if (block.isEmpty()) {
      throw malformed("no signature lines after the last blank line");
    }
    if (!block.endsWith("\n")) {
      throw malformed("the last signature line does not end with a newline");
    }
    List<SignatureLine> signatures = new ArrayList<>();
    int start = 0;
    while (start < block.length()) {
      int end = block.indexOf('\n', start);
      if (signatures.size() == MAX_SIGNATURES) {
        throw malformed("more than " + MAX_SIGNATURES + " signature lines");
      }
      signatures.add(parseSignatureLine(block.substring(start, end)));
      start = end + 1;
    }
    return new Parts(text, signatures);
  }

  /** Parses exactly 8 lowercase hex digits, as keys write their key hash. */
  static int parseKeyHash(String hex) {
    if (hex.length() != 8
        || !hex.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
      throw new IllegalArgumentException(
          "key hash must be 8 lowercase hex digits, got " + NoteFormat.quote(hex));
    }
    return (int) Long.parseLong(hex, 16);
  }

  /**
   * Decodes {@code base64(0x01 || 32 bytes)}. Messages name lengths and types only, never the key
   * bytes, so that a mistyped private key never ends up in a log.
   */
  static byte[] decodeTypedKey(String base64, String what) {
    byte[] typed;
    try {
      typed = NoteFormat.decodeBase64(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not standard base64", null);
    }
    if (typed.length == 0 || typed[0] != NoteFormat.ED25519_TYPE) {
      throw new IllegalArgumentException(
          what
              + " has unsupported type "
              + (typed.length == 0 ? "(empty)" : "0x" + HexFormat.of().toHexDigits(typed[0]))
              + ": expected 0x01 (Ed25519)");
    }
    if (typed.length != 1 + Ed25519.KEY_BYTES) {
      throw new IllegalArgumentException(
          what
              + " must be 33 bytes (0x01 and a 32-byte Ed25519 key), got "
              + typed.length
              + " bytes");
    }
    return typed;
  }

  static NoteException malformed(String problem) {
    return new NoteException(NoteException.Kind.MALFORMED_NOTE, MALFORMED_PREFIX + problem);
  }

  /** The problem that {@link #malformed} was given, without its prefix. */
  static String problemOf(NoteException e) {
    String message = String.valueOf(e.getMessage());
    return message.startsWith(MALFORMED_PREFIX)
        ? message.substring(MALFORMED_PREFIX.length())
        : message;
  }

  /** A quoted, shortened form of untrusted text for messages. */
  static String quote(String s) {
    String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
    StringBuilder out = new StringBuilder("\"");
    shown
        .codePoints()
        .forEach(
            cp -> {
              if (cp < 0x20 || cp == 0x7F || cp <= 0xFFFF && Character.isSurrogate((char) cp)) {
                out.append(String.format(Locale.ROOT, "\\u%04X", cp));
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.append('"').toString();
  }
}
