package dev.trailwatch.search.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.EventJson;
import dev.trailwatch.event.SystemEntry;
import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import dev.trailwatch.ledger.Entry;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import dev.trailwatch.ledger.LedgerReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The indexer against a real ledger: every event indexed exactly once, other entries skipped, a
 * crash resumed from the committed cursor, an index that cannot be continued rebuilt, and the lag.
 */
class IndexerTest {
  static final long SEED = Long.getLong("tests.seed", new SplittableRandom().nextLong());
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  @TempDir Path dir;
  EventGenerator generator;

  /** Small chunks and frequent commits, so that a few thousand entries exercise both. */
  static final IndexerConfig CONFIG =
      IndexerConfig.defaults()
          .withThreads(2)
          .withRamBufferMb(16)
          .withChunk(97)
          .withCommitEvery(1000, Duration.ofSeconds(30))
          .withRefreshInterval(Duration.ZERO);

  @BeforeEach
  void setUp() {
    System.out.println("IndexerTest seed: " + SEED + " (replay: -Dtests.seed=" + SEED + ")");
    generator = new EventGenerator(SEED, GeneratorConfig.defaults().withEvents(10_000));
  }

  Ledger openLedger() throws IOException {
    return Ledger.open(LedgerConfig.of(dir).withClock(InstantSource.fixed(T0)));
  }

  /** Appends {@code n} events, and a non-event entry after every {@code every}-th; the count. */
  long append(Ledger ledger, int n, int every) throws Exception {
    List<byte[]> batch = new ArrayList<>();
    long others = 0;
    for (int i = 0; i < n; i++) {
      batch.add(EventJson.canonical(generator.next()));
      if (every > 0 && i % every == every - 1) {
        batch.add(
            (i / every) % 2 == 0
                ? ("{\"system\":\"drill " + i + "\"}").getBytes(StandardCharsets.UTF_8)
                : SystemEntry.search("t", T0, "user.name:x", T0, T0, i).toJson());
        others++;
      }
    }
    ledger.append(batch);
    return others;
  }

  void awaitCaughtUp(Indexer indexer, Ledger ledger) throws Exception {
    assertThat(indexer.awaitPosition(ledger.size(), Duration.ofMinutes(2)))
        .as("caught up with %d entries", ledger.size())
        .isTrue();
  }

  /** Sequence number to number of documents holding it, from the {@code _seq} doc values. */
  static Map<Long, Integer> seqs(SearchIndex index) throws IOException {
    index.refresh();
    Map<Long, Integer> out = new HashMap<>();
    IndexSearcher s = index.acquire();
    try {
      for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
        SortedNumericDocValues values = leaf.reader().getSortedNumericDocValues(IndexFields.SEQ);
        var live = leaf.reader().getLiveDocs();
        for (int doc = values.nextDoc();
            doc != NumericDocValues.NO_MORE_DOCS;
            doc = values.nextDoc()) {
          if (live == null || live.get(doc)) {
            out.merge(values.nextValue(), 1, Integer::sum);
          }
        }
      }
    } finally {
      index.release(s);
    }
    return out;
  }

  static void assertExactlyOnce(Map<Long, Integer> seqs, long ledgerSize, long others) {
    assertThat(seqs)
        .as("seed %d: one document per event", SEED)
        .hasSize((int) (ledgerSize - others));
    assertThat(seqs.values()).as("seed %d: no entry twice", SEED).allMatch(n -> n == 1);
    assertThat(seqs.keySet()).allMatch(s -> s >= 0 && s < ledgerSize);
  }

  @Test
  void indexesEveryEventOnceSkipsOtherEntriesAndFollowsTheLedger() throws Exception {
    try (Ledger ledger = openLedger()) {
      long others = append(ledger, 3000, 500);
      try (Indexer indexer = Indexer.start(ledger, CONFIG, InstantSource.fixed(T0))) {
        awaitCaughtUp(indexer, ledger);
        assertThat(indexer.skipped()).isEqualTo(others);
        assertThat(indexer.lag()).isEqualTo(Lag.NONE);
        others += append(ledger, 2500, 1000); // while it runs
        awaitCaughtUp(indexer, ledger);
        assertThat(indexer.indexed()).isEqualTo(ledger.size() - others);
        assertThat(indexer.rejected()).isZero();
        assertThat(indexer.lag()).isEqualTo(Lag.NONE);
        assertExactlyOnce(seqs(indexer.index()), ledger.size(), others);
        assertThat(indexer.index().documents()).isEqualTo(ledger.size() - others);
      }
      try (SearchIndex index = SearchIndex.open(dir, ledger.origin(), ledger.size(), CONFIG)) {
        assertThat(index.rebuilt()).isEmpty();
        assertThat(index.cursor()).as("close commits everything").isEqualTo(ledger.size());
        assertExactlyOnce(seqs(index), ledger.size(), others);
      }
    }
  }

  @Test
  void resumesFromTheCommittedCursorAfterACrashAndHoldsEveryEntryOnce() throws Exception {
    try (Ledger ledger = openLedger()) {
      append(ledger, 4000, 0);
      // A crash: entries 0-2999 added, a commit at cursor 2000 that also caught 2000-2999 (they
      // were being added), 3000-3999 added after it, then the process died before committing.
      try (SearchIndex index = SearchIndex.open(dir, ledger.origin(), ledger.size(), CONFIG);
          var entries = ledger.reader().entries(0)) {
        EventDocuments docs = new EventDocuments();
        for (long seq = 0; seq < 4000 && entries.next(); seq++) {
          index.add(docs.fields(seq, -1, EventJson.decodeCanonical(entries.entry().payload())));
          if (seq == 2999) {
            index.commit(2000);
          }
        }
      } // close() discards what was not committed, as a crash would
      try (SearchIndex index = SearchIndex.open(dir, ledger.origin(), ledger.size(), CONFIG)) {
        assertThat(index.cursor()).isEqualTo(2000);
        assertThat(seqs(index))
            .as("what the commit caught beyond its cursor is gone")
            .hasSize(2000);
      }
      append(ledger, 500, 0);
      try (Indexer indexer = Indexer.start(ledger, CONFIG, InstantSource.fixed(T0))) {
        assertThat(indexer.index().cursor()).isEqualTo(2000);
        awaitCaughtUp(indexer, ledger);
        assertThat(indexer.indexed()).as("only from the cursor on").isEqualTo(2500);
        assertExactlyOnce(seqs(indexer.index()), ledger.size(), 0);
      }
    }
  }

  @Test
  void rebuildsAnIndexThatCannotBeContinued() throws Exception {
    try (Ledger ledger = openLedger()) {
      long others = append(ledger, 1500, 700);
      indexAll(ledger);
      Path index = SearchIndex.path(dir);

      // Another mapping version, then another ledger's index, then a cursor beyond the ledger.
      for (Map<String, String> data :
          List.of(
              Map.of(SearchIndex.MAPPING, "1"), // version 1 had no record offsets
              Map.of(SearchIndex.ORIGIN, "elsewhere.example/log"),
              Map.of(SearchIndex.CURSOR, "999999"))) {
        rewriteCommitData(index, data);
        try (Indexer indexer = Indexer.start(ledger, CONFIG, InstantSource.fixed(T0))) {
          assertThat(indexer.index().rebuilt()).as("%s", data).isPresent();
          awaitCaughtUp(indexer, ledger);
          assertExactlyOnce(seqs(indexer.index()), ledger.size(), others);
        }
      }

      // A damaged commit point.
      try (Stream<Path> files = Files.list(index)) {
        for (Path f :
            files.filter(p -> p.getFileName().toString().startsWith("segments_")).toList()) {
          Files.write(f, "not a commit".getBytes(StandardCharsets.US_ASCII));
        }
      }
      try (Indexer indexer = Indexer.start(ledger, CONFIG, InstantSource.fixed(T0))) {
        assertThat(indexer.index().rebuilt()).get().asString().contains("cannot be read");
        awaitCaughtUp(indexer, ledger);
        assertExactlyOnce(seqs(indexer.index()), ledger.size(), others);
      }

      // Deleted: rebuilt from entry 0.
      deleteTree(index);
      try (Indexer indexer = Indexer.start(ledger, CONFIG, InstantSource.fixed(T0))) {
        assertThat(indexer.index().rebuilt()).get().asString().contains("does not exist");
        awaitCaughtUp(indexer, ledger);
        assertExactlyOnce(seqs(indexer.index()), ledger.size(), others);
      }
    }
  }

  @Test
  void everyDocumentKeepsTheOffsetOfItsRecordWhichFindsTheEntryAgain() throws Exception {
    try (Ledger ledger = Ledger.open(LedgerConfig.of(dir).withMaxSegmentBytes(64 * 1024))) {
      long others = append(ledger, 2000, 300);
      indexAll(ledger);
      try (SearchIndex index = SearchIndex.open(dir, ledger.origin(), ledger.size(), CONFIG);
          LedgerReader reader = ledger.reader()) {
        index.refresh();
        IndexSearcher s = index.acquire();
        long checked = 0;
        try {
          for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            SortedNumericDocValues seqs = leaf.reader().getSortedNumericDocValues(IndexFields.SEQ);
            NumericDocValues offsets = leaf.reader().getNumericDocValues(IndexFields.OFFSET);
            for (int doc = seqs.nextDoc();
                doc != NumericDocValues.NO_MORE_DOCS;
                doc = seqs.nextDoc()) {
              long seq = seqs.nextValue();
              assertThat(offsets.advanceExact(doc)).isTrue();
              Entry byScan = reader.read(seq).orElseThrow();
              Entry byOffset = reader.read(seq, offsets.longValue()).orElseThrow();
              assertThat(byOffset.offset()).isEqualTo(offsets.longValue());
              assertThat(byOffset.offset()).isEqualTo(byScan.offset());
              assertThat(byOffset.payload()).isEqualTo(byScan.payload());
              checked++;
            }
          }
        } finally {
          index.release(s);
        }
        assertThat(checked).isEqualTo(ledger.size() - others);
      }
    }
  }

  @Test
  void rebuildStartsAfreshWhateverTheIndexHolds() throws Exception {
    try (Ledger ledger = openLedger()) {
      append(ledger, 1200, 0);
      indexAll(ledger);
      try (Indexer indexer = Indexer.rebuild(ledger, CONFIG, InstantSource.fixed(T0))) {
        assertThat(indexer.index().cursor()).isZero();
        awaitCaughtUp(indexer, ledger);
        assertThat(indexer.indexed()).isEqualTo(1200);
        assertExactlyOnce(seqs(indexer.index()), ledger.size(), 0);
      }
    }
  }

  @Test
  void lagIsEntriesAndSecondsBehindTheLedgerAndZeroWhenCaughtUp() throws Exception {
    InstantSource later = InstantSource.fixed(T0.plusSeconds(90));
    try (Ledger ledger = openLedger()) {
      append(ledger, 800, 0);
      Indexer indexer = Indexer.start(ledger, CONFIG, later);
      awaitCaughtUp(indexer, ledger);
      assertThat(indexer.lag()).isEqualTo(Lag.NONE);
      indexer.close();
      append(ledger, 300, 0); // accepted at T0 (the ledger's clock), 90 s before "now"
      assertThat(indexer.lag()).isEqualTo(new Lag(300, 90.0));
      try (Indexer again = Indexer.start(ledger, CONFIG, later)) {
        awaitCaughtUp(again, ledger);
        assertThat(again.lag()).isEqualTo(Lag.NONE);
      }
    }
  }

  private void indexAll(Ledger ledger) throws Exception {
    try (Indexer indexer = Indexer.start(ledger, CONFIG, InstantSource.fixed(T0))) {
      awaitCaughtUp(indexer, ledger);
    }
  }

  /** Commits once more with some of the commit data replaced. */
  private static void rewriteCommitData(Path index, Map<String, String> replaced)
      throws IOException {
    try (FSDirectory d = FSDirectory.open(index);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
      Map<String, String> data = new HashMap<>();
      w.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
      data.putAll(replaced);
      w.setLiveCommitData(data.entrySet());
      w.commit();
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> files = Files.walk(p)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
