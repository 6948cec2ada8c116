package dev.trailwatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.ledger.checkpoint.NoteVerifier;
import dev.trailwatch.ledger.merkle.ProofVerifier;
import dev.trailwatch.ledger.merkle.Rfc6962Hasher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
  @TempDir Path dir;

  /** Direct I/O where the file system allows it (the default); {@link BufferedLedgerTest} not. */
  LedgerConfig config() {
    return LedgerConfig.of(dir).withMaxSegmentBytes(64 * 1024);
  }

  static List<byte[]> payloads(int from, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(
          ("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i % 97) + "\"}")
              .getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void appendsReadsBackAndSurvivesReopen() throws Exception {
    try (Ledger ledger = Ledger.open(config())) {
      assertThat(ledger.size()).isZero();
      assertThat(ledger.latestCheckpoint().index()).isZero();
      SeqRange a = ledger.append(payloads(0, 1000));
      SeqRange b = ledger.append(payloads(1000, 500));
      assertThat(a).isEqualTo(new SeqRange(0, 1000));
      assertThat(b).isEqualTo(new SeqRange(1000, 500));
      assertThat(ledger.size()).isEqualTo(1500);
    }
    assertThat(Files.list(dir.resolve("segments")).count()).as("segments rolled").isGreaterThan(1);
    try (LedgerReader reader = LedgerReader.open(dir)) {
      assertThat(reader.size()).isEqualTo(1500);
      List<byte[]> expected = payloads(0, 1500);
      try (EntryIterator it = reader.entries(0)) {
        int i = 0;
        while (it.next()) {
          assertThat(it.entry().seq()).isEqualTo(i);
          assertThat(it.entry().payload()).isEqualTo(expected.get(i));
          i++;
        }
        assertThat(i).isEqualTo(1500);
        assertThat(it.stoppedBy()).isEmpty();
      }
      assertThat(reader.read(1234).orElseThrow().payload()).isEqualTo(expected.get(1234));
    }
    try (Ledger ledger = Ledger.open(config())) {
      assertThat(ledger.size()).isEqualTo(1500);
      assertThat(ledger.latestCheckpoint().size()).isEqualTo(1500);
      assertThat(ledger.append(payloads(1500, 10))).isEqualTo(new SeqRange(1500, 10));
    }
    VerifyReport report = verify();
    assertThat(report.problems()).isEmpty();
    assertThat(report.entries()).isEqualTo(1510);
  }

  @Test
  void concurrentAppendersShareCommitsAndGetDisjointRanges() throws Exception {
    int threads = 8;
    int batches = 50;
    List<SeqRange> ranges = new ArrayList<>();
    try (Ledger ledger = Ledger.open(config());
        ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<List<SeqRange>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(
            pool.submit(
                () -> {
                  List<SeqRange> mine = new ArrayList<>();
                  for (int i = 0; i < batches; i++) {
                    mine.add(ledger.append(payloads(id * 1000 + i, 7)));
                  }
                  return mine;
                }));
      }
      for (Future<List<SeqRange>> f : futures) {
        ranges.addAll(f.get());
      }
    }
    ranges.sort((x, y) -> Long.compare(x.first(), y.first()));
    long next = 0;
    for (SeqRange r : ranges) {
      assertThat(r.first()).isEqualTo(next);
      next = r.end();
    }
    assertThat(next).isEqualTo((long) threads * batches * 7);
    assertThat(verify().problems()).isEmpty();
  }

  @Test
  void checkpointsAreSignedAndProofsVerify() throws Exception {
    SignedCheckpoint first;
    SignedCheckpoint second;
    String vkey;
    try (Ledger ledger = Ledger.open(config())) {
      vkey = ledger.verifierKey();
      ledger.append(payloads(0, 777));
      first = ledger.checkpoint();
      ledger.append(payloads(777, 1234));
      second = ledger.checkpoint();
    }
    NoteVerifier key = NoteVerifier.parse(vkey);
    assertThat(SignedCheckpoint.open(first.note(), key).size()).isEqualTo(777);
    assertThat(SignedCheckpoint.open(second.note(), key).size()).isEqualTo(2011);
    Rfc6962Hasher h = Rfc6962Hasher.create();
    try (LedgerReader reader = LedgerReader.open(dir)) {
      for (long seq : new long[] {0, 1, 255, 256, 500, 776}) {
        Proof.Inclusion p = reader.inclusion(seq, 777);
        byte[] leaf = h.hashLeaf(reader.read(seq).orElseThrow().leafData());
        assertThat(p.leafHash()).isEqualTo(leaf);
        ProofVerifier.verifyInclusion(h, seq, 777, leaf, p.path(), first.root());
      }
      for (long seq : new long[] {0, 776, 777, 1500, 2010}) {
        Proof.Inclusion p = reader.inclusion(seq, 2011);
        ProofVerifier.verifyInclusion(h, seq, 2011, p.leafHash(), p.path(), second.root());
      }
      Proof.Consistency c = reader.consistency(777, 2011);
      ProofVerifier.verifyConsistency(h, 777, 2011, first.root(), second.root(), c.path());
      assertThat(reader.root(2011)).isEqualTo(second.root());
    }
  }

  @Test
  void aSecondWriterIsToldWhoHoldsTheDirectory() throws Exception {
    try (Ledger ledger = Ledger.open(config())) {
      assertThat(ledger.size()).isZero();
      assertThatThrownBy(() -> Ledger.open(config()))
          .isInstanceOf(LedgerLockedException.class)
          .hasMessageContaining(
              "already open for writing by process " + ProcessHandle.current().pid());
    }
  }

  @Test
  void refusesToCreateALedgerAmongSomeoneElsesFiles() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> Ledger.open(config()))
        .isInstanceOf(LedgerFormatException.class)
        .hasMessageContaining("not a Trailwatch data directory and not empty (it holds notes.txt)");
    assertThat(Files.exists(dir.resolve("LEDGER"))).isFalse();
  }

  @Test
  void recoveryTruncatesATornTailBeyondTheCheckpoint() throws Exception {
    try (Ledger ledger = Ledger.open(config())) {
      ledger.append(payloads(0, 100));
    }
    Path last = lastSegment();
    // A torn write: half a record at the end, beyond every checkpoint.
    byte[] half = new byte[30];
    half[3] = 100; // length 100, but the file ends
    Files.write(last, half, StandardOpenOption.APPEND);
    VerifyReport before = verify();
    assertThat(before.intact()).isTrue();
    assertThat(before.notes()).anyMatch(n -> n.contains("incomplete record"));
    try (Ledger ledger = Ledger.open(config())) {
      assertThat(ledger.size()).isEqualTo(100);
      assertThat(ledger.append(payloads(100, 1))).isEqualTo(new SeqRange(100, 1));
    }
    assertThat(verify().problems()).isEmpty();
  }

  @Test
  void damageThatACheckpointCoversIsNeverTruncated() throws Exception {
    try (Ledger ledger = Ledger.open(config())) {
      ledger.append(payloads(0, 100));
    }
    Path last = lastSegment();
    long size = Files.size(last);
    try (var ch = java.nio.channels.FileChannel.open(last, StandardOpenOption.WRITE)) {
      ch.truncate(size - 3);
    }
    assertThatThrownBy(() -> Ledger.open(config()))
        .isInstanceOf(LedgerCorruptException.class)
        .hasMessageContaining("signed checkpoint covers")
        .hasMessageContaining(last.getFileName().toString());
    assertThat(Files.size(last)).isEqualTo(size - 3);
  }

  @Test
  void followerBlocksForNewEntriesAndCursorsPersist() throws Exception {
    try (Ledger ledger = Ledger.open(config())) {
      ledger.append(payloads(0, 5));
      try (Follower f = ledger.follow(3)) {
        assertThat(f.poll(100, Duration.ofMillis(10)))
            .extracting(Entry::seq)
            .containsExactly(3L, 4L);
        CompletableFuture<List<Entry>> next =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return f.poll(100, Duration.ofSeconds(30));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        ledger.append(payloads(5, 2));
        assertThat(next.get()).extracting(Entry::seq).containsExactly(5L, 6L);
        ledger.cursors().put("indexer", f.position());
      }
    }
    assertThat(new Cursors(dir).get("indexer")).hasValue(7);
    assertThat(new Cursors(dir).get("detector")).isEmpty();
  }

  @Test
  void witnessReceivesEveryCheckpointAndVerifyUsesIt() throws Exception {
    Path witness = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-witness"));
    try (Ledger ledger = Ledger.open(config().withWitness(Optional.of(witness)))) {
      ledger.append(payloads(0, 50));
      ledger.checkpoint();
      ledger.append(payloads(50, 50));
    }
    VerifyReport ok =
        Verifier.verify(
            new Verifier.Options(dir, Optional.empty(), Optional.of(witness), (d, t) -> {}));
    assertThat(ok.problems()).isEmpty();
    assertThat(ok.witnessed()).isEqualTo(ok.checkpoints());
    // Remove the newest entries together with their checkpoints: only the witness notices.
    rollBackTo(50);
    assertThat(verify().intact()).as("without the witness").isTrue();
    VerifyReport caught =
        Verifier.verify(
            new Verifier.Options(dir, Optional.empty(), Optional.of(witness), (d, t) -> {}));
    assertThat(caught.intact()).isFalse();
  }

  @Test
  void randomBatchSizesAndPayloadsRoundTrip() throws Exception {
    long seed = TestSeeds.seed();
    SplittableRandom random = new SplittableRandom(seed);
    List<byte[]> all = new ArrayList<>();
    try (Ledger ledger = Ledger.open(config().withMaxSegmentBytes(8192))) {
      for (int b = 0; b < 40; b++) {
        List<byte[]> batch = new ArrayList<>();
        for (int i = random.nextInt(0, 60); i > 0; i--) {
          byte[] p = new byte[random.nextInt(0, random.nextInt(1, 3) == 1 ? 50 : 10_000)];
          random.nextBytes(p);
          batch.add(p);
        }
        ledger.append(batch);
        all.addAll(batch);
      }
    }
    try (LedgerReader reader = LedgerReader.open(dir);
        EntryIterator it = reader.entries(0)) {
      int i = 0;
      while (it.next()) {
        assertThat(it.entry().payload()).as("seed %d, entry %d", seed, i).isEqualTo(all.get(i));
        i++;
      }
      assertThat(i).as("seed %d", seed).isEqualTo(all.size());
    }
    assertThat(verify().problems()).as("seed %d", seed).isEmpty();
  }

  private VerifyReport verify() throws IOException {
    return Verifier.verify(
        new Verifier.Options(dir, Optional.empty(), Optional.empty(), (d, t) -> {}));
  }

  private Path lastSegment() throws IOException {
    try (var s = Files.list(dir.resolve("segments"))) {
      return s.sorted().reduce((a, b) -> b).orElseThrow();
    }
  }

  /** Simulates an operator who removes the newest entries and every checkpoint covering them. */
  private void rollBackTo(long size) throws IOException {
    // Keep checkpoints whose size <= size (by rewriting the log), cut the records.
    List<String> keep = new ArrayList<>();
    NoteVerifier key = NoteVerifier.parse(Files.readString(dir.resolve("keys/signing.pub")).trim());
    try (LedgerReader reader = LedgerReader.open(dir)) {
      for (String note : reader.checkpointNotes()) {
        try {
          if (SignedCheckpoint.open(note, key).size() <= size) {
            keep.add(note);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String n : keep) {
      sb.append(n).append('\n');
    }
    Files.writeString(dir.resolve("checkpoints"), sb.toString());
    long lastKept = keep.isEmpty() ? 0 : size;
    // Find the byte offset of entry `size` and cut everything from there.
    try (LedgerReader reader = LedgerReader.open(dir)) {
      for (SegmentSet.Segment s : reader.segments().all()) {
        if (s.baseSeq() >= lastKept && s.baseSeq() > 0) {
          Files.delete(s.file());
        }
      }
    }
    try (LedgerReader reader = LedgerReader.open(dir);
        RecordCursor c = new RecordCursor(reader.segments(), 0, lastKept)) {
      long end = SegmentFormat.HEADER_SIZE;
      Path file = null;
      while (c.next()) {
        end = c.reader().position();
        file = c.reader().file();
      }
      if (file != null) {
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(end);
        }
      }
    }
    for (int level = 0; level < 3; level++) {
      Path t = dir.resolve("tiles/level-" + level);
      if (Files.exists(t)) {
        long keepTiles = lastKept >>> (8 * (level + 1));
        try (var ch = java.nio.channels.FileChannel.open(t, StandardOpenOption.WRITE)) {
          ch.truncate(TileFiles.HEADER + keepTiles * TileFiles.TILE_BYTES);
        }
      }
    }
    Files.deleteIfExists(dir.resolve("tiles/partial"));
  }
}
