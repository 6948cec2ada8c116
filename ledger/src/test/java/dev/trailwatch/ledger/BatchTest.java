package dev.trailwatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchTest {
  @TempDir Path dir;

  @Test
  void packedAndSeparatePayloadsAreStoredAlike() throws Exception {
    Random random = new Random(11);
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      byte[] p = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(900)];
      random.nextBytes(p);
      payloads.add(p);
    }
    // The first 1,000 packed in one array, the next 500 as separate arrays, the last 500 packed.
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    int[] ends = new int[payloads.size() + 5]; // longer than needed: only count ends are read
    for (int i = 0; i < payloads.size(); i++) {
      packed.writeBytes(payloads.get(i));
      ends[i] = packed.size();
    }
    byte[] data = packed.toByteArray();
    try (Ledger ledger =
        Ledger.open(LedgerConfig.of(dir).withMaxSegmentBytes(256 * 1024))) { // segments roll
      ledger.appendAsync(Batch.packed(data, ends, 1_000)).get();
      ledger.appendAsync(Batch.of(payloads.subList(1_000, 1_500))).get();
      int[] rest = new int[500];
      int base = ends[1_499];
      for (int i = 0; i < 500; i++) {
        rest[i] = ends[1_500 + i] - base;
      }
      byte[] tail = java.util.Arrays.copyOfRange(data, base, data.length);
      assertThat(ledger.appendAsync(Batch.packed(tail, rest, 500)).get())
          .isEqualTo(new SeqRange(1_500, 500));
    }
    try (LedgerReader reader = LedgerReader.open(dir);
        EntryIterator it = reader.entries(0)) {
      for (int i = 0; i < payloads.size(); i++) {
        assertThat(it.next()).isTrue();
        assertThat(it.entry().payload()).as("entry %d", i).isEqualTo(payloads.get(i));
      }
      assertThat(it.next()).isFalse();
    }
    assertThat(
            Verifier.verify(
                    new Verifier.Options(
                        dir, java.util.Optional.empty(), java.util.Optional.empty(), (d, t) -> {}))
                .problems())
        .isEmpty();
  }

  @Test
  void packingThatDoesNotFitIsRefused() {
    byte[] data = new byte[10];
    assertThatThrownBy(() -> Batch.packed(data, new int[] {4, 3}, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("entry 1 ends at 3");
    assertThatThrownBy(() -> Batch.packed(data, new int[] {11}, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Batch.packed(data, new int[] {1}, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Batch.packed(data, new int[] {0, 10}, 2).size()).isEqualTo(2);
  }
}
