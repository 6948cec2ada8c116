package dev.trailwatch.ledger.merkle;

import static dev.trailwatch.ledger.merkle.Rfc6962Hasher.HASH_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Every proof of the reference verifies, and every tampered one is rejected with a {@link
 * ProofException}: a flipped bit in any hash, a wrong index or size (with the genuine root of that
 * size), a hash dropped or added, a wrong root or leaf. Exhaustive up to 64 leaves, sampled up to
 * 300. A tampered proof that happens to be the genuine proof of what it claims is not counted as
 * tampered.
 */
class ProofVerifierTest {

  private static final int MAX_SIZE = 300;
  private static final int EXHAUSTIVE = 64;
  private static final HexFormat HEX = HexFormat.of();

  private final Rfc6962Hasher hasher = Rfc6962Hasher.create();
  private final List<byte[]> leaves = Leaves.random(TestSeed.random(30), MAX_SIZE);
  private final List<byte[]> roots = new ArrayList<>();

  ProofVerifierTest() {
    for (int size = 0; size <= MAX_SIZE; size++) {
      roots.add(ReferenceTree.mth(leaves.subList(0, size)));
    }
  }

  @Test
  void everyInclusionProofUpTo64VerifiesAndEveryTamperingIsRejected() throws ProofException {
    SplittableRandom random = TestSeed.random(31);
    for (int size = 1; size <= EXHAUSTIVE; size++) {
      for (int index = 0; index < size; index++) {
        checkInclusion(random, index, size, EXHAUSTIVE);
      }
    }
  }

  @Test
  void sampledInclusionProofsUpTo300VerifyAndTamperingIsRejected() throws ProofException {
    SplittableRandom random = TestSeed.random(32);
    for (int i = 0; i < 300; i++) {
      int size = random.nextInt(EXHAUSTIVE, MAX_SIZE + 1);
      checkInclusion(random, random.nextInt(size), size, MAX_SIZE);
    }
  }

  @Test
  void everyConsistencyProofUpTo64VerifiesAndEveryTamperingIsRejected() throws ProofException {
    SplittableRandom random = TestSeed.random(33);
    for (int newSize = 0; newSize <= EXHAUSTIVE; newSize++) {
      for (int oldSize = 0; oldSize <= newSize; oldSize++) {
        checkConsistency(random, oldSize, newSize, EXHAUSTIVE);
      }
    }
  }

  @Test
  void sampledConsistencyProofsUpTo300VerifyAndTamperingIsRejected() throws ProofException {
    SplittableRandom random = TestSeed.random(34);
    for (int i = 0; i < 300; i++) {
      int newSize = random.nextInt(EXHAUSTIVE, MAX_SIZE + 1);
      checkConsistency(random, random.nextInt(1, newSize + 1), newSize, MAX_SIZE);
    }
  }

  @Test
  void messagesSayWhatFailedWithExpectedAndActualValues() {
    List<byte[]> d = leaves.subList(0, 8);
    byte[] leaf2 = ReferenceTree.leafHash(d.get(2));
    List<byte[]> proof = ReferenceTree.path(2, d);
    byte[] otherRoot = roots.get(7);

    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(hasher, 2, 8, leaf2, proof, otherRoot))
        .isInstanceOf(ProofException.class)
        .hasMessage(
            "root mismatch for leaf index 2 in tree size 8: expected=%s, actual=%s",
            HEX.formatHex(otherRoot), HEX.formatHex(roots.get(8)));
    assertThatThrownBy(
            () ->
                ProofVerifier.verifyInclusion(
                    hasher, 5, 1000, leaf2, randomHashes(new SplittableRandom(1), 7), otherRoot))
        .isInstanceOf(ProofException.class)
        .hasMessage("inclusion proof has 7 hashes, expected 10 for index 5 in tree size 1000");
    assertThatThrownBy(() -> ProofVerifier.rootFromInclusion(hasher, 8, 8, leaf2, proof))
        .isInstanceOf(ProofException.class)
        .hasMessage("leaf index 8 is out of range for tree size 8");
    assertThatThrownBy(() -> ProofVerifier.rootFromInclusion(hasher, 0, 0, leaf2, List.of()))
        .isInstanceOf(ProofException.class)
        .hasMessage("leaf index 0 is out of range for tree size 0");
    assertThatThrownBy(() -> ProofVerifier.rootFromInclusion(hasher, 2, 8, new byte[9], proof))
        .isInstanceOf(ProofException.class)
        .hasMessage("leaf hash has 9 bytes, expected 32");
    List<byte[]> shortHash = new ArrayList<>(proof);
    shortHash.set(1, new byte[31]);
    assertThatThrownBy(() -> ProofVerifier.rootFromInclusion(hasher, 2, 8, leaf2, shortHash))
        .isInstanceOf(ProofException.class)
        .hasMessage("inclusion proof hash 1 has 31 bytes, expected 32");
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(hasher, 2, 8, leaf2, proof, new byte[0]))
        .isInstanceOf(ProofException.class)
        .hasMessage("root has 0 bytes, expected 32");

    List<byte[]> consistency = ReferenceTree.proof(6, d);
    assertThatThrownBy(
            () ->
                ProofVerifier.verifyConsistency(
                    hasher, 6, 8, roots.get(5), roots.get(8), consistency))
        .isInstanceOf(ProofException.class)
        .hasMessage(
            "old root mismatch at tree size 6: expected=%s, actual=%s",
            HEX.formatHex(roots.get(5)), HEX.formatHex(roots.get(6)));
    assertThatThrownBy(
            () ->
                ProofVerifier.verifyConsistency(
                    hasher, 6, 8, roots.get(6), roots.get(7), consistency))
        .isInstanceOf(ProofException.class)
        .hasMessage(
            "new root mismatch at tree size 8: expected=%s, actual=%s",
            HEX.formatHex(roots.get(7)), HEX.formatHex(roots.get(8)));
    assertThatThrownBy(
            () ->
                ProofVerifier.verifyConsistency(
                    hasher, 6, 8, roots.get(6), roots.get(8), consistency.subList(1, 3)))
        .isInstanceOf(ProofException.class)
        .hasMessage("consistency proof has 2 hashes, expected 3 for tree sizes 6 -> 8");
    assertThatThrownBy(
            () ->
                ProofVerifier.verifyConsistency(
                    hasher, 9, 8, roots.get(6), roots.get(8), List.of()))
        .isInstanceOf(ProofException.class)
        .hasMessage(
            "tree sizes must have 0 <= old size <= new size, got old size 9 and new size 8");
    assertThatThrownBy(
            () ->
                ProofVerifier.verifyConsistency(
                    hasher, 8, 8, roots.get(7), roots.get(8), List.of()))
        .isInstanceOf(ProofException.class)
        .hasMessage(
            "new root mismatch at tree size 8: expected=%s, actual=%s",
            HEX.formatHex(roots.get(7)), HEX.formatHex(roots.get(8)));
    assertThatThrownBy(
            () ->
                ProofVerifier.verifyConsistency(
                    hasher, 0, 8, roots.get(1), roots.get(8), List.of()))
        .isInstanceOf(ProofException.class)
        .hasMessage(
            "old root mismatch at tree size 0: expected=%s, actual=%s",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            HEX.formatHex(roots.get(1)));
  }

  @Test
  void trivialCasesFollowTheRfc() throws ProofException {
    byte[] leaf0 = ReferenceTree.leafHash(leaves.get(0));
    // One leaf: the proof is empty and the root is the leaf hash.
    assertThat(ProofVerifier.rootFromInclusion(hasher, 0, 1, leaf0, List.of())).isEqualTo(leaf0);
    // Any tree extends the empty tree, and every tree extends itself, with an empty proof.
    ProofVerifier.verifyConsistency(hasher, 0, 0, roots.get(0), roots.get(0), List.of());
    ProofVerifier.verifyConsistency(hasher, 0, 37, roots.get(0), roots.get(37), List.of());
    ProofVerifier.verifyConsistency(hasher, 37, 37, roots.get(37), roots.get(37), List.of());
    // The RFC rejects an empty proof between different non-zero sizes.
    assertThatThrownBy(
            () ->
                ProofVerifier.verifyConsistency(
                    hasher, 1, 2, roots.get(1), roots.get(2), List.of()))
        .isInstanceOf(ProofException.class)
        .hasMessage("consistency proof has 0 hashes, expected 1 for tree sizes 1 -> 2");
    // And any proof between equal sizes.
    assertThatThrownBy(
            () ->
                ProofVerifier.verifyConsistency(
                    hasher, 5, 5, roots.get(5), roots.get(5), List.of(roots.get(5))))
        .isInstanceOf(ProofException.class)
        .hasMessage("consistency proof has 1 hash, expected 0 for tree sizes 5 -> 5");
  }

  @Test
  void aProofBindsALeafToARootNotToATreeSize() throws ProofException {
    // The inclusion proof of leaf 0 in 5 leaves also computes the root of 5 leaves when it is read
    // as a proof for a tree of 6: the RFC algorithm walks the same path. Only the root binds the
    // proof, which is why the storage must take size and root from one signed checkpoint.
    List<byte[]> d = leaves.subList(0, 5);
    List<byte[]> proof = ReferenceTree.path(0, d);
    byte[] leaf0 = ReferenceTree.leafHash(d.get(0));
    ProofVerifier.verifyInclusion(hasher, 0, 6, leaf0, proof, roots.get(5));
    // Against the genuine root of 6 leaves it fails.
    assertThatThrownBy(
            () -> ProofVerifier.verifyInclusion(hasher, 0, 6, leaf0, proof, roots.get(6)))
        .isInstanceOf(ProofException.class);
  }

  private void checkInclusion(SplittableRandom random, int index, int size, int maxSize)
      throws ProofException {
    String context = "seed " + TestSeed.SEED + ", index " + index + ", size " + size;
    List<byte[]> d = leaves.subList(0, size);
    byte[] leaf = ReferenceTree.leafHash(d.get(index));
    byte[] root = roots.get(size);
    List<byte[]> proof = ReferenceTree.path(index, d);

    assertThat(ProofVerifier.rootFromInclusion(hasher, index, size, leaf, proof))
        .as(context)
        .isEqualTo(root);
    ProofVerifier.verifyInclusion(hasher, index, size, leaf, proof, root);

    for (int i = 0; i < proof.size(); i++) {
      int at = i;
      List<byte[]> flipped = withFlippedBit(random, proof, i);
      rejected(
          context + ", bit flipped in hash " + i, () -> verify(index, size, leaf, flipped, root));
      rejected(
          context + ", hash " + i + " dropped",
          () -> verify(index, size, leaf, without(proof, at), root));
    }
    for (int i = 0; i <= proof.size(); i++) {
      List<byte[]> longer = with(proof, i, randomHashes(random, 1).get(0));
      rejected(context + ", hash added at " + i, () -> verify(index, size, leaf, longer, root));
    }
    rejected(
        context + ", root appended",
        () -> verify(index, size, leaf, with(proof, proof.size(), root), root));
    for (int other = -1; other <= size; other++) {
      int claimed = other;
      if (other != index) {
        // Never genuine: the leaves are distinct, so leaf index is not also leaf claimed.
        rejected(
            context + ", claimed index " + other, () -> verify(claimed, size, leaf, proof, root));
      }
    }
    for (int other = 0; other <= maxSize; other++) {
      int claimed = other;
      if (other != size) {
        byte[] claimedRoot = roots.get(other);
        rejectedUnlessGenuine(
            context + ", claimed size " + other,
            () -> verify(index, claimed, leaf, proof, claimedRoot),
            () -> isGenuineInclusion(index, claimed, proof));
      }
    }
    rejected(context + ", negative size", () -> verify(index, -size, leaf, proof, root));
    rejected(
        context + ", bit flipped in leaf",
        () -> verify(index, size, flip(random, leaf), proof, root));
    rejected(
        context + ", bit flipped in root",
        () -> verify(index, size, leaf, proof, flip(random, root)));
    rejected(context + ", empty-tree root", () -> verify(index, size, leaf, proof, roots.get(0)));
    if (size > 1) {
      byte[] otherLeaf = ReferenceTree.leafHash(d.get((index + 1) % size));
      rejected(context + ", another leaf", () -> verify(index, size, otherLeaf, proof, root));
    }
  }

  private void checkConsistency(SplittableRandom random, int oldSize, int newSize, int maxSize)
      throws ProofException {
    String context = "seed " + TestSeed.SEED + ", sizes " + oldSize + " -> " + newSize;
    byte[] oldRoot = roots.get(oldSize);
    byte[] newRoot = roots.get(newSize);
    List<byte[]> proof =
        oldSize == 0 ? List.of() : ReferenceTree.proof(oldSize, leaves.subList(0, newSize));
    ProofVerifier.verifyConsistency(hasher, oldSize, newSize, oldRoot, newRoot, proof);

    for (int i = 0; i < proof.size(); i++) {
      int at = i;
      List<byte[]> flipped = withFlippedBit(random, proof, i);
      rejected(
          context + ", bit flipped in hash " + i,
          () -> verify(oldSize, newSize, oldRoot, newRoot, flipped));
      rejected(
          context + ", hash " + i + " dropped",
          () -> verify(oldSize, newSize, oldRoot, newRoot, without(proof, at)));
    }
    for (int i = 0; i <= proof.size(); i++) {
      List<byte[]> longer = with(proof, i, randomHashes(random, 1).get(0));
      rejected(
          context + ", hash added at " + i,
          () -> verify(oldSize, newSize, oldRoot, newRoot, longer));
    }
    rejected(
        context + ", old root prepended",
        () -> verify(oldSize, newSize, oldRoot, newRoot, with(proof, 0, oldRoot)));
    rejected(
        context + ", new root appended",
        () -> verify(oldSize, newSize, oldRoot, newRoot, with(proof, proof.size(), newRoot)));
    for (int other = 0; other <= maxSize; other++) {
      int claimed = other;
      byte[] claimedRoot = roots.get(other);
      if (other != oldSize) {
        rejectedUnlessGenuine(
            context + ", claimed old size " + other,
            () -> verify(claimed, newSize, claimedRoot, newRoot, proof),
            () -> isGenuineConsistency(claimed, newSize, proof));
      }
      if (other != newSize) {
        rejectedUnlessGenuine(
            context + ", claimed new size " + other,
            () -> verify(oldSize, claimed, oldRoot, claimedRoot, proof),
            () -> isGenuineConsistency(oldSize, claimed, proof));
      }
    }
    rejected(context + ", negative old size", () -> verify(-1, newSize, oldRoot, newRoot, proof));
    rejected(
        context + ", bit flipped in old root",
        () -> verify(oldSize, newSize, flip(random, oldRoot), newRoot, proof));
    if (oldSize > 0 || newSize == 0) {
      // Every tree extends the empty tree: from old size 0 there is nothing to check in the new
      // root.
      rejected(
          context + ", bit flipped in new root",
          () -> verify(oldSize, newSize, oldRoot, flip(random, newRoot), proof));
    }
    if (oldSize != newSize) {
      rejected(
          context + ", roots swapped", () -> verify(oldSize, newSize, newRoot, oldRoot, proof));
    }
    if (!proof.isEmpty()) {
      rejected(
          context + ", empty proof", () -> verify(oldSize, newSize, oldRoot, newRoot, List.of()));
    }
  }

  /** Whether proof is the genuine proof of leaf index in a tree of size (so not tampered). */
  private boolean isGenuineInclusion(int index, int size, List<byte[]> proof) {
    return index >= 0
        && index < size
        && equal(ReferenceTree.path(index, leaves.subList(0, size)), proof);
  }

  /** Whether proof is the genuine consistency proof between the sizes (so not tampered). */
  private boolean isGenuineConsistency(int oldSize, int newSize, List<byte[]> proof) {
    if (oldSize < 0 || oldSize > newSize) {
      return false;
    }
    if (oldSize == 0 || oldSize == newSize) {
      return proof.isEmpty();
    }
    return equal(ReferenceTree.proof(oldSize, leaves.subList(0, newSize)), proof);
  }

  private void verify(long index, long size, byte[] leaf, List<byte[]> proof, byte[] root)
      throws ProofException {
    ProofVerifier.verifyInclusion(hasher, index, size, leaf, proof, root);
  }

  private void verify(
      long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, List<byte[]> proof)
      throws ProofException {
    ProofVerifier.verifyConsistency(hasher, oldSize, newSize, oldRoot, newRoot, proof);
  }

  @FunctionalInterface
  private interface Verification {
    void run() throws ProofException;
  }

  /**
   * Like {@link #rejected}, but also accepts a verification that passes if the probe turns out to
   * be the genuine proof of what it claims. The reference is consulted only then, which keeps the
   * exhaustive tests fast.
   */
  private static void rejectedUnlessGenuine(
      String what, Verification verification, BooleanSupplier genuine) {
    try {
      verification.run();
    } catch (ProofException expected) {
      return;
    }
    if (!genuine.getAsBoolean()) {
      fail("%s: verified, but should have been rejected", what);
    }
  }

  /** Fails unless the verification throws a ProofException; any other exception propagates. */
  private static void rejected(String what, Verification verification) {
    try {
      verification.run();
    } catch (ProofException expected) {
      return;
    }
    fail("%s: verified, but should have been rejected", what);
  }

  private static boolean equal(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static byte[] flip(SplittableRandom random, byte[] hash) {
    byte[] copy = hash.clone();
    int bit = random.nextInt(copy.length * 8);
    copy[bit / 8] ^= (byte) (1 << (bit % 8));
    return copy;
  }

  private static List<byte[]> withFlippedBit(SplittableRandom random, List<byte[]> proof, int i) {
    List<byte[]> copy = new ArrayList<>(proof);
    copy.set(i, flip(random, proof.get(i)));
    return copy;
  }

  private static List<byte[]> without(List<byte[]> proof, int i) {
    List<byte[]> copy = new ArrayList<>(proof);
    copy.remove(i);
    return copy;
  }

  private static List<byte[]> with(List<byte[]> proof, int i, byte[] hash) {
    List<byte[]> copy = new ArrayList<>(proof);
    copy.add(i, hash);
    return copy;
  }

  private static List<byte[]> randomHashes(SplittableRandom random, int count) {
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] hash = new byte[HASH_SIZE];
      random.nextBytes(hash);
      hashes.add(hash);
    }
    return hashes;
  }
}
