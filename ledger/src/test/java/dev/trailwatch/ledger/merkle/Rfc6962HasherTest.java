package dev.trailwatch.ledger.merkle;

import static dev.trailwatch.ledger.merkle.Rfc6962Hasher.HASH_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Rfc6962HasherTest {

  private static final HexFormat HEX = HexFormat.of();

  private final Rfc6962Hasher hasher = Rfc6962Hasher.create();

  @Test
  void emptyRootIsSha256OfNothing() {
    assertThat(HEX.formatHex(hasher.emptyRoot()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void leafAndInteriorHashesMatchPublishedVectors() {
    // Leaf inputs and node hashes from transparency-dev/merkle testonly/constants.go (the
    // certificate-transparency RFC 6962 test tree): leaves 0 and 1, and their parent.
    assertThat(HEX.formatHex(hasher.hashLeaf(new byte[0])))
        .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    assertThat(HEX.formatHex(hasher.hashLeaf(new byte[] {0x00})))
        .isEqualTo("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
    assertThat(
            HEX.formatHex(
                hasher.hashChildren(hasher.hashLeaf(new byte[0]), hasher.hashLeaf(new byte[1]))))
        .isEqualTo("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
  }

  @Test
  void everyLeafVariantHashesTheSameBytes() {
    SplittableRandom random = TestSeed.random(1);
    for (int round = 0; round < 200; round++) {
      // Short leaves are hashed from a scratch copy, long ones (over 4096 bytes) in place.
      byte[] buffer = new byte[random.nextInt(0, round % 4 == 0 ? 9000 : 300)];
      random.nextBytes(buffer);
      int off = random.nextInt(0, buffer.length + 1);
      int len = random.nextInt(0, buffer.length - off + 1);
      byte[] data = Arrays.copyOfRange(buffer, off, off + len);
      byte[] expected = ReferenceTree.leafHash(data);
      String context = "seed " + TestSeed.SEED + ", " + len + " bytes at " + off;

      assertThat(hasher.hashLeaf(data)).as(context).isEqualTo(expected);
      assertThat(hasher.hashLeaf(buffer, off, len)).as(context).isEqualTo(expected);

      byte[] out = new byte[HASH_SIZE + 10];
      Arrays.fill(out, (byte) 0x5a);
      hasher.hashLeaf(buffer, off, len, out, 7);
      assertThat(Arrays.copyOfRange(out, 7, 7 + HASH_SIZE)).as(context).isEqualTo(expected);
      assertThat(Arrays.copyOfRange(out, 0, 7)).as(context).containsOnly(0x5a);
      assertThat(Arrays.copyOfRange(out, 7 + HASH_SIZE, out.length)).as(context).containsOnly(0x5a);

      ByteBuffer heap = ByteBuffer.wrap(buffer, off, len);
      assertThat(hasher.hashLeaf(heap)).as(context).isEqualTo(expected);
      assertThat(heap.position()).as(context).isEqualTo(off);
      assertThat(heap.limit()).as(context).isEqualTo(off + len);

      ByteBuffer direct = ByteBuffer.allocateDirect(buffer.length).put(buffer);
      direct.position(off).limit(off + len);
      assertThat(hasher.hashLeaf(direct)).as(context).isEqualTo(expected);
      assertThat(direct.position()).as(context).isEqualTo(off);

      ByteBuffer readOnly = ByteBuffer.wrap(buffer, off, len).asReadOnlyBuffer();
      assertThat(hasher.hashLeaf(readOnly)).as(context).isEqualTo(expected);
      assertThat(readOnly.position()).as(context).isEqualTo(off);
    }
  }

  @Test
  void childrenVariantsAgreeAndMayWriteOverTheirInput() {
    SplittableRandom random = TestSeed.random(2);
    byte[] left = new byte[HASH_SIZE];
    byte[] right = new byte[HASH_SIZE];
    random.nextBytes(left);
    random.nextBytes(right);
    byte[] expected = hasher.hashChildren(left, right);

    byte[] stack = new byte[3 * HASH_SIZE];
    System.arraycopy(left, 0, stack, HASH_SIZE, HASH_SIZE);
    System.arraycopy(right, 0, stack, 2 * HASH_SIZE, HASH_SIZE);
    hasher.hashChildren(stack, HASH_SIZE, stack, 2 * HASH_SIZE, stack, 0);
    assertThat(Arrays.copyOfRange(stack, 0, HASH_SIZE)).isEqualTo(expected);

    hasher.hashChildren(stack, HASH_SIZE, stack, 2 * HASH_SIZE, stack, HASH_SIZE);
    assertThat(Arrays.copyOfRange(stack, HASH_SIZE, 2 * HASH_SIZE)).isEqualTo(expected);

    System.arraycopy(left, 0, stack, HASH_SIZE, HASH_SIZE);
    hasher.hashChildren(stack, HASH_SIZE, stack, 2 * HASH_SIZE, stack, 2 * HASH_SIZE);
    assertThat(Arrays.copyOfRange(stack, 2 * HASH_SIZE, 3 * HASH_SIZE)).isEqualTo(expected);

    // Against SHA-256(0x01 || left || right) computed without the hasher.
    assertThat(expected).isEqualTo(ReferenceTree.sha256(new byte[] {0x01}, left, right));
  }

  @Test
  void rejectsBadRangesWithoutLosingItsState() {
    byte[] data = new byte[10];
    byte[] out = new byte[HASH_SIZE];
    assertThatThrownBy(() -> hasher.hashLeaf(data, 5, 6))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> hasher.hashLeaf(data, -1, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> hasher.hashLeaf(data, 0, 10, out, 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> hasher.hashChildren(out, 0, out, 1, out, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> hasher.hashChildren(out, 0, out, 0, new byte[31], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    // A rejected call must not leave bytes in the digest: the next hash is still right.
    assertThat(hasher.hashLeaf(data)).isEqualTo(ReferenceTree.leafHash(data));
  }

  @Test
  void hashChildrenRejectsArraysThatAreNotHashes() {
    assertThatThrownBy(() -> hasher.hashChildren(new byte[31], new byte[32]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("left has 31 bytes, expected 32");
    assertThatThrownBy(() -> hasher.hashChildren(new byte[32], new byte[33]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("right has 33 bytes, expected 32");
  }
}
