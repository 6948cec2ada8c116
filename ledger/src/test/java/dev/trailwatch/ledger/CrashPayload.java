package dev.trailwatch.ledger;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The payloads the crash tests append. An appender cannot know the sequence numbers of a batch
 * before {@link Ledger#append} returns, so each payload is derived from what it does know, the
 * batch it belongs to, and names it in a header; whoever learns the batch's sequence numbers (the
 * parent reading the child's acknowledgements) can recompute every payload, and any entry found in
 * a ledger can be checked on its own.
 *
 * <pre>
 * payload = u32 run | u32 thread | u64 batch | u32 index in batch | u32 batch size | body
 * body    = pseudo-random bytes (0..100, or 0..5000 one time in 16) seeded by all of the above
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
final class CrashPayload {
  static final int HEADER = 24;

  /** Entry {@code index} of batch {@code batch} (of {@code count} entries) of an appender. */
  record Key(int run, int thread, long batch, int index, int count) {
    Key {
      if (index < 0 || index >= count) {
        throw new IllegalArgumentException("index " + index + " outside a batch of " + count);
      }
    }

    /** Whether {@code other} is the entry right after this one in the same batch. */
    boolean isFollowedBy(Key other) {
      return other.run == run
          && other.thread == thread
          && other.batch == batch
          && other.count == count
          && other.index == index + 1;
    }

    @Override
    public String toString() {
      return "run "
          + run
          + " thread "
          + thread
          + " batch "
          + batch
          + " ["
          + index
          + "/"
          + count
          + "]";
    }
  }

  private CrashPayload() {}

  static byte[] of(long seed, Key key) {
    SplittableRandom random = new SplittableRandom(mix(seed, key));
    int length = random.nextInt(16) == 0 ? random.nextInt(5001) : random.nextInt(101);
    byte[] out = new byte[HEADER + length];
    SegmentFormat.putInt(out, 0, key.run());
    SegmentFormat.putInt(out, 4, key.thread());
    SegmentFormat.putLong(out, 8, key.batch());
    SegmentFormat.putInt(out, 16, key.index());
    SegmentFormat.putInt(out, 20, key.count());
    byte[] body = new byte[length];
    random.nextBytes(body);
    System.arraycopy(body, 0, out, HEADER, length);
    return out;
  }

  /** The key a payload names, if it is a crash payload whose bytes match what it names. */
  static Optional<Key> check(long seed, byte[] payload) {
    if (payload.length < HEADER) {
      return Optional.empty();
    }
    int index = SegmentFormat.getInt(payload, 16);
    int count = SegmentFormat.getInt(payload, 20);
    if (index < 0 || index >= count) {
      return Optional.empty();
    }
    Key key =
        new Key(
            SegmentFormat.getInt(payload, 0),
            SegmentFormat.getInt(payload, 4),
            SegmentFormat.getLong(payload, 8),
            index,
            count);
    return Arrays.equals(payload, of(seed, key)) ? Optional.of(key) : Optional.empty();
  }

  private static long mix(long seed, Key key) {
    long h = fmix(seed ^ 0x5851F42D4C957F2DL);
    h = fmix(h ^ key.run());
    h = fmix(h ^ ((long) key.thread() << 32 | key.index()));
    h = fmix(h ^ key.batch());
    return fmix(h ^ key.count());
  }

  /** MurmurHash3's 64-bit finaliser. */
  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb93fe51a4e53L;
    return k ^ (k >>> 33);
  }
}
