package dev.trailwatch.ledger.merkle;

import static dev.trailwatch.ledger.merkle.Rfc6962Hasher.HASH_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CompactRangeTest {

  private static final int MAX_SIZE = 300;

  private final Rfc6962Hasher hasher = Rfc6962Hasher.create();

  @Test
  void rootAndHashesMatchTheReferenceAtEverySize() {
    List<byte[]> leaves = Leaves.random(TestSeed.random(10), MAX_SIZE);
    CompactRange range = new CompactRange(hasher);
    for (int size = 0; size <= MAX_SIZE; size++) {
      List<byte[]> d = leaves.subList(0, size);
      String context = "seed " + TestSeed.SEED + ", size " + size;
      assertThat(range.size()).as(context).isEqualTo(size);
      assertThat(range.root()).as(context).isEqualTo(ReferenceTree.mth(d));
      assertThat(range.hashes()).as(context).containsExactlyElementsOf(rightEdge(d));
      if (size < MAX_SIZE) {
        range.append(ReferenceTree.leafHash(leaves.get(size)), NodeSink.NONE);
      }
    }
  }

  @Test
  void sinkReportsExactlyTheNodesEachAppendCompletes() {
    List<byte[]> leaves = Leaves.random(TestSeed.random(11), MAX_SIZE);
    CompactRange range = new CompactRange(hasher);
    Map<Node, byte[]> before = ReferenceTree.perfectNodes(List.of());
    for (int size = 0; size < MAX_SIZE; size++) {
      Map<Node, byte[]> after = ReferenceTree.perfectNodes(leaves.subList(0, size + 1));
      List<Node> expected = new ArrayList<>(after.keySet());
      expected.removeAll(before.keySet());
      expected.sort(Comparator.comparingInt(Node::level));

      List<Node> reported = new ArrayList<>();
      Map<Node, byte[]> hashes = new HashMap<>();
      range.append(
          ReferenceTree.leafHash(leaves.get(size)),
          (level, index, hash) -> {
            reported.add(new Node(level, index));
            hashes.put(new Node(level, index), hash.clone());
          });

      String context = "seed " + TestSeed.SEED + ", appending leaf " + size;
      assertThat(reported).as(context).containsExactlyElementsOf(expected);
      for (Node node : reported) {
        assertThat(hashes.get(node)).as(context + ", " + node).isEqualTo(after.get(node));
      }
      before = after;
    }
  }

  @Test
  void allNodesReportedUpToASizeAreThePerfectNodesOfThatTree() {
    List<byte[]> leaves = Leaves.random(TestSeed.random(12), 129);
    NodeStore store = NodeStore.of(leaves);
    Map<Node, byte[]> expected = ReferenceTree.perfectNodes(leaves);
    assertThat(store.nodes()).as("seed %d", TestSeed.SEED).hasSameSizeAs(expected);
    expected.forEach(
        (node, hash) ->
            assertThat(store.nodes().get(node))
                .as("seed %d, node %s", TestSeed.SEED, node)
                .isEqualTo(hash));
  }

  @Test
  void restoreAndLoadRoundTripAtEverySize() throws IOException {
    List<byte[]> leaves = Leaves.random(TestSeed.random(13), MAX_SIZE + 5);
    NodeStore store = NodeStore.of(leaves);
    CompactRange range = new CompactRange(hasher);
    for (int size = 0; size <= MAX_SIZE; size++) {
      String context = "seed " + TestSeed.SEED + ", size " + size;
      CompactRange restored = CompactRange.restore(hasher, size, range.hashes());
      NodeStore.Reader reader = store.reader(size);
      CompactRange loaded = CompactRange.load(hasher, size, reader);
      assertThat(reader.reads()).as(context).isEqualTo(Integer.bitCount(size));

      for (CompactRange copy : List.of(restored, loaded)) {
        assertThat(copy.size()).as(context).isEqualTo(size);
        assertThat(copy.hashes()).as(context).containsExactlyElementsOf(range.hashes());
        assertThat(copy.root()).as(context).isEqualTo(range.root());
        // The copy carries on exactly like the original would.
        for (int next = size; next < size + 5; next++) {
          copy.append(ReferenceTree.leafHash(leaves.get(next)), NodeSink.NONE);
        }
        assertThat(copy.root())
            .as(context + ", 5 more leaves")
            .isEqualTo(ReferenceTree.mth(leaves.subList(0, size + 5)));
      }
      range.append(ReferenceTree.leafHash(leaves.get(size)), NodeSink.NONE);
    }
  }

  @Test
  void appendsAtTheLargestSizes() {
    SplittableRandom random = TestSeed.random(14);
    // 2^62 - 1 leaves: the next append completes node (62, 0), reporting 63 nodes.
    long size = (1L << 62) - 1;
    List<byte[]> hashes = randomHashes(random, 62);
    CompactRange range = CompactRange.restore(hasher, size, hashes);
    byte[] leaf = randomHashes(random, 1).get(0);
    List<Node> reported = new ArrayList<>();
    range.append(leaf, (level, index, hash) -> reported.add(new Node(level, index)));

    List<Node> expected = new ArrayList<>();
    for (int level = 0; level <= 62; level++) {
      expected.add(new Node(level, size >>> level));
    }
    assertThat(reported).containsExactlyElementsOf(expected);
    assertThat(range.size()).isEqualTo(1L << 62);
    // The new root is the old right edge with the leaf at its end, folded from the right.
    byte[] root = leaf;
    for (int i = hashes.size() - 1; i >= 0; i--) {
      root = hasher.hashChildren(hashes.get(i), root);
    }
    assertThat(range.hashes()).singleElement().isEqualTo(root);
    assertThat(range.root()).isEqualTo(root);

    // Long.MAX_VALUE - 1 leaves: one more fits, then the tree is full.
    CompactRange almostFull =
        CompactRange.restore(hasher, Long.MAX_VALUE - 1, randomHashes(random, 62));
    almostFull.append(leaf, NodeSink.NONE);
    assertThat(almostFull.size()).isEqualTo(Long.MAX_VALUE);
    assertThat(almostFull.hashes()).hasSize(63);
    assertThatThrownBy(() -> almostFull.append(leaf, NodeSink.NONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Long.MAX_VALUE");
    assertThat(almostFull.size()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void neverKeepsOrLendsACallersArray() {
    List<byte[]> leaves = Leaves.random(TestSeed.random(15), 7);
    byte[] expectedRoot = ReferenceTree.mth(leaves);
    CompactRange range = new CompactRange(hasher);
    byte[] reused = new byte[HASH_SIZE];
    for (byte[] leaf : leaves) {
      System.arraycopy(ReferenceTree.leafHash(leaf), 0, reused, 0, HASH_SIZE);
      // A sink that scribbles over the array it is lent.
      range.append(reused, (level, index, hash) -> Arrays.fill(hash, (byte) 0));
    }
    Arrays.fill(reused, (byte) 0); // the caller reuses its leaf array
    assertThat(range.root()).isEqualTo(expectedRoot);

    range.hashes().forEach(hash -> Arrays.fill(hash, (byte) 0));
    range.root()[0] ^= 1;
    assertThat(range.root()).isEqualTo(expectedRoot);

    List<byte[]> edge = range.hashes();
    CompactRange restored = CompactRange.restore(hasher, 7, edge);
    edge.forEach(hash -> Arrays.fill(hash, (byte) 0)); // the caller changes what it restored from
    assertThat(restored.root()).isEqualTo(expectedRoot);
  }

  @Test
  void aSinkThatThrowsLeavesTheRangeUnchanged() {
    List<byte[]> leaves = Leaves.random(TestSeed.random(16), 8);
    CompactRange range = new CompactRange(hasher);
    for (int i = 0; i < 7; i++) {
      range.append(ReferenceTree.leafHash(leaves.get(i)), NodeSink.NONE);
    }
    List<byte[]> hashesBefore = range.hashes();
    byte[] rootBefore = range.root();
    NodeSink failing =
        (level, index, hash) -> {
          if (level == 2) {
            throw new IllegalStateException("tile store is full");
          }
        };
    assertThatThrownBy(() -> range.append(ReferenceTree.leafHash(leaves.get(7)), failing))
        .hasMessage("tile store is full");
    assertThat(range.size()).isEqualTo(7);
    assertThat(range.hashes()).containsExactlyElementsOf(hashesBefore);
    assertThat(range.root()).isEqualTo(rootBefore);

    range.append(ReferenceTree.leafHash(leaves.get(7)), NodeSink.NONE);
    assertThat(range.root()).isEqualTo(ReferenceTree.mth(leaves));
  }

  @Test
  void copiesAreIndependent() {
    List<byte[]> leaves = Leaves.random(TestSeed.random(17), 10);
    CompactRange range = new CompactRange(hasher);
    for (int i = 0; i < 5; i++) {
      range.append(ReferenceTree.leafHash(leaves.get(i)), NodeSink.NONE);
    }
    CompactRange copy = range.copy();
    for (int i = 5; i < 10; i++) {
      copy.append(ReferenceTree.leafHash(leaves.get(i)), NodeSink.NONE);
    }
    assertThat(range.size()).isEqualTo(5);
    assertThat(range.root()).isEqualTo(ReferenceTree.mth(leaves.subList(0, 5)));
    assertThat(copy.size()).isEqualTo(10);
    assertThat(copy.root()).isEqualTo(ReferenceTree.mth(leaves));
  }

  @Test
  void restoreRejectsHashesThatCannotBeARange() {
    List<byte[]> three = randomHashes(TestSeed.random(18), 3);
    assertThatThrownBy(() -> CompactRange.restore(hasher, 6, three))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a compact range of size 6 has 2 hashes, got 3");
    assertThatThrownBy(() -> CompactRange.restore(hasher, 0, three))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a compact range of size 0 has 0 hashes, got 3");
    assertThatThrownBy(() -> CompactRange.restore(hasher, -1, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tree size must not be negative, got -1");
    assertThatThrownBy(() -> CompactRange.restore(hasher, 3, List.of(new byte[32], new byte[31])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hash 1 has 31 bytes, expected 32");
  }

  @Test
  void appendRejectsALeafHashOfTheWrongLength() {
    CompactRange range = new CompactRange(hasher);
    assertThatThrownBy(() -> range.append(new byte[33], NodeSink.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leafHash has 33 bytes, expected 32");
    assertThat(range.size()).isZero();
  }

  @Test
  void loadReportsABadReaderAsAnIoException() {
    assertThatThrownBy(() -> CompactRange.load(hasher, 5, (level, index) -> new byte[31]))
        .isInstanceOf(IOException.class)
        .hasMessage("node reader returned 31 bytes for node (2, 0), expected 32");
    assertThatThrownBy(() -> CompactRange.load(hasher, 5, (level, index) -> null))
        .isInstanceOf(IOException.class)
        .hasMessage("node reader returned no hash for node (2, 0)");
    IOException failure = new IOException("tile missing");
    assertThatThrownBy(
            () ->
                CompactRange.load(
                    hasher,
                    5,
                    (level, index) -> {
                      throw failure;
                    }))
        .isSameAs(failure);
  }

  /** The MTH of each perfect subtree covering [0, size), largest first, from the reference. */
  private static List<byte[]> rightEdge(List<byte[]> d) {
    List<byte[]> edge = new ArrayList<>();
    int start = 0;
    for (int width = Integer.highestOneBit(Math.max(d.size(), 1)); width > 0; width >>>= 1) {
      if ((d.size() & width) != 0) {
        edge.add(ReferenceTree.mth(d.subList(start, start + width)));
        start += width;
      }
    }
    return edge;
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
