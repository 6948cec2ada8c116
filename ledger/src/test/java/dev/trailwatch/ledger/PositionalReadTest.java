package dev.trailwatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LedgerReader#read(long, long)}: the offset is a hint that may be wrong in every way, and a
 * wrong hint must cost time, never a wrong entry.
 */
class PositionalReadTest {
  private static final long SEED = TestSeeds.seed();

  static {
    System.out.println("PositionalReadTest seed: " + SEED + " (replay: -Dtests.seed=" + SEED + ")");
  }

  @TempDir Path dir;

  /** Appends {@code n} entries in small segments; returns every entry with its offset, by scan. */
  private List<Entry> ledgerOf(int n) throws Exception {
    try (Ledger ledger = Ledger.open(LedgerConfig.of(dir).withMaxSegmentBytes(4096))) {
      ledger.append(LedgerTest.payloads(0, n));
    }
    List<Entry> all = new ArrayList<>();
    try (LedgerReader reader = LedgerReader.open(dir);
        EntryIterator it = reader.entries(0)) {
      while (it.next()) {
        all.add(it.entry());
      }
    }
    assertThat(all).hasSize(n);
    return all;
  }

  private static void assertSameEntry(Optional<Entry> got, Entry expected) {
    assertThat(got).as("entry %d", expected.seq()).isPresent();
    assertThat(got.get().seq()).isEqualTo(expected.seq());
    assertThat(got.get().ingestNanos()).isEqualTo(expected.ingestNanos());
    assertThat(got.get().payload()).isEqualTo(expected.payload());
    assertThat(got.get().offset()).isEqualTo(expected.offset());
  }

  @Test
  void everyEntryIsFoundAtItsOffsetAcrossSegments() throws Exception {
    List<Entry> all = ledgerOf(600);
    assertThat(all.get(0).offset()).isEqualTo(SegmentFormat.HEADER_SIZE);
    try (LedgerReader reader = LedgerReader.open(dir)) {
      for (Entry e : all) {
        assertSameEntry(reader.read(e.seq(), e.offset()), e);
      }
      assertThat(reader.openSegmentChannels()).isGreaterThan(1);
    }
  }

  @Test
  void wrongHintsFallBackToTheRightEntry() throws Exception {
    List<Entry> all = ledgerOf(400);
    SplittableRandom random = new SplittableRandom(SEED);
    try (LedgerReader reader = LedgerReader.open(dir)) {
      for (int i = 0; i < 300; i++) {
        Entry e = all.get(random.nextInt(all.size()));
        Entry other = all.get(random.nextInt(all.size()));
        long size = Files.size(segmentOf(reader, e.seq()));
        long[] hints = {
          other.offset(), // another entry's record: its seq differs
          e.offset() + 1 + random.nextInt(40), // inside the record
          e.offset() - 1,
          0,
          7,
          -1,
          Long.MIN_VALUE,
          size, // at the end of the file
          size - 3,
          size + 4096, // past it
          Long.MAX_VALUE,
          random.nextLong(0, size)
        };
        for (long hint : hints) {
          assertSameEntry(reader.read(e.seq(), hint), e);
        }
      }
    }
  }

  @Test
  void entriesThatDoNotExistAreEmptyWhateverTheHint() throws Exception {
    List<Entry> all = ledgerOf(50);
    try (LedgerReader reader = LedgerReader.open(dir)) {
      for (Entry e : all) {
        assertThat(reader.read(50, e.offset())).isEmpty();
        assertThat(reader.read(-1, e.offset())).isEmpty();
        assertThat(reader.read(Long.MAX_VALUE, e.offset())).isEmpty();
      }
    }
  }

  @Test
  void aDamagedRecordIsNeverReturned() throws Exception {
    List<Entry> all = ledgerOf(100);
    Entry victim = all.get(37);
    Path seg;
    try (LedgerReader reader = LedgerReader.open(dir)) {
      seg = segmentOf(reader, victim.seq());
    }
    flipByte(seg, victim.offset() + SegmentFormat.RECORD_PREFIX + 2); // in the payload
    try (LedgerReader reader = LedgerReader.open(dir)) {
      assertThat(reader.read(victim.seq(), victim.offset())).isEmpty();
      assertThat(reader.read(victim.seq())).isEmpty();
    }
  }

  @Test
  void aForgedSequenceNumberIsNotTakenForAnother() throws Exception {
    List<Entry> all = ledgerOf(100);
    Entry e = all.get(10);
    Entry next = all.get(11);
    try (LedgerReader reader = LedgerReader.open(dir)) {
      // The hint of entry 11 asked as entry 10: a valid record, but not entry 10.
      assertSameEntry(reader.read(e.seq(), next.offset()), e);
      assertSameEntry(reader.read(next.seq(), e.offset()), next);
    }
  }

  @Test
  void aTornTailIsNotAnEntry() throws Exception {
    List<Entry> all = ledgerOf(120);
    Entry last = all.get(all.size() - 1);
    Path seg;
    try (LedgerReader reader = LedgerReader.open(dir)) {
      seg = segmentOf(reader, last.seq());
    }
    long end = Files.size(seg);
    // A record of entry 120 whose write was cut short: its prefix is there, its CRC is not.
    byte[] torn = new byte[SegmentFormat.RECORD_PREFIX + 5];
    SegmentFormat.putInt(torn, 0, 40);
    SegmentFormat.putLong(torn, 4, 120);
    SegmentFormat.putLong(torn, 12, last.ingestNanos() + 1);
    Files.write(seg, torn, StandardOpenOption.APPEND);
    try (LedgerReader reader = LedgerReader.open(dir)) {
      assertThat(reader.read(120, end)).isEmpty();
      assertSameEntry(reader.read(last.seq(), last.offset()), last);
    }
    // The last record itself cut in the middle.
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(last.offset() + SegmentFormat.RECORD_PREFIX + 3);
    }
    try (LedgerReader reader = LedgerReader.open(dir)) {
      assertThat(reader.read(last.seq(), last.offset())).isEmpty();
      assertThat(reader.read(last.seq())).isEmpty();
      Entry before = all.get(all.size() - 2);
      assertSameEntry(reader.read(before.seq(), before.offset()), before);
    }
  }

  @Test
  void aLiveReaderSeesOnlyDurableEntries() throws Exception {
    try (Ledger ledger = Ledger.open(LedgerConfig.of(dir).withMaxSegmentBytes(4096));
        LedgerReader reader = ledger.reader()) {
      ledger.append(LedgerTest.payloads(0, 30));
      Entry e;
      try (EntryIterator it = reader.entries(29)) {
        assertThat(it.next()).isTrue();
        e = it.entry();
      }
      assertSameEntry(reader.read(29, e.offset()), e);
      assertThat(reader.read(30, e.offset())).isEmpty();
      ledger.append(LedgerTest.payloads(30, 1));
      assertThat(reader.read(30, -1)).map(Entry::seq).contains(30L);
    }
  }

  @Test
  void concurrentReadsWithInterruptsAndManySegmentsStayCorrect() throws Exception {
    List<Entry> all = ledgerOf(3000);
    try (LedgerReader reader = LedgerReader.open(dir)) {
      assertThat(reader.segments().all().size()).isGreaterThan(PositionalReads.MAX_OPEN);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          long seed = SEED + t;
          done.add(
              pool.submit(
                  () -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    int checked = 0;
                    for (int i = 0; i < 3000; i++) {
                      Entry e = all.get(random.nextInt(all.size()));
                      if (random.nextInt(50) == 0) {
                        Thread.currentThread().interrupt(); // closes the channel under the others
                      }
                      Optional<Entry> got;
                      try {
                        got = reader.read(e.seq(), e.offset());
                      } catch (IOException interrupted) {
                        assertThat(Thread.interrupted()).as("only an interrupt may fail").isTrue();
                        continue;
                      }
                      Thread.interrupted();
                      assertSameEntry(got, e);
                      checked++;
                    }
                    return checked;
                  }));
        }
        int checked = 0;
        for (Future<Integer> f : done) {
          checked += f.get();
        }
        assertThat(checked).as("seed %d", SEED).isGreaterThan(4 * 2500);
      } finally {
        pool.shutdownNow();
      }
      assertThat(reader.openSegmentChannels()).isLessThanOrEqualTo(PositionalReads.MAX_OPEN);
    }
  }

  private static Path segmentOf(LedgerReader reader, long seq) {
    return reader.segments().floor(seq).orElseThrow().file();
  }

  private static void flipByte(Path file, long at) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x5a)).rewind();
      ch.write(b, at);
    }
  }
}
