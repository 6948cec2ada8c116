package dev.trailwatch.ledger.checkpoint;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Signs notes with an Ed25519 private key, producing C2SP signed notes.
 *
 * <p>Signer key format (golang.org/x/mod/sumdb/note, so that Go tooling reads our keys):
 *
 * <pre>
 * "PRIVATE+KEY+" name "+" keyhash "+" base64(0x01 || 32-byte Ed25519 seed)
 * </pre>
 *
 * where keyhash is that of the public key, as in {@link NoteVerifier}. A signed note is the text
 * followed by a blank line and one signature line:
 *
 * <pre>
 * text "\n" U+2014 " " name " " base64(keyhash (4 bytes, big-endian) || 64-byte signature) "\n"
 * </pre>
 *
 * <p>Ed25519 is deterministic: signing the same text twice gives the same note. No message or
 * {@link #toString()} of this class contains key material.
 *
 * <p>Immutable; thread-safe.
 */
public final class NoteSigner {
  private static final String PRIVATE_KEY_PREFIX = "PRIVATE+KEY+";

  private final byte[] seed;
  private final EdECPrivateKey privateKey;
  private final NoteVerifier verifier;

  private NoteSigner(String name, byte[] seed) {
    NoteFormat.requireValidName(name);
    this.seed = seed.clone();
    this.privateKey = Ed25519.privateKey(seed);
    this.verifier = NoteVerifier.ofRaw(name, Ed25519.publicKeyFromSeed(seed));
  }

  /** A new key with the given name; the seed is 32 bytes from {@code random}. */
  public static NoteSigner generate(String name, SecureRandom random) {
    NoteFormat.requireValidName(requireNonNull(name, "name"));
    requireNonNull(random, "random");
    byte[] seed = new byte[Ed25519.KEY_BYTES];
    random.nextBytes(seed);
    return new NoteSigner(name, seed);
  }

  /**
   * Reads a signer key {@code PRIVATE+KEY+name+hash+base64}.
   *
   * @throws IllegalArgumentException naming the part that is wrong; the message never repeats the
   *     key
   */
  public static NoteSigner parse(String signerKey) {
    requireNonNull(signerKey, "signerKey");
    if (!signerKey.startsWith(PRIVATE_KEY_PREFIX)) {
      throw new IllegalArgumentException("not a signer key: expected PRIVATE+KEY+name+hash+base64");
    }
    String[] parts = signerKey.substring(PRIVATE_KEY_PREFIX.length()).split("\\+", 3);
    if (parts.length != 3) { // the base64 key may contain '+' too
      throw new IllegalArgumentException(
          "not a signer key: expected PRIVATE+KEY+name+hash+base64 (name, hash and key separated"
              + " by '+'), got "
              + parts.length
              + " parts after PRIVATE+KEY+");
    }
    String name = NoteFormat.requireValidName(parts[0]);
    int hash = NoteFormat.parseKeyHash(parts[1]);
    byte[] typed = NoteFormat.decodeTypedKey(parts[2], "private key");
    NoteSigner signer = new NoteSigner(name, Arrays.copyOfRange(typed, 1, typed.length));
    if (signer.keyHash() != hash) {
      throw new IllegalArgumentException(
          "key hash mismatch in signer key for "
              + NoteFormat.quote(name)
              + ": expected="
              + HexFormat.of().toHexDigits(signer.keyHash())
              + " (computed from name and key), actual="
              + parts[1]);
    }
    return signer;
  }

  /** A signer for a JDK Ed25519 private key under the given key name. */
  public static NoteSigner of(String name, EdECPrivateKey privateKey) {
    requireNonNull(privateKey, "privateKey");
    return new NoteSigner(requireNonNull(name, "name"), Ed25519.seed(privateKey));
  }

  /** {@code PRIVATE+KEY+name+hash+base64(0x01 || seed)}: secret, to be stored as such. */
  public String signerKey() {
    return PRIVATE_KEY_PREFIX
        + verifier.keyId()
        + "+"
        + Base64.getEncoder().encodeToString(NoteFormat.typed(seed));
  }

  /** The verifier for this key, whose {@link NoteVerifier#verifierKey()} is public. */
  public NoteVerifier verifier() {
    return verifier;
  }

  /** The key name. */
  public String name() {
    return verifier.name();
  }

  /** The key hash, the same as the verifier's. */
  public int keyHash() {
    return verifier.keyHash();
  }

  /** The JDK form of the private key. */
  public EdECPrivateKey privateKey() {
    return privateKey;
  }

  /**
   * Signs {@code text} and returns the signed note.
   *
   * @throws IllegalArgumentException if the text does not end with a newline or contains a control
   *     character other than newline or an unpaired surrogate (not valid UTF-8)
   */
  public String sign(String text) {
    requireNonNull(text, "text");
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("note text must end with a newline");
    }
    Optional<String> forbidden = NoteFormat.forbiddenCharacter(text);
    if (forbidden.isPresent()) {
      throw new IllegalArgumentException("note text contains " + forbidden.get());
    }
    byte[] signature = Ed25519.sign(privateKey, text.getBytes(StandardCharsets.UTF_8));
    return text + "\n" + NoteFormat.SignatureLine.format(name(), keyHash(), signature);
  }

  /** Equal when name and private key are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof NoteSigner other
        && verifier.equals(other.verifier)
        && MessageDigest.isEqual(seed, other.seed);
  }

  @Override
  public int hashCode() {
    return verifier.hashCode();
  }

  /** {@code NoteSigner[name+hash]}; never the key. */
  @Override
  public String toString() {
    return "NoteSigner[" + verifier.keyId() + "]";
  }
}
