package dev.trailwatch.ledger.checkpoint;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;

/**
 * The JDK's own Ed25519 (RFC 8032), seen through the raw 32-byte keys that signed notes use.
 *
 * <p>A raw public key is the RFC 8032 point encoding: y in 32 little-endian bytes with the sign of
 * x in the top bit of the last byte. The JDK holds it as an {@link EdECPoint} (x odd, y). A raw
 * private key is the 32-byte seed, which {@link EdECPrivateKey#getBytes()} returns as well. The JDK
 * has no call that derives the public key from a seed, so {@link #publicKeyFromSeed} lets its key
 * pair generator draw the seed from a {@link SecureRandom} that returns exactly that seed, and
 * checks that it did. Stateless and thread-safe.
 */
final class Ed25519 {
  static final int KEY_BYTES = 32;
  static final int SIGNATURE_BYTES = 64;
  private static final String ALGORITHM = "Ed25519";

  private Ed25519() {}

  /** The JDK private key for a 32-byte seed. */
  static EdECPrivateKey privateKey(byte[] seed) {
    requireLength(seed, "Ed25519 seed");
    try {
      return (EdECPrivateKey)
          KeyFactory.getInstance(ALGORITHM)
              .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK rejected an Ed25519 seed", e);
    }
  }

  /** The 32-byte seed of a JDK private key. */
  static byte[] seed(EdECPrivateKey key) {
    requireEd25519(key.getParams());
    return key.getBytes()
        .orElseThrow(
            () ->
                new IllegalArgumentException("this Ed25519 private key does not expose its seed"));
  }

  /** The raw public key that belongs to a seed. */
  static byte[] publicKeyFromSeed(byte[] seed) {
    requireLength(seed, "Ed25519 seed");
    SeedSource source = new SeedSource(seed);
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, source);
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate Ed25519 keys", e);
    }
    if (!MessageDigest.isEqual(seed((EdECPrivateKey) pair.getPrivate()), seed)) {
      throw new IllegalStateException(
          "the Ed25519 key pair generator did not use the given seed (provider "
              + pair.getPrivate().getClass().getName()
              + ")");
    }
    return rawPublicKey((EdECPublicKey) pair.getPublic());
  }

  /** The raw 32-byte encoding of a JDK public key. */
  static byte[] rawPublicKey(EdECPublicKey key) {
    requireEd25519(key.getParams());
    EdECPoint point = key.getPoint();
    byte[] bigEndian = point.getY().toByteArray(); // y < 2^255, so at most 32 bytes + sign byte
    byte[] raw = new byte[KEY_BYTES];
    for (int i = 0; i < KEY_BYTES && i < bigEndian.length; i++) {
      raw[i] = bigEndian[bigEndian.length - 1 - i];
    }
    if (point.isXOdd()) {
      raw[KEY_BYTES - 1] |= (byte) 0x80;
    }
    return raw;
  }

  /**
   * The JDK public key for a raw 32-byte encoding.
   *
   * @throws IllegalArgumentException if the bytes do not encode a point on the curve
   */
  static EdECPublicKey publicKey(byte[] raw) {
    requireLength(raw, "Ed25519 public key");
    byte[] bigEndian = new byte[KEY_BYTES];
    for (int i = 0; i < KEY_BYTES; i++) {
      bigEndian[i] = raw[KEY_BYTES - 1 - i];
    }
    boolean xOdd = (bigEndian[0] & 0x80) != 0;
    bigEndian[0] &= 0x7F;
    EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, bigEndian));
    EdECPublicKey key;
    try {
      key =
          (EdECPublicKey)
              KeyFactory.getInstance(ALGORITHM)
                  .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a valid Ed25519 public key: " + e.getMessage(), e);
    }
    // The JDK checks the point only when it is used: do that once now, not at the first note.
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(new byte[0]);
      verifier.verify(new byte[SIGNATURE_BYTES]);
    } catch (InvalidKeyException | SignatureException e) {
      throw new IllegalArgumentException("not a valid Ed25519 public key: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot verify Ed25519 signatures", e);
    }
    return key;
  }

  /** A 64-byte signature; Ed25519 is deterministic, so equal inputs give equal signatures. */
  static byte[] sign(EdECPrivateKey key, byte[] message) {
    try {
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(key);
      signer.update(message);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /**
   * Whether {@code signature} is a valid signature of {@code message}; never throws for bad input.
   */
  static boolean verify(EdECPublicKey key, byte[] message, byte[] signature) {
    if (signature.length != SIGNATURE_BYTES) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (SignatureException e) {
      return false; // e.g. R does not decode to a point: a bad signature, not a bad key
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 verification failed to run", e);
    }
  }

  private static void requireLength(byte[] bytes, String what) {
    if (bytes.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          what + " must be " + KEY_BYTES + " bytes, got " + bytes.length);
    }
  }

  private static void requireEd25519(NamedParameterSpec params) {
    if (!NamedParameterSpec.ED25519.getName().equalsIgnoreCase(params.getName())) {
      throw new IllegalArgumentException("expected an Ed25519 key, got " + params.getName());
    }
  }

  /** Hands the key pair generator one given seed, and nothing else. */
  private static final class SeedSource extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;
    private boolean used;

    SeedSource(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      if (used || bytes.length != seed.length) {
        throw new IllegalStateException(
            "the Ed25519 key pair generator asked for "
                + bytes.length
                + " more random bytes; expected one request for a "
                + seed.length
                + "-byte seed");
      }
      used = true;
      System.arraycopy(seed, 0, bytes, 0, seed.length);
    }
  }
}
