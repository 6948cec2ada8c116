package dev.trailwatch.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Known-answer tests: the RFC 6962 test tree of certificate-transparency, as published in
 * transparency-dev/merkle {@code testonly/constants.go} (leaf inputs, node hashes, roots, compact
 * ranges) and {@code proof/verify_test.go} (inclusion and consistency proofs, and the corruptions
 * that must fail). The hex values below are copied from there; the code is ours.
 */
class Rfc6962VectorsTest {

  private static final HexFormat HEX = HexFormat.of();

  private static final List<byte[]> LEAF_INPUTS =
      hex(
          "",
          "00",
          "10",
          "2021",
          "3031",
          "40414243",
          "5051525354555657",
          "606162636465666768696a6b6c6d6e6f");

  /** NODE_HASHES.get(level).get(index) is node (level, index) of the 8-leaf tree. */
  private static final List<List<byte[]>> NODE_HASHES =
      List.of(
          hex(
              "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
              "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
              "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
              "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
              "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
              "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
              "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
              "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
          hex(
              "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
              "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
              "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
          hex(
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
              "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
          hex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"));

  /** ROOTS.get(size) is the root of the first size leaves. */
  private static final List<byte[]> ROOTS =
      hex(
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
          "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
          "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
          "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
          "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
          "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  /** An arbitrary hash from verify_test.go ("sha256SomeHash"). */
  private static final byte[] SOME_HASH =
      HEX.parseHex("abacaba000000000000000000000000000000000000000000060061e00123456");

  /** Inclusion proofs (index, size, path); verify_test.go numbers leaves from 1. */
  private record Inclusion(long index, long size, List<byte[]> proof) {}

  private static final List<Inclusion> INCLUSIONS =
      List.of(
          new Inclusion(
              0,
              8,
              hex(
                  "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
          new Inclusion(
              5,
              8,
              hex(
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
          new Inclusion(
              2, 3, hex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
          new Inclusion(
              1,
              5,
              hex(
                  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));

  private record Consistency(long oldSize, long newSize, List<byte[]> proof) {}

  private static final List<Consistency> CONSISTENCIES =
      List.of(
          new Consistency(1, 1, List.of()),
          new Consistency(
              1,
              8,
              hex(
                  "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
          new Consistency(
              6,
              8,
              hex(
                  "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
          new Consistency(
              2,
              5,
              hex(
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
          new Consistency(
              6,
              7,
              hex(
                  "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                  "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));

  private final Rfc6962Hasher hasher = Rfc6962Hasher.create();
  private final NodeStore store = NodeStore.of(LEAF_INPUTS);

  @Test
  void emptyTreeRoot() throws IOException {
    assertThat(HEX.formatHex(hasher.emptyRoot()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(new CompactRange(hasher).root()).isEqualTo(ROOTS.get(0));
    assertThat(Proofs.root(0, store.reader(0), hasher)).isEqualTo(ROOTS.get(0));
    assertThat(ReferenceTree.mth(List.of())).isEqualTo(ROOTS.get(0));
  }

  @Test
  void rootsOfSizes1To8() throws IOException {
    CompactRange range = new CompactRange(hasher);
    for (int size = 1; size <= 8; size++) {
      range.append(hasher.hashLeaf(LEAF_INPUTS.get(size - 1)), NodeSink.NONE);
      assertThat(range.root()).as("compact range, size %d", size).isEqualTo(ROOTS.get(size));
      assertThat(Proofs.root(size, store.reader(size), hasher))
          .as("proofs, size %d", size)
          .isEqualTo(ROOTS.get(size));
      assertThat(ReferenceTree.mth(LEAF_INPUTS.subList(0, size)))
          .as("reference, size %d", size)
          .isEqualTo(ROOTS.get(size));
    }
  }

  @Test
  void everyNodeOfTheEightLeafTree() {
    Map<Node, byte[]> expected = new HashMap<>();
    for (int level = 0; level < NODE_HASHES.size(); level++) {
      for (int index = 0; index < NODE_HASHES.get(level).size(); index++) {
        expected.put(new Node(level, index), NODE_HASHES.get(level).get(index));
      }
    }
    assertThat(store.nodes()).hasSameSizeAs(expected);
    expected.forEach(
        (node, hash) -> assertThat(store.nodes().get(node)).as("%s", node).isEqualTo(hash));
  }

  @Test
  void compactRangesOfSizes0To8() {
    // CompactTrees() in constants.go, written as (level, index) of NodeHashes().
    List<List<Node>> expected =
        List.of(
            List.of(),
            List.of(new Node(0, 0)),
            List.of(new Node(1, 0)),
            List.of(new Node(1, 0), new Node(0, 2)),
            List.of(new Node(2, 0)),
            List.of(new Node(2, 0), new Node(0, 4)),
            List.of(new Node(2, 0), new Node(1, 2)),
            List.of(new Node(2, 0), new Node(1, 2), new Node(0, 6)),
            List.of(new Node(3, 0)));
    CompactRange range = new CompactRange(hasher);
    for (int size = 0; size <= 8; size++) {
      List<byte[]> hashes = new ArrayList<>();
      for (Node node : expected.get(size)) {
        hashes.add(NODE_HASHES.get(node.level()).get((int) node.index()));
      }
      assertThat(range.hashes()).as("size %d", size).containsExactlyElementsOf(hashes);
      if (size < 8) {
        range.append(hasher.hashLeaf(LEAF_INPUTS.get(size)), NodeSink.NONE);
      }
    }
  }

  @Test
  void inclusionProofs() throws Exception {
    for (Inclusion vector : INCLUSIONS) {
      int size = (int) vector.size();
      int index = (int) vector.index();
      assertThat(Proofs.inclusion(index, size, store.reader(size), hasher))
          .as("%s", vector)
          .containsExactlyElementsOf(vector.proof());
      assertThat(ReferenceTree.path(index, LEAF_INPUTS.subList(0, size)))
          .as("%s", vector)
          .containsExactlyElementsOf(vector.proof());
      byte[] leafHash = hasher.hashLeaf(LEAF_INPUTS.get(index));
      assertThat(ProofVerifier.rootFromInclusion(hasher, index, size, leafHash, vector.proof()))
          .isEqualTo(ROOTS.get(size));
      ProofVerifier.verifyInclusion(hasher, index, size, leafHash, vector.proof(), ROOTS.get(size));
    }
  }

  @Test
  void consistencyProofs() throws Exception {
    for (Consistency vector : CONSISTENCIES) {
      int oldSize = (int) vector.oldSize();
      int newSize = (int) vector.newSize();
      assertThat(Proofs.consistency(oldSize, newSize, store.reader(newSize), hasher))
          .as("%s", vector)
          .containsExactlyElementsOf(vector.proof());
      assertThat(ReferenceTree.proof(oldSize, LEAF_INPUTS.subList(0, newSize)))
          .as("%s", vector)
          .containsExactlyElementsOf(vector.proof());
      ProofVerifier.verifyConsistency(
          hasher, oldSize, newSize, ROOTS.get(oldSize), ROOTS.get(newSize), vector.proof());
    }
  }

  /** The corruptions of corruptInclusionProof in verify_test.go, all of which must fail. */
  @Test
  void publishedInclusionCorruptionsAreRejected() {
    for (Inclusion vector : INCLUSIONS) {
      long index = vector.index();
      long size = vector.size();
      List<byte[]> proof = vector.proof();
      byte[] root = ROOTS.get((int) size);
      byte[] leaf = hasher.hashLeaf(LEAF_INPUTS.get((int) index));
      String at = vector.index() + "/" + vector.size();
      rejected(at + " index - 1", () -> inclusion(index - 1, size, leaf, proof, root));
      rejected(at + " index + 1", () -> inclusion(index + 1, size, leaf, proof, root));
      rejected(at + " index ^ 2", () -> inclusion(index ^ 2, size, leaf, proof, root));
      rejected(at + " size * 2", () -> inclusion(index, size * 2, leaf, proof, root));
      rejected(at + " size / 2", () -> inclusion(index, size / 2, leaf, proof, root));
      byte[] wrongLeaf = "WrongLeaf".getBytes(StandardCharsets.US_ASCII);
      rejected(at + " wrong leaf", () -> inclusion(index, size, wrongLeaf, proof, root));
      rejected(at + " empty root", () -> inclusion(index, size, leaf, proof, ROOTS.get(0)));
      rejected(at + " random root", () -> inclusion(index, size, leaf, proof, SOME_HASH));
      rejected(
          at + " trailing garbage",
          () -> inclusion(index, size, leaf, plus(proof, new byte[0]), root));
      rejected(at + " trailing root", () -> inclusion(index, size, leaf, plus(proof, root), root));
      rejected(
          at + " preceding garbage",
          () -> inclusion(index, size, leaf, plus(new byte[0], proof), root));
      rejected(at + " preceding root", () -> inclusion(index, size, leaf, plus(root, proof), root));
      for (int i = 0; i < proof.size(); i++) {
        List<byte[]> flipped = new ArrayList<>(proof);
        flipped.set(i, proof.get(i).clone());
        flipped.get(i)[0] ^= 8;
        rejected(
            at + " bit 3 of proof[" + i + "]", () -> inclusion(index, size, leaf, flipped, root));
      }
      rejected(
          at + " removed component",
          () -> inclusion(index, size, leaf, proof.subList(0, proof.size() - 1), root));
      if (proof.size() > 1) {
        List<byte[]> inserted = new ArrayList<>(proof);
        inserted.add(1, SOME_HASH);
        rejected(at + " inserted component", () -> inclusion(index, size, leaf, inserted, root));
      }
    }
  }

  /** The corruptions of corruptConsistencyProof in verify_test.go, all of which must fail. */
  @Test
  void publishedConsistencyCorruptionsAreRejected() {
    for (Consistency vector : CONSISTENCIES) {
      if (vector.proof().isEmpty()) {
        continue; // verify_test.go corrupts only non-trivial proofs
      }
      long m = vector.oldSize();
      long n = vector.newSize();
      List<byte[]> proof = vector.proof();
      byte[] root1 = ROOTS.get((int) m);
      byte[] root2 = ROOTS.get((int) n);
      byte[] wrongRoot = "WrongRoot".getBytes(StandardCharsets.US_ASCII);
      String at = m + "->" + n;
      rejected(at + " size1 - 1", () -> consistency(m - 1, n, root1, root2, proof));
      rejected(at + " size1 + 1", () -> consistency(m + 1, n, root1, root2, proof));
      rejected(at + " size1 ^ 2", () -> consistency(m ^ 2, n, root1, root2, proof));
      rejected(at + " size2 * 2", () -> consistency(m, n * 2, root1, root2, proof));
      rejected(at + " size2 / 2", () -> consistency(m, n / 2, root1, root2, proof));
      rejected(at + " wrong root1", () -> consistency(m, n, wrongRoot, root2, proof));
      rejected(at + " wrong root2", () -> consistency(m, n, root1, wrongRoot, proof));
      rejected(at + " swapped roots", () -> consistency(m, n, root2, root1, proof));
      rejected(at + " empty proof", () -> consistency(m, n, root1, root2, List.of()));
      rejected(
          at + " trailing garbage",
          () -> consistency(m, n, root1, root2, plus(proof, new byte[0])));
      rejected(at + " trailing root1", () -> consistency(m, n, root1, root2, plus(proof, root1)));
      rejected(at + " trailing root2", () -> consistency(m, n, root1, root2, plus(proof, root2)));
      rejected(
          at + " preceding garbage",
          () -> consistency(m, n, root1, root2, plus(new byte[0], proof)));
      rejected(at + " preceding root1", () -> consistency(m, n, root1, root2, plus(root1, proof)));
      rejected(at + " preceding root2", () -> consistency(m, n, root1, root2, plus(root2, proof)));
      rejected(
          at + " preceding proof[0]",
          () -> consistency(m, n, root1, root2, plus(proof.get(0), proof)));
      rejected(
          at + " truncated proof",
          () -> consistency(m, n, root1, root2, proof.subList(0, proof.size() - 1)));
      for (int i = 0; i < proof.size(); i++) {
        List<byte[]> flipped = new ArrayList<>(proof);
        flipped.set(i, proof.get(i).clone());
        flipped.get(i)[0] ^= 16;
        rejected(at + " bit 4 of proof[" + i + "]", () -> consistency(m, n, root1, root2, flipped));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void sizeZeroAndEqualSizesFollowTheirOwnRules(int size) throws ProofException {
    byte[] root = ROOTS.get(size);
    ProofVerifier.verifyConsistency(hasher, size, size, root, root, List.of());
    ProofVerifier.verifyConsistency(hasher, 0, size, ROOTS.get(0), root, List.of());
    rejected(
        "proof for equal sizes", () -> consistency(size, size, root, root, List.of(ROOTS.get(0))));
    rejected("roots differ", () -> consistency(size, size, ROOTS.get(0), SOME_HASH, List.of()));
    rejected(
        "proof from size 0", () -> consistency(0, size, ROOTS.get(0), root, List.of(ROOTS.get(0))));
    // Stricter than verify_test.go, which accepts any old root for size 0.
    rejected("old root of size 0", () -> consistency(0, size, SOME_HASH, root, List.of()));
  }

  @Test
  void inclusionProbesOfVerifyTestGoAreRejected() {
    // TestVerifyInclusion's probes: index and size pairs that no empty proof can satisfy.
    long[][] probes = {{0, 0}, {0, 1}, {1, 0}, {2, 1}};
    for (long[] probe : probes) {
      String at = probe[0] + "/" + probe[1];
      rejected(
          at + " empty root",
          () -> inclusion(probe[0], probe[1], SOME_HASH, List.of(), new byte[0]));
      rejected(
          at + " empty leaf",
          () -> inclusion(probe[0], probe[1], new byte[0], List.of(), ROOTS.get(0)));
      rejected(
          at + " other root",
          () -> inclusion(probe[0], probe[1], SOME_HASH, List.of(), ROOTS.get(0)));
    }
  }

  private void inclusion(long index, long size, byte[] leaf, List<byte[]> proof, byte[] root)
      throws ProofException {
    ProofVerifier.verifyInclusion(hasher, index, size, leaf, proof, root);
  }

  private void consistency(long m, long n, byte[] root1, byte[] root2, List<byte[]> proof)
      throws ProofException {
    ProofVerifier.verifyConsistency(hasher, m, n, root1, root2, proof);
  }

  @FunctionalInterface
  private interface Verification {
    void run() throws ProofException;
  }

  private static void rejected(String what, Verification verification) {
    assertThatThrownBy(verification::run).as(what).isInstanceOf(ProofException.class);
  }

  private static List<byte[]> plus(List<byte[]> proof, byte[] last) {
    List<byte[]> copy = new ArrayList<>(proof);
    copy.add(last);
    return copy;
  }

  private static List<byte[]> plus(byte[] first, List<byte[]> proof) {
    List<byte[]> copy = new ArrayList<>(proof);
    copy.add(0, first);
    return copy;
  }

  private static List<byte[]> hex(String... hashes) {
    List<byte[]> bytes = new ArrayList<>();
    for (String hash : hashes) {
      bytes.add(HEX.parseHex(hash));
    }
    return List.copyOf(bytes);
  }
}
