package dev.trailwatch.ledger.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 6962 section 2.1 / RFC 9162 section 2.1 written as literally as possible: MTH, PATH and
 * SUBPROOF as recursions over sublists of leaf data, hashing with a MessageDigest of its own.
 * Deliberately slow and simple, and sharing no code with the package under test, so that the two
 * cannot be wrong in the same way.
 */
final class ReferenceTree {

  private ReferenceTree() {}

  /** MTH({d(0)}) = SHA-256(0x00 || d(0)). */
  static byte[] leafHash(byte[] data) {
    return sha256(new byte[] {0x00}, data);
  }

  /** MTH(D[n]), the Merkle Tree Hash of the list. */
  static byte[] mth(List<byte[]> d) {
    int n = d.size();
    if (n == 0) {
      return sha256();
    }
    if (n == 1) {
      return leafHash(d.get(0));
    }
    int k = largestPowerOfTwoLessThan(n);
    return sha256(new byte[] {0x01}, mth(d.subList(0, k)), mth(d.subList(k, n)));
  }

  /** PATH(m, D[n]), the audit path of leaf m. */
  static List<byte[]> path(int m, List<byte[]> d) {
    int n = d.size();
    if (n == 1) {
      return new ArrayList<>();
    }
    int k = largestPowerOfTwoLessThan(n);
    List<byte[]> path;
    if (m < k) {
      path = path(m, d.subList(0, k));
      path.add(mth(d.subList(k, n)));
    } else {
      path = path(m - k, d.subList(k, n));
      path.add(mth(d.subList(0, k)));
    }
    return path;
  }

  /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true), the consistency proof from size m. */
  static List<byte[]> proof(int m, List<byte[]> d) {
    return subproof(m, d, true);
  }

  private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
    int n = d.size();
    if (m == n) {
      List<byte[]> proof = new ArrayList<>();
      if (!b) {
        proof.add(mth(d));
      }
      return proof;
    }
    int k = largestPowerOfTwoLessThan(n);
    List<byte[]> proof;
    if (m <= k) {
      proof = subproof(m, d.subList(0, k), b);
      proof.add(mth(d.subList(k, n)));
    } else {
      proof = subproof(m - k, d.subList(k, n), false);
      proof.add(mth(d.subList(0, k)));
    }
    return proof;
  }

  /** Every perfect subtree of the tree over d, by its (level, index), with its MTH. */
  static Map<Node, byte[]> perfectNodes(List<byte[]> d) {
    Map<Node, byte[]> nodes = new LinkedHashMap<>();
    for (int level = 0; (1 << level) <= d.size(); level++) {
      int width = 1 << level;
      for (int index = 0; (index + 1) * width <= d.size(); index++) {
        nodes.put(new Node(level, index), mth(d.subList(index * width, (index + 1) * width)));
      }
    }
    return nodes;
  }

  private static int largestPowerOfTwoLessThan(int n) {
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return k;
  }

  /** SHA-256 of the concatenated parts. */
  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
