package dev.trailwatch.ledger.checkpoint;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.ledger.checkpoint.NoteFormat.SignatureLine;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.EdECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks signed notes against one Ed25519 public key: the only thing an auditor needs.
 *
 * <p>Verifier key format (golang.org/x/mod/sumdb/note, so that Go tooling reads our keys):
 *
 * <pre>
 * name "+" keyhash "+" base64(0x01 || 32-byte Ed25519 public key)
 * keyhash = first 4 bytes, big-endian, of SHA-256(name || "\n" || 0x01 || public key),
 *           written as exactly 8 lowercase hex digits
 * </pre>
 *
 * <p>{@link #open} follows C2SP signed-note: signature lines by other keys (other names or other
 * key hashes, such as witness cosignatures) are ignored; every line that carries this key's name
 * and key hash must verify, otherwise the whole note is rejected; at least one must exist. Only
 * then is the text returned: verify first, parse second ({@link Checkpoint#parse}).
 *
 * <p>Immutable; thread-safe.
 */
public final class NoteVerifier {
  private final String name;
  private final int keyHash;
  private final byte[] rawKey;
  private final EdECPublicKey publicKey;

  private NoteVerifier(String name, byte[] rawKey, EdECPublicKey publicKey) {
    this.name = NoteFormat.requireValidName(name);
    this.rawKey = rawKey.clone();
    this.publicKey = publicKey;
    this.keyHash = NoteFormat.keyHash(name, NoteFormat.typed(rawKey));
  }

  /**
   * Reads a verifier key {@code name+hash+base64}.
   *
   * @throws IllegalArgumentException naming the part that is wrong: name, hash (not 8 lowercase hex
   *     digits, or not the hash of this name and key), key type, key length, or an invalid point
   */
  public static NoteVerifier parse(String verifierKey) {
    requireNonNull(verifierKey, "verifierKey");
    if (verifierKey.startsWith("PRIVATE+KEY+")) {
      throw new IllegalArgumentException(
          "not a verifier key but a private signer key (PRIVATE+KEY+...): keep it secret and use"
              + " its public verifier key");
    }
    String[] parts = verifierKey.split("\\+", 3); // the base64 key may contain '+' too
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "not a verifier key: expected name+hash+base64 (3 parts separated by '+'), got "
              + parts.length
              + (parts.length == 1 ? " part" : " parts"));
    }
    String name = NoteFormat.requireValidName(parts[0]);
    int hash = NoteFormat.parseKeyHash(parts[1]);
    byte[] typed = NoteFormat.decodeTypedKey(parts[2], "public key");
    byte[] raw = Arrays.copyOfRange(typed, 1, typed.length);
    NoteVerifier verifier = new NoteVerifier(name, raw, Ed25519.publicKey(raw));
    if (verifier.keyHash != hash) {
      throw new IllegalArgumentException(
          "key hash mismatch in verifier key for "
              + NoteFormat.quote(name)
              + ": expected="
              + HexFormat.of().toHexDigits(verifier.keyHash)
              + " (computed from name and key), actual="
              + parts[1]);
    }
    return verifier;
  }

  /** A verifier for a JDK Ed25519 public key under the given key name. */
  public static NoteVerifier of(String name, EdECPublicKey publicKey) {
    requireNonNull(publicKey, "publicKey");
    byte[] raw = Ed25519.rawPublicKey(publicKey);
    return new NoteVerifier(name, raw, Ed25519.publicKey(raw));
  }

  static NoteVerifier ofRaw(String name, byte[] rawKey) {
    return new NoteVerifier(name, rawKey, Ed25519.publicKey(rawKey));
  }

  /** {@code name+hash+base64(0x01 || key)}, the text to give an auditor. */
  public String verifierKey() {
    return keyId() + "+" + Base64.getEncoder().encodeToString(NoteFormat.typed(rawKey));
  }

  /** The key name, which appears in every signature line by this key. */
  public String name() {
    return name;
  }

  /** The key hash (key ID): the first four bytes of every signature by this key. */
  public int keyHash() {
    return keyHash;
  }

  /** {@code name+hash}, as keys are named in messages. */
  public String keyId() {
    return NoteFormat.keyId(name, keyHash);
  }

  /** The JDK form of the public key. */
  public EdECPublicKey publicKey() {
    return publicKey;
  }

  /**
   * Returns the text of {@code signedNote} (ending in a newline) if this key signed it.
   *
   * @throws NoteException {@link NoteException.Kind#MALFORMED_NOTE} if it is not a signed note,
   *     {@link NoteException.Kind#NOT_SIGNED} if no signature line carries this key's name and
   *     hash, {@link NoteException.Kind#INVALID_SIGNATURE} if one does but does not verify
   */
  public String open(String signedNote) throws NoteException {
    NoteFormat.Parts parts = NoteFormat.split(requireNonNull(signedNote, "signedNote"));
    Inspection inspection = inspect(parts);
    if (inspection.signatures().stream().anyMatch(s -> s.status() == Status.INVALID)) {
      throw new NoteException(
          NoteException.Kind.INVALID_SIGNATURE,
          "signature by "
              + keyId()
              + " does not verify: the note was modified or signed by another key");
    }
    if (inspection.signatures().stream().noneMatch(s -> s.status() == Status.VERIFIED)) {
      throw new NoteException(
          NoteException.Kind.NOT_SIGNED,
          "checkpoint is not signed by key " + keyId() + notSignedDetail(inspection));
    }
    return parts.text();
  }

  private String notSignedDetail(Inspection inspection) {
    List<String> keys = inspection.signatures().stream().map(Found::keyId).distinct().toList();
    String found = String.join(", ", keys.subList(0, Math.min(keys.size(), 10)));
    if (keys.size() > 10) {
      found += " and " + (keys.size() - 10) + " more";
    }
    String detail = " (signatures found: " + found + ")";
    if (inspection.signatures().stream().anyMatch(s -> s.name().equals(name))) {
      detail += "; one has this key name but another key hash: is the verifier key out of date?";
    }
    return detail;
  }

  /**
   * For diagnostics: every signature line of {@code signedNote} and what this key makes of it. It
   * does not return the text, which is not to be trusted unless {@link #open} returns it.
   *
   * @throws NoteException ({@link NoteException.Kind#MALFORMED_NOTE}) if it is not a signed note
   */
  public Inspection inspect(String signedNote) throws NoteException {
    return inspect(NoteFormat.split(requireNonNull(signedNote, "signedNote")));
  }

  private Inspection inspect(NoteFormat.Parts parts) {
    byte[] message = parts.text().getBytes(StandardCharsets.UTF_8);
    List<Found> found = new ArrayList<>();
    for (SignatureLine line : parts.signatures()) {
      Status status;
      if (!line.name().equals(name) || line.keyHash() != keyHash) {
        status = Status.UNKNOWN_KEY;
      } else if (Ed25519.verify(publicKey, message, line.signature())) {
        status = Status.VERIFIED;
      } else {
        status = Status.INVALID;
      }
      found.add(new Found(line.name(), line.keyHash(), status));
    }
    return new Inspection(found);
  }

  /** What {@link #inspect} found: the signature lines of a note, in order. */
  public record Inspection(List<Found> signatures) {
    public Inspection {
      signatures = List.copyOf(signatures);
    }

    /**
     * For example {@code "log.example+1a2b3c4d (verified), witness.example+99aa00ff (unknown
     * key)"}.
     */
    @Override
    public String toString() {
      return signatures.stream()
          .map(s -> s.keyId() + " (" + s.status().description + ")")
          .collect(Collectors.joining(", "));
    }
  }

  /** One signature line: the key it names and whether it verified under this verifier's key. */
  public record Found(String name, int keyHash, Status status) {
    public Found {
      requireNonNull(name, "name");
      requireNonNull(status, "status");
    }

    /** {@code name+hash}. */
    public String keyId() {
      return NoteFormat.keyId(name, keyHash);
    }
  }

  /** The outcome for one signature line. */
  public enum Status {
    /** Name and key hash are this verifier's, and the signature verifies. */
    VERIFIED("verified"),
    /** Name and key hash are this verifier's, and the signature does not verify. */
    INVALID("does not verify"),
    /** Another key (or the same name with another key hash): ignored, as the spec requires. */
    UNKNOWN_KEY("unknown key");

    private final String description;

    Status(String description) {
      this.description = description;
    }
  }

  /** Equal when name and public key are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof NoteVerifier other
        && name.equals(other.name)
        && Arrays.equals(rawKey, other.rawKey);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + keyHash;
  }

  /** {@code NoteVerifier[name+hash]}. */
  @Override
  public String toString() {
    return "NoteVerifier[" + keyId() + "]";
  }
}
