package dev.trailwatch.app.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The {@code event.id}s of the latest stored events, so that a retried batch is not stored twice.
 * Bounded: it remembers the last {@code capacity} ids, oldest forgotten first.
 *
 * <p>Ids are kept as 64-bit hashes (the first 8 bytes of SHA-256 of tenant and id) in an
 * open-addressing table, 16 bytes per id plus 8 for the eviction ring: a million ids take 24 MB.
 * Two different ids share a hash with probability about n²/2⁶⁵ (3·10⁻⁸ for a million), in which
 * case the second would be reported as a duplicate; that is the price of the bound.
 *
 * <p>An id is first reserved, before its batch is appended, so that concurrent requests carrying
 * the same id store it once; the reservation is then committed with its sequence number, or
 * released if the append fails. Thread-safe (one lock: the critical sections are a few probes).
 */
final class RecentEventIds {
  /** The value of a reserved id whose batch is not durable yet. */
  static final long PENDING = -1;

  private static final long EMPTY = 0; // hashes are never 0 (see hash())

  private final int capacity;
  private final long[] keys;
  private final long[] values;
  private final int mask;
  private final long[] ring; // insertion order, for eviction
  private int ringHead;
  private int size;

  RecentEventIds(int capacity) {
    this.capacity = capacity;
    int tableSize = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1) << 1;
    this.keys = new long[capacity == 0 ? 1 : tableSize];
    this.values = new long[keys.length];
    this.mask = keys.length - 1;
    this.ring = new long[Math.max(1, capacity)];
  }

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  /** The hash under which an id is kept. */
  static long hash(String tenant, String id) {
    {
      MessageDigest sha = SHA256.get();
      sha.update(tenant.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      byte[] d = sha.digest(id.getBytes(StandardCharsets.UTF_8));
      long h = 0;
      for (int i = 0; i < 8; i++) {
        h = (h << 8) | (d[i] & 0xff);
      }
      return h == EMPTY ? 1 : h;
    }
  }

  /**
   * Reserves an id. Returns empty when it was not known (it is now reserved), or the sequence
   * number it was stored under ({@link #PENDING} while its batch is still being written).
   */
  synchronized Optional<Long> reserve(long hash) {
    if (capacity == 0) {
      return Optional.empty();
    }
    int slot = find(hash);
    if (keys[slot] == hash) {
      return Optional.of(values[slot]);
    }
    if (size == capacity) {
      delete(ring[ringHead]);
      size--;
    }
    insertAt(slot(hash), hash, PENDING);
    ring[ringHead] = hash;
    ringHead = (ringHead + 1) % capacity;
    size++;
    return Optional.empty();
  }

  /** Records where a reserved id was stored. */
  synchronized void commit(long hash, long seq) {
    int slot = find(hash);
    if (keys[slot] == hash) {
      values[slot] = seq;
    }
  }

  /** Forgets a reservation whose batch was not stored. */
  synchronized void release(long hash) {
    int slot = find(hash);
    if (keys[slot] == hash && values[slot] == PENDING) {
      delete(hash);
      // Its ring slot stays taken until it comes round: the table forgets a little early, never
      // remembers too long.
    }
  }

  /** Records an id found while replaying the ledger at start-up. */
  synchronized void remember(long hash, long seq) {
    if (reserve(hash).isEmpty()) {
      commit(hash, seq);
    }
  }

  /** How many ids are remembered (reserved or committed). */
  synchronized int size() {
    int n = 0;
    for (long k : keys) {
      if (k != EMPTY) {
        n++;
      }
    }
    return n;
  }

  private int slot(long hash) {
    return (int) (hash ^ (hash >>> 32)) & mask;
  }

  /** The slot holding {@code hash}, or the empty slot where it would go. */
  private int find(long hash) {
    int i = slot(hash);
    while (keys[i] != EMPTY && keys[i] != hash) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private void insertAt(int start, long hash, long value) {
    int i = start;
    while (keys[i] != EMPTY) {
      i = (i + 1) & mask;
    }
    keys[i] = hash;
    values[i] = value;
  }

  /** Linear-probing deletion with backward shift (no tombstones); absent hashes are ignored. */
  private void delete(long hash) {
    int i = find(hash);
    if (keys[i] != hash) {
      return;
    }
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (keys[j] == EMPTY) {
        break;
      }
      int home = slot(keys[j]);
      // Move keys[j] back to i if its home is not cyclically within (i, j].
      boolean between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!between) {
        keys[i] = keys[j];
        values[i] = values[j];
        i = j;
      }
    }
    keys[i] = EMPTY;
    values[i] = 0;
  }
}
