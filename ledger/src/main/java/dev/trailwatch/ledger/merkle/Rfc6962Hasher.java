package dev.trailwatch.ledger.merkle;

import static java.util.Objects.checkFromIndexSize;
import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The RFC 6962 / RFC 9162 Merkle tree hashes over SHA-256.
 *
 * <ul>
 *   <li>empty tree: {@code SHA-256()} (no input);
 *   <li>leaf: {@code SHA-256(0x00 || data)};
 *   <li>interior node: {@code SHA-256(0x01 || left || right)}, where {@code left} and {@code right}
 *       are {@value #HASH_SIZE}-byte hashes.
 * </ul>
 *
 * <p>The {@code void} methods write the hash into a caller's array and allocate nothing; they are
 * the ones to use on the append path. Their output range may overlap their input: all input is
 * consumed before the output is written.
 *
 * <p>Not thread-safe: an instance owns one {@link MessageDigest}. Give each thread its own, with
 * {@link #create()}; creating one is cheap.
 */
public final class Rfc6962Hasher {

  /** The size in bytes of every hash in the tree. */
  public static final int HASH_SIZE = 32;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  /**
   * Leaves up to this size are hashed with one {@code update}, from {@link #scratch}: each call
   * into {@link MessageDigest} costs more than copying a few hundred bytes (12-16% of the
   * leaf-and-node rate for 300-byte records, docs/BENCHMARKS.md). Longer leaves are hashed in
   * place.
   */
  private static final int SCRATCH_LEAF_MAX = 4096;

  private final MessageDigest sha256;

  /** The prefix byte followed by the input of one hash. */
  private final byte[] scratch = new byte[1 + SCRATCH_LEAF_MAX];

  private Rfc6962Hasher(MessageDigest sha256) {
    this.sha256 = sha256;
  }

  /** Returns a new hasher. */
  public static Rfc6962Hasher create() {
    try {
      return new Rfc6962Hasher(MessageDigest.getInstance("SHA-256"));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest Javadoc).
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }

  /** Returns the root hash of the empty tree: {@code SHA-256()}, e3b0c442…b855. */
  public byte[] emptyRoot() {
    return sha256.digest();
  }

  /** Returns {@code SHA-256(0x00 || data)}. */
  public byte[] hashLeaf(byte[] data) {
    return hashLeaf(data, 0, data.length);
  }

  /** Returns {@code SHA-256(0x00 || data[off, off + len))}. */
  public byte[] hashLeaf(byte[] data, int off, int len) {
    byte[] out = new byte[HASH_SIZE];
    hashLeaf(data, off, len, out, 0);
    return out;
  }

  /**
   * Returns {@code SHA-256(0x00 || the bytes from position to limit)}. The buffer's position is
   * left unchanged (it is moved while hashing, so the buffer must not be shared with another thread
   * meanwhile).
   */
  public byte[] hashLeaf(ByteBuffer data) {
    int position = data.position();
    sha256.update(LEAF_PREFIX);
    sha256.update(data);
    data.position(position);
    return sha256.digest();
  }

  /**
   * Writes {@code SHA-256(0x00 || data[off, off + len))} to {@code out[outOff, outOff + 32)}.
   * Allocates nothing.
   *
   * @throws IndexOutOfBoundsException if a range is outside its array; nothing is written then
   */
  public void hashLeaf(byte[] data, int off, int len, byte[] out, int outOff) {
    checkFromIndexSize(off, len, data.length);
    checkFromIndexSize(outOff, HASH_SIZE, out.length);
    if (len <= SCRATCH_LEAF_MAX) {
      scratch[0] = LEAF_PREFIX;
      System.arraycopy(data, off, scratch, 1, len);
      sha256.update(scratch, 0, 1 + len);
    } else {
      sha256.update(LEAF_PREFIX);
      sha256.update(data, off, len);
    }
    finish(out, outOff);
  }

  /**
   * Returns {@code SHA-256(0x01 || left || right)}.
   *
   * @throws IllegalArgumentException if either array is not {@value #HASH_SIZE} bytes long
   */
  public byte[] hashChildren(byte[] left, byte[] right) {
    requireHash(left, "left");
    requireHash(right, "right");
    byte[] out = new byte[HASH_SIZE];
    hashChildren(left, 0, right, 0, out, 0);
    return out;
  }

  /**
   * Writes {@code SHA-256(0x01 || left[leftOff, +32) || right[rightOff, +32))} to {@code
   * out[outOff, outOff + 32)}. Allocates nothing. The output may overlap either input, so {@code
   * hashChildren(stack, i, stack, i + 32, stack, i)} merges two adjacent hashes in place.
   *
   * @throws IndexOutOfBoundsException if a range is outside its array; nothing is written then
   */
  public void hashChildren(
      byte[] left, int leftOff, byte[] right, int rightOff, byte[] out, int outOff) {
    checkFromIndexSize(leftOff, HASH_SIZE, left.length);
    checkFromIndexSize(rightOff, HASH_SIZE, right.length);
    checkFromIndexSize(outOff, HASH_SIZE, out.length);
    scratch[0] = NODE_PREFIX;
    System.arraycopy(left, leftOff, scratch, 1, HASH_SIZE);
    System.arraycopy(right, rightOff, scratch, 1 + HASH_SIZE, HASH_SIZE);
    sha256.update(scratch, 0, 1 + 2 * HASH_SIZE);
    finish(out, outOff);
  }

  private void finish(byte[] out, int outOff) {
    try {
      sha256.digest(out, outOff, HASH_SIZE);
    } catch (DigestException e) {
      // Only thrown for an output range that is too small, which the callers have ruled out.
      throw new IllegalStateException("SHA-256 refused a 32-byte output range", e);
    }
  }

  /** Throws unless {@code hash} is a {@value #HASH_SIZE}-byte array. */
  static byte[] requireHash(byte[] hash, String name) {
    requireNonNull(hash, name);
    if (hash.length != HASH_SIZE) {
      throw new IllegalArgumentException(
          name + " has " + hash.length + " bytes, expected " + HASH_SIZE);
    }
    return hash;
  }

  @Override
  public String toString() {
    return "Rfc6962Hasher[SHA-256]";
  }
}
