package dev.trailwatch.ledger.merkle;

import static dev.trailwatch.ledger.merkle.Rfc6962Hasher.HASH_SIZE;
import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Verifies inclusion and consistency proofs by the algorithms of RFC 9162 sections 2.1.3.2 and
 * 2.1.4.2.
 *
 * <p>Pure: it reads only its arguments and keeps nothing. The hasher is used, so the calling thread
 * must own it. A bad proof, a size that cannot be right or a hash that is not 32 bytes long is a
 * {@link ProofException}; a null argument is a {@link NullPointerException}.
 *
 * <p>Before running the RFC algorithm, each method checks that the proof has exactly the number of
 * hashes that the sizes call for, so that a truncated or padded proof is reported as such rather
 * than as a root mismatch. A proof binds a leaf or an old tree to a root, not to a size: that the
 * root belongs to the size is what a signed checkpoint vouches for.
 */
public final class ProofVerifier {

  private ProofVerifier() {}

  /**
   * Returns the root hash that the inclusion proof computes for the leaf with hash {@code leafHash}
   * at {@code index} in a tree of {@code size} leaves.
   *
   * @throws ProofException unless {@code 0 <= index < size}, the proof has the number of hashes
   *     that index and size call for, and every hash is 32 bytes long
   */
  public static byte[] rootFromInclusion(
      Rfc6962Hasher h, long index, long size, byte[] leafHash, List<byte[]> proof)
      throws ProofException {
    requireNonNull(h, "h");
    requireNonNull(proof, "proof");
    if (index < 0 || index >= size) {
      throw new ProofException("leaf index " + index + " is out of range for tree size " + size);
    }
    requireHash(leafHash, "leaf hash");
    int expected = inclusionProofLength(index, size);
    if (proof.size() != expected) {
      throw new ProofException(
          "inclusion proof has "
              + hashes(proof.size())
              + ", expected "
              + expected
              + " for index "
              + index
              + " in tree size "
              + size);
    }
    requireHashes(proof, "inclusion proof");

    // RFC 9162 section 2.1.3.2, steps 2 to 4.
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash.clone();
    for (byte[] p : proof) {
      if (sn == 0) {
        // Unreachable after the length check; kept so that the loop is the RFC's.
        throw new ProofException("inclusion proof is longer than tree size " + size + " allows");
      }
      if ((fn & 1) == 1 || fn == sn) {
        h.hashChildren(p, 0, r, 0, r, 0);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        h.hashChildren(r, 0, p, 0, r, 0);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new ProofException("inclusion proof is shorter than tree size " + size + " needs");
    }
    return r;
  }

  /**
   * Verifies that the leaf with hash {@code leafHash} is at {@code index} in the tree of {@code
   * size} leaves whose root hash is {@code expectedRoot}.
   *
   * @throws ProofException if the proof is malformed (see {@link #rootFromInclusion}), or computes
   *     another root than {@code expectedRoot}
   */
  public static void verifyInclusion(
      Rfc6962Hasher h,
      long index,
      long size,
      byte[] leafHash,
      List<byte[]> proof,
      byte[] expectedRoot)
      throws ProofException {
    requireHash(expectedRoot, "root");
    byte[] actual = rootFromInclusion(h, index, size, leafHash, proof);
    if (!MessageDigest.isEqual(expectedRoot, actual)) {
      throw new ProofException(
          "root mismatch for leaf index "
              + index
              + " in tree size "
              + size
              + ": expected="
              + hex(expectedRoot)
              + ", actual="
              + hex(actual));
    }
  }

  /**
   * Verifies that the tree of {@code oldSize} leaves with root {@code oldRoot} is a prefix of the
   * tree of {@code newSize} leaves with root {@code newRoot}.
   *
   * <p>For equal sizes the proof must be empty and the roots equal. For old size 0 the proof must
   * be empty and the old root must be the empty-tree hash (stricter than transparency-dev/merkle,
   * which accepts any old root for size 0): every tree extends the empty tree.
   *
   * @throws ProofException unless {@code 0 <= oldSize <= newSize}, the proof has the number of
   *     hashes that the sizes call for, every hash is 32 bytes long, and the proof computes both
   *     roots
   */
  public static void verifyConsistency(
      Rfc6962Hasher h,
      long oldSize,
      long newSize,
      byte[] oldRoot,
      byte[] newRoot,
      List<byte[]> proof)
      throws ProofException {
    requireNonNull(h, "h");
    requireNonNull(proof, "proof");
    if (oldSize < 0 || oldSize > newSize) {
      throw new ProofException(
          "tree sizes must have 0 <= old size <= new size, got old size "
              + oldSize
              + " and new size "
              + newSize);
    }
    requireHash(oldRoot, "old root");
    requireHash(newRoot, "new root");
    int expected = consistencyProofLength(oldSize, newSize);
    if (proof.size() != expected) {
      throw new ProofException(
          "consistency proof has "
              + hashes(proof.size())
              + ", expected "
              + expected
              + " for tree sizes "
              + oldSize
              + " -> "
              + newSize);
    }
    requireHashes(proof, "consistency proof");
    if (oldSize == 0) {
      requireRoot(h.emptyRoot(), oldRoot, "old root", 0);
    }
    if (oldSize == newSize) {
      requireRoot(oldRoot, newRoot, "new root", newSize);
      return;
    }
    if (oldSize == 0) {
      return;
    }

    // RFC 9162 section 2.1.4.2, steps 2 to 7. Step 2 prepends oldRoot when oldSize is a power of
    // two: the proof then starts at the old root instead of at proof.get(0).
    boolean prepend = Long.bitCount(oldSize) == 1;
    byte[] first = prepend ? oldRoot : proof.get(0);
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = first.clone();
    byte[] sr = first.clone();
    for (int i = prepend ? 0 : 1; i < proof.size(); i++) {
      byte[] c = proof.get(i);
      if (sn == 0) {
        // Unreachable after the length check; kept so that the loop is the RFC's.
        throw new ProofException(
            "consistency proof is longer than tree sizes " + oldSize + " -> " + newSize + " allow");
      }
      if ((fn & 1) == 1 || fn == sn) {
        h.hashChildren(c, 0, fr, 0, fr, 0);
        h.hashChildren(c, 0, sr, 0, sr, 0);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        h.hashChildren(sr, 0, c, 0, sr, 0);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new ProofException(
          "consistency proof is shorter than tree sizes " + oldSize + " -> " + newSize + " need");
    }
    requireRoot(oldRoot, fr, "old root", oldSize);
    requireRoot(newRoot, sr, "new root", newSize);
  }

  /** The length of PATH(index, D[0:size]): one hash per level of the RFC recursion. */
  static int inclusionProofLength(long index, long size) {
    int length = 0;
    long n = size;
    long m = index;
    while (n > 1) {
      long k = Long.highestOneBit(n - 1);
      if (m < k) {
        n = k;
      } else {
        m -= k;
        n -= k;
      }
      length++;
    }
    return length;
  }

  /** The length of PROOF(oldSize, D[0:newSize]), following SUBPROOF's recursion. */
  static int consistencyProofLength(long oldSize, long newSize) {
    if (oldSize == 0 || oldSize == newSize) {
      return 0;
    }
    int length = 0;
    long n = newSize;
    long m = oldSize;
    boolean wholeOldTree = true;
    while (m < n) {
      long k = Long.highestOneBit(n - 1);
      if (m <= k) {
        n = k;
      } else {
        m -= k;
        n -= k;
        wholeOldTree = false;
      }
      length++;
    }
    return wholeOldTree ? length : length + 1;
  }

  private static void requireRoot(byte[] expected, byte[] actual, String what, long size)
      throws ProofException {
    if (!MessageDigest.isEqual(expected, actual)) {
      throw new ProofException(
          what
              + " mismatch at tree size "
              + size
              + ": expected="
              + hex(expected)
              + ", actual="
              + hex(actual));
    }
  }

  private static void requireHashes(List<byte[]> proof, String what) throws ProofException {
    for (int i = 0; i < proof.size(); i++) {
      requireHash(proof.get(i), what + " hash " + i);
    }
  }

  private static void requireHash(byte[] hash, String what) throws ProofException {
    requireNonNull(hash, what);
    if (hash.length != HASH_SIZE) {
      throw new ProofException(what + " has " + hash.length + " bytes, expected " + HASH_SIZE);
    }
  }

  private static String hashes(int count) {
    return count == 1 ? "1 hash" : count + " hashes";
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
