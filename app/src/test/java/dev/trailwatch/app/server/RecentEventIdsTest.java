package dev.trailwatch.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The open-addressing table against a plain model (a map and a FIFO of insertions), with keys
 * chosen to collide in the table's slots so that backward-shift deletion is exercised.
 */
class RecentEventIdsTest {
  @Test
  void behavesLikeABoundedFifoMap() {
    long seed = Long.getLong("trailwatch.seed", System.nanoTime());
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 50; round++) {
      int capacity = 1 + random.nextInt(40);
      RecentEventIds table = new RecentEventIds(capacity);
      Map<Long, Long> model = new HashMap<>();
      ArrayDeque<Long> order = new ArrayDeque<>(); // ring slots in insertion order
      for (int step = 0; step < 2_000; step++) {
        // Few distinct keys, many sharing low bits: long probe chains.
        long key = 1 + (random.nextInt(64) << 20) + random.nextInt(3);
        int op = random.nextInt(10);
        String ctx = "seed " + seed + " round " + round + " step " + step;
        if (op < 6) {
          Optional<Long> got = table.reserve(key);
          if (model.containsKey(key)) {
            assertThat(got).as(ctx).hasValue(model.get(key));
          } else {
            assertThat(got).as(ctx).isEmpty();
            if (order.size() == capacity) {
              model.remove(order.removeFirst());
            }
            model.put(key, RecentEventIds.PENDING);
            order.addLast(key);
          }
        } else if (op < 9) {
          long seq = random.nextInt(1_000_000);
          table.commit(key, seq);
          model.computeIfPresent(key, (k, v) -> seq);
        } else {
          table.release(key);
          if (model.get(key) != null && model.get(key) == RecentEventIds.PENDING) {
            model.remove(key); // its slot in order stays taken, as in the table
          }
        }
        assertThat(table.size()).as(ctx).isEqualTo(model.size());
      }
      for (Map.Entry<Long, Long> e : model.entrySet()) {
        assertThat(table.reserve(e.getKey())).hasValue(e.getValue());
      }
    }
  }

  @Test
  void zeroCapacityRemembersNothing() {
    RecentEventIds table = new RecentEventIds(0);
    assertThat(table.reserve(5)).isEmpty();
    assertThat(table.reserve(5)).isEmpty();
  }

  @Test
  void hashesDependOnTenantAndId() {
    assertThat(RecentEventIds.hash("", "a")).isNotEqualTo(RecentEventIds.hash("a", ""));
    assertThat(RecentEventIds.hash("t", "id")).isEqualTo(RecentEventIds.hash("t", "id"));
  }
}
