package dev.trailwatch.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Roots and proofs built from stored nodes against {@link ReferenceTree}, for every tree size up to
 * 300, every leaf and every pair of sizes up to 64, samples above, and random trees of a few
 * thousand leaves. The nodes come from what {@link CompactRange} reported, served by a reader that
 * fails on any node not complete at the size asked for.
 */
class ProofsTest {

  private static final int MAX_SIZE = 300;
  private static final int EXHAUSTIVE = 64;

  private final Rfc6962Hasher hasher = Rfc6962Hasher.create();
  private final List<byte[]> leaves = Leaves.random(TestSeed.random(20), MAX_SIZE);
  private final NodeStore store = NodeStore.of(leaves);

  @Test
  void rootOfEverySizeMatchesTheReference() throws IOException {
    for (int size = 0; size <= MAX_SIZE; size++) {
      NodeStore.Reader reader = store.reader(size);
      assertThat(Proofs.root(size, reader, hasher))
          .as("seed %d, size %d", TestSeed.SEED, size)
          .isEqualTo(ReferenceTree.mth(leaves.subList(0, size)));
      assertThat(reader.reads())
          .as("seed %d, reads for the root of size %d", TestSeed.SEED, size)
          .isEqualTo(Integer.bitCount(size));
    }
  }

  @Test
  void inclusionProofsMatchTheReference() throws Exception {
    SplittableRandom random = TestSeed.random(21);
    for (int size = 1; size <= MAX_SIZE; size++) {
      List<byte[]> d = leaves.subList(0, size);
      byte[] root = ReferenceTree.mth(d);
      for (long index : indices(random, size)) {
        String context = "seed " + TestSeed.SEED + ", index " + index + ", size " + size;
        NodeStore.Reader reader = store.reader(size);
        List<byte[]> proof = Proofs.inclusion(index, size, reader, hasher);
        assertThat(proof).as(context).containsExactlyElementsOf(ReferenceTree.path((int) index, d));
        assertThat(reader.reads()).as(context + ", reads").isLessThanOrEqualTo(2 * log2Ceil(size));
        ProofVerifier.verifyInclusion(
            hasher, index, size, ReferenceTree.leafHash(d.get((int) index)), proof, root);
      }
    }
  }

  @Test
  void consistencyProofsMatchTheReferenceForEveryPairUpTo64() throws Exception {
    for (int newSize = 0; newSize <= EXHAUSTIVE; newSize++) {
      for (int oldSize = 0; oldSize <= newSize; oldSize++) {
        checkConsistency(oldSize, newSize);
      }
    }
  }

  @Test
  void consistencyProofsMatchTheReferenceForSampledPairsUpTo300() throws Exception {
    SplittableRandom random = TestSeed.random(22);
    for (int i = 0; i < 1000; i++) {
      int newSize = random.nextInt(EXHAUSTIVE, MAX_SIZE + 1);
      int oldSize = random.nextInt(0, newSize + 1);
      checkConsistency(oldSize, newSize);
    }
    for (int newSize = EXHAUSTIVE; newSize <= MAX_SIZE; newSize++) {
      checkConsistency(1, newSize);
      checkConsistency(newSize - 1, newSize);
      checkConsistency(newSize, newSize);
    }
  }

  @RepeatedTest(4)
  void largeRandomTreesMatchTheReference(RepetitionInfo repetition) throws Exception {
    SplittableRandom random = TestSeed.random(100 + repetition.getCurrentRepetition());
    int size = random.nextInt(1000, 5001);
    List<byte[]> d = Leaves.random(random, size);
    NodeStore large = NodeStore.of(d);
    String context = "seed " + TestSeed.SEED + ", size " + size;
    byte[] root = ReferenceTree.mth(d);
    assertThat(Proofs.root(size, large.reader(size), hasher)).as(context).isEqualTo(root);
    for (int i = 0; i < 16; i++) {
      int index = random.nextInt(size);
      List<byte[]> proof = Proofs.inclusion(index, size, large.reader(size), hasher);
      assertThat(proof)
          .as("%s, index %d", context, index)
          .containsExactlyElementsOf(ReferenceTree.path(index, d));
      ProofVerifier.verifyInclusion(
          hasher, index, size, ReferenceTree.leafHash(d.get(index)), proof, root);
    }
    for (int i = 0; i < 16; i++) {
      int oldSize = random.nextInt(1, size + 1);
      List<byte[]> proof = Proofs.consistency(oldSize, size, large.reader(size), hasher);
      assertThat(proof)
          .as("%s, old size %d", context, oldSize)
          .containsExactlyElementsOf(ReferenceTree.proof(oldSize, d));
      ProofVerifier.verifyConsistency(
          hasher, oldSize, size, ReferenceTree.mth(d.subList(0, oldSize)), root, proof);
    }
  }

  @Test
  void rangeHashMatchesTheReferenceForEveryRangeMadeOfNodes() throws IOException {
    NodeStore.Reader reader = store.reader(EXHAUSTIVE);
    int assembled = 0;
    for (int from = 0; from <= EXHAUSTIVE; from++) {
      for (int to = from; to <= EXHAUSTIVE; to++) {
        int n = to - from;
        boolean madeOfNodes = n <= 1 || from % Integer.highestOneBit(n - 1) == 0;
        if (madeOfNodes) {
          assertThat(Proofs.rangeHash(from, to, reader, hasher))
              .as("seed %d, range [%d, %d)", TestSeed.SEED, from, to)
              .isEqualTo(ReferenceTree.mth(leaves.subList(from, to)));
          assembled++;
        } else {
          long f = from;
          long t = to;
          assertThatThrownBy(() -> Proofs.rangeHash(f, t, reader, hasher))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("[" + from + ", " + to + ") cannot be assembled from nodes");
        }
      }
    }
    assertThat(assembled).isGreaterThan(EXHAUSTIVE * 4);
  }

  @Test
  void rejectsArgumentsOutsideTheTree() {
    NodeReader reader = store.reader(MAX_SIZE);
    assertThatThrownBy(() -> Proofs.inclusion(5, 5, reader, hasher))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaf index 5 is out of range for tree size 5");
    assertThatThrownBy(() -> Proofs.inclusion(-1, 5, reader, hasher))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaf index -1 is out of range for tree size 5");
    assertThatThrownBy(() -> Proofs.inclusion(0, 0, reader, hasher))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaf index 0 is out of range for tree size 0");
    assertThatThrownBy(() -> Proofs.consistency(6, 5, reader, hasher))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tree sizes must have 0 <= oldSize <= newSize, got oldSize 6 and newSize 5");
    assertThatThrownBy(() -> Proofs.consistency(-1, 5, reader, hasher))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tree sizes must have 0 <= oldSize <= newSize, got oldSize -1 and newSize 5");
    assertThatThrownBy(() -> Proofs.root(-1, reader, hasher))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tree size must not be negative, got -1");
    assertThatThrownBy(() -> Proofs.rangeHash(3, 2, reader, hasher))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("range [3, 2) must have 0 <= from <= to");
    assertThatThrownBy(() -> Proofs.rangeHash(1, 4, reader, hasher))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("range [1, 4) cannot be assembled from nodes: from must be a multiple of 2");
  }

  @Test
  void reportsABadReaderAsAnIoException() {
    NodeReader shortHashes = (level, index) -> new byte[16];
    assertThatThrownBy(() -> Proofs.root(6, shortHashes, hasher))
        .isInstanceOf(IOException.class)
        .hasMessage("node reader returned 16 bytes for node (2, 0), expected 32");
    assertThatThrownBy(() -> Proofs.inclusion(0, 2, (level, index) -> null, hasher))
        .isInstanceOf(IOException.class)
        .hasMessage("node reader returned no hash for node (0, 1)");
    IOException failure = new IOException("tile missing");
    NodeReader failing =
        (level, index) -> {
          throw failure;
        };
    assertThatThrownBy(() -> Proofs.consistency(3, 7, failing, hasher)).isSameAs(failure);
  }

  @Test
  void trivialProofsReadNothing() throws IOException {
    NodeReader none = (level, index) -> fail("read node (%d, %d)", level, index);
    assertThat(Proofs.root(0, none, hasher)).isEqualTo(hasher.emptyRoot());
    assertThat(Proofs.inclusion(0, 1, none, hasher)).isEmpty();
    assertThat(Proofs.consistency(0, 1000, none, hasher)).isEmpty();
    assertThat(Proofs.consistency(1000, 1000, none, hasher)).isEmpty();
    assertThat(Proofs.consistency(0, 0, none, hasher)).isEmpty();
  }

  private void checkConsistency(int oldSize, int newSize) throws Exception {
    String context = "seed " + TestSeed.SEED + ", sizes " + oldSize + " -> " + newSize;
    List<byte[]> d = leaves.subList(0, newSize);
    NodeStore.Reader reader = store.reader(newSize);
    List<byte[]> proof = Proofs.consistency(oldSize, newSize, reader, hasher);
    if (oldSize == 0) {
      assertThat(proof).as(context).isEmpty(); // the RFC defines PROOF only for 0 < m
    } else {
      assertThat(proof).as(context).containsExactlyElementsOf(ReferenceTree.proof(oldSize, d));
    }
    assertThat(reader.reads())
        .as(context + ", reads")
        .isLessThanOrEqualTo(2 * log2Ceil(newSize) + 1);
    ProofVerifier.verifyConsistency(
        hasher,
        oldSize,
        newSize,
        ReferenceTree.mth(leaves.subList(0, oldSize)),
        ReferenceTree.mth(d),
        proof);
  }

  /** Every index for small trees; the two ends and 8 random ones above. */
  private static long[] indices(SplittableRandom random, int size) {
    if (size <= EXHAUSTIVE) {
      return LongStream.range(0, size).toArray();
    }
    List<Long> indices = new ArrayList<>(List.of(0L, size - 1L));
    for (int i = 0; i < 8; i++) {
      indices.add((long) random.nextInt(size));
    }
    return indices.stream().mapToLong(Long::longValue).toArray();
  }

  private static int log2Ceil(long n) {
    return n <= 1 ? 0 : Long.SIZE - Long.numberOfLeadingZeros(n - 1);
  }
}
