package dev.trailwatch.ledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Raw 32-byte Ed25519 keys to JDK key objects and back, checked against the fixed DER forms. */
class Ed25519Test {
  private static final HexFormat HEX = HexFormat.of();
  // The DER prefixes are fixed for Ed25519 (RFC 8410): SubjectPublicKeyInfo and PKCS#8 v1.
  private static final byte[] X509_PREFIX = HEX.parseHex("302a300506032b6570032100");
  private static final byte[] PKCS8_PREFIX = HEX.parseHex("302e020100300506032b657004220420");

  // Source: RFC 8032, section 7.1, TEST 1 (empty message).
  private static final byte[] RFC_SEED =
      HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private static final byte[] RFC_PUBLIC =
      HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  private static final byte[] RFC_SIGNATURE =
      HEX.parseHex(
          "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

  @Test
  void rfc8032VectorThroughRawKeys() {
    assertThat(Ed25519.publicKeyFromSeed(RFC_SEED)).isEqualTo(RFC_PUBLIC);
    assertThat(Ed25519.sign(Ed25519.privateKey(RFC_SEED), new byte[0])).isEqualTo(RFC_SIGNATURE);
    assertThat(Ed25519.verify(Ed25519.publicKey(RFC_PUBLIC), new byte[0], RFC_SIGNATURE)).isTrue();
  }

  @Test
  void jdkKeysToRawAndBack() throws Exception {
    SplittableRandom random = TestRandom.forTest("jdkKeysToRawAndBack");
    for (int i = 0; i < 32; i++) {
      long seed = random.nextLong();
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, TestRandom.secureRandom(seed));
      KeyPair pair = generator.generateKeyPair();
      EdECPublicKey jdkPublic = (EdECPublicKey) pair.getPublic();
      EdECPrivateKey jdkPrivate = (EdECPrivateKey) pair.getPrivate();
      String why = "seed " + TestRandom.SEED + ", key " + i;

      byte[] rawPublic = Ed25519.rawPublicKey(jdkPublic);
      byte[] rawSeed = Ed25519.seed(jdkPrivate);
      assertThat(jdkPublic.getEncoded()).as(why).isEqualTo(concat(X509_PREFIX, rawPublic));
      assertThat(jdkPrivate.getEncoded()).as(why).isEqualTo(concat(PKCS8_PREFIX, rawSeed));

      assertThat(Ed25519.publicKey(rawPublic).getEncoded())
          .as(why)
          .isEqualTo(jdkPublic.getEncoded());
      assertThat(Ed25519.publicKey(rawPublic).getPoint().isXOdd())
          .as(why)
          .isEqualTo(jdkPublic.getPoint().isXOdd());
      assertThat(Ed25519.privateKey(rawSeed).getEncoded())
          .as(why)
          .isEqualTo(jdkPrivate.getEncoded());
      assertThat(Ed25519.publicKeyFromSeed(rawSeed)).as(why).isEqualTo(rawPublic);

      byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
      byte[] signature = Ed25519.sign(Ed25519.privateKey(rawSeed), message);
      assertThat(Ed25519.verify(jdkPublic, message, signature)).as(why).isTrue();
      assertThat(Ed25519.verify(Ed25519.publicKey(rawPublic), message, signature)).as(why).isTrue();
    }
  }

  @Test
  void bothSignsOfXSurviveTheRoundTrip() {
    SplittableRandom random = TestRandom.forTest("bothSignsOfX");
    boolean sawOdd = false;
    boolean sawEven = false;
    for (int i = 0; i < 64 && !(sawOdd && sawEven); i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      byte[] raw = Ed25519.publicKeyFromSeed(seed);
      boolean odd = (raw[31] & 0x80) != 0;
      sawOdd |= odd;
      sawEven |= !odd;
      assertThat(Ed25519.rawPublicKey(Ed25519.publicKey(raw))).isEqualTo(raw);
    }
    assertThat(sawOdd && sawEven).as("seed %d", TestRandom.SEED).isTrue();
  }

  @Test
  void rejectsBytesThatAreNoPoint() {
    byte[] notOnCurve = new byte[32];
    notOnCurve[0] = 2; // y = 2 has no x on edwards25519
    assertThatThrownBy(() -> Ed25519.publicKey(notOnCurve))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a valid Ed25519 public key");

    byte[] yTooLarge = new byte[32];
    Arrays.fill(yTooLarge, (byte) 0xff);
    yTooLarge[31] = 0x7f; // y = 2^255 - 1 >= p: not a canonical encoding
    assertThatThrownBy(() -> Ed25519.publicKey(yTooLarge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a valid Ed25519 public key");
  }

  @Test
  void rejectsWrongLengths() {
    assertThatThrownBy(() -> Ed25519.publicKey(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Ed25519 public key must be 32 bytes, got 31");
    assertThatThrownBy(() -> Ed25519.privateKey(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Ed25519 seed must be 32 bytes, got 33");
    assertThat(Ed25519.verify(Ed25519.publicKey(RFC_PUBLIC), new byte[0], new byte[63])).isFalse();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
