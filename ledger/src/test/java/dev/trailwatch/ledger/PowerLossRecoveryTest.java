package dev.trailwatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trailwatch.ledger.LedgerProblem.Kind;
import dev.trailwatch.ledger.checkpoint.NoteLog;
import dev.trailwatch.ledger.checkpoint.NoteVerifier;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash states that a killed process cannot leave but a power loss can, built by hand from a
 * cleanly closed ledger, and damage that recovery must refuse to repair.
 *
 * <p>The model: everything a writer fsynced before it went on survives; anything after its last
 * completed fsync may be missing, cut short, or followed by zeros or junk. Concretely, for a
 * surviving checkpoint of size S: entries from S on were never acknowledged, so the last segment
 * may end anywhere after entry S (even inside its header), trailing segments that hold only such
 * entries may be gone, the checkpoint log may end inside the note after S's, tiles that S does not
 * need may be cut anywhere, and {@code tiles/partial} may be stale or gone. Recovery must open such
 * a directory, keep every entry up to where the damage starts (at least S), sign them, and leave a
 * ledger that verifies.
 *
 * <p>The converse: damage to records that the surviving checkpoint covers is never truncated or
 * rewritten; {@link Ledger#open} fails with a {@link LedgerCorruptException} that names the file,
 * the offset and the entry.
 *
 * <p>All cases start from copies of one base ledger (about 70,000 entries, so that tile levels 0
 * and 1 and many checkpoints exist), built once per class from the seed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PowerLossRecoveryTest {
  private static final int ENTRIES = 70_000;

  /** One record of the base ledger: where it is. */
  private record Rec(long seq, Path file, long start, long end) {}

  /** One checkpoint of the base ledger and where its note is in the checkpoint log. */
  private record Cp(long size, long offset, long end) {}

  private long seed;
  private Path base;
  private final List<byte[]> payloads = new ArrayList<>();
  private final List<Rec> records = new ArrayList<>();
  private final List<Cp> checkpoints = new ArrayList<>();

  @BeforeAll
  void buildBaseLedger(@TempDir Path dir) throws Exception {
    seed = TestSeeds.seed();
    System.out.println("PowerLossRecoveryTest seed " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    base = dir.resolve("base");
    LedgerConfig config =
        LedgerConfig.of(base)
            .withMaxSegmentBytes(256 << 10)
            .withCheckpointInterval(Duration.ofHours(1)); // only the checkpoints asked for
    try (Ledger ledger = Ledger.open(config)) {
      while (payloads.size() < ENTRIES) {
        int n = random.nextInt(4) == 0 ? random.nextInt(1, 3000) : random.nextInt(1, 200);
        List<byte[]> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          byte[] p = new byte[random.nextInt(50) == 0 ? random.nextInt(5000) : random.nextInt(40)];
          random.nextBytes(p);
          batch.add(p);
        }
        ledger.append(batch);
        payloads.addAll(batch);
        if (random.nextInt(6) == 0) {
          ledger.checkpoint();
        }
      }
    }
    try (LedgerReader reader = LedgerReader.open(base);
        RecordCursor cursor = new RecordCursor(reader.segments(), 0, Long.MAX_VALUE)) {
      while (cursor.next()) {
        SegmentReader r = cursor.reader();
        records.add(new Rec(r.seq(), r.file(), r.recordPosition(), r.position()));
      }
    }
    assertThat(records).hasSize(payloads.size());
    NoteVerifier key = publicKey(base);
    for (NoteLog.Entry e : CheckpointLog.read(Layout.checkpoints(base)).notes()) {
      checkpoints.add(new Cp(SignedCheckpoint.open(e.note(), key).size(), e.offset(), e.end()));
    }
    System.out.println(
        "base ledger: "
            + payloads.size()
            + " entries, "
            + segments(base).size()
            + " segments, "
            + checkpoints.size()
            + " checkpoints at "
            + checkpoints.stream().map(Cp::size).toList());
  }

  // ------------------------------------------------------------------ legitimate crash states

  @RepeatedTest(24)
  void recoveryKeepsWhatTheSurvivingCheckpointCoversAndVerifies(
      RepetitionInfo info, @TempDir Path work) throws Exception {
    SplittableRandom random =
        new SplittableRandom(seed ^ (info.getCurrentRepetition() * 0x9E3779B97F4A7C15L));
    Path dir = copyOfBase(work);
    List<String> damage = new ArrayList<>();
    int j = loseCheckpointsAfter(dir, random, damage);
    long signed = checkpoints.get(j).size();
    long expected = tearSegments(dir, signed, random, damage);
    tearTiles(dir, signed, random, damage);
    String what = "seed " + seed + ", round " + info.getCurrentRepetition() + ": " + damage;
    System.out.println(what);
    assertThat(expected).as(what).isGreaterThanOrEqualTo(signed);

    long appended = reopenAndCheck(dir, expected, j, what);
    VerifyReport report = verify(dir);
    assertThat(report.problems()).as("%s: verify after recovery", what).isEmpty();
    assertThat(report.entries()).as(what).isEqualTo(expected + appended);
  }

  /**
   * The checkpoint log as if the notes after #j had never been written, the next one maybe in part
   * or as zeros; returns j.
   */
  private int loseCheckpointsAfter(Path dir, SplittableRandom random, List<String> damage)
      throws IOException {
    int j = random.nextInt(checkpoints.size());
    damage.add("checkpoint #" + j + " (size " + checkpoints.get(j).size() + ") survives");
    byte[] log = Files.readAllBytes(Layout.checkpoints(dir));
    byte[] tail = new byte[0];
    int logCase = random.nextInt(3);
    if (logCase == 1 && j + 1 < checkpoints.size()) {
      Cp next = checkpoints.get(j + 1);
      int cut = (int) random.nextLong(1, next.end() - next.offset());
      tail = Arrays.copyOfRange(log, (int) next.offset(), (int) next.offset() + cut);
      damage.add("log cut " + cut + " bytes into note #" + (j + 1));
    } else if (logCase == 2) {
      tail = new byte[random.nextInt(1, 300)];
      damage.add(tail.length + " zero bytes after note #" + j);
    }
    Files.write(
        Layout.checkpoints(dir), concat(Arrays.copyOf(log, (int) checkpoints.get(j).end()), tail));
    return j;
  }

  /**
   * Segments as a power loss may leave them when entries from {@code signed} on were never
   * acknowledged: trailing segments holding only such entries gone, the last one cut anywhere after
   * entry {@code signed} (even inside its header) or a roll-over to a new segment torn in its
   * header, then maybe zeros or junk. Returns how many entries remain intact.
   */
  private long tearSegments(Path dir, long signed, SplittableRandom random, List<String> damage)
      throws IOException {
    List<SegmentSet.Segment> segs = segments(dir);
    if (random.nextInt(3) == 0) {
      int removable = 0;
      for (int i = segs.size() - 1; i >= 0 && segs.get(i).baseSeq() >= signed; i--) {
        if (segs.get(i).baseSeq() > 0 || signed == 0) {
          removable++;
        }
      }
      int gone = random.nextInt(removable + 1);
      for (int i = 0; i < gone; i++) {
        Files.delete(segs.get(segs.size() - 1 - i).file());
      }
      segs = segs.subList(0, segs.size() - gone);
      damage.add(gone + " trailing segments gone");
    }
    if (segs.isEmpty()) {
      return 0;
    }
    SegmentSet.Segment last = segs.get(segs.size() - 1);
    long expected = endOf(last);
    long size = Files.size(last.file());
    long lowest;
    if (last.baseSeq() >= signed) {
      lowest = 0; // even the header was never made durable
    } else if (signed < records.size()) {
      lowest = records.get((int) signed).start();
    } else {
      lowest = size; // the surviving checkpoint covers every record
    }
    int cutCase = lowest < size ? random.nextInt(5) : 0;
    if (cutCase > 0) {
      long cut =
          switch (cutCase) {
            case 1 -> lowest == 0 ? random.nextLong(0, SegmentFormat.HEADER_SIZE + 1) : lowest;
            case 2 -> recordBoundary(last, lowest, random);
            default -> random.nextLong(lowest, size + 1);
          };
      truncate(last.file(), cut);
      expected = entriesBefore(last, cut);
      damage.add("last segment " + last.file().getFileName() + " cut at " + cut + " of " + size);
    } else if (random.nextInt(3) == 0) {
      long nextBase = endOf(last);
      Path file = Layout.segments(dir).resolve(SegmentFormat.fileName(nextBase));
      byte[] header = SegmentFormat.header(nextBase);
      int keep = random.nextInt(header.length + 1);
      Files.write(file, Arrays.copyOf(header, keep));
      damage.add("new segment " + file.getFileName() + " with " + keep + " header bytes");
      last = new SegmentSet.Segment(nextBase, file);
    }
    int tailCase = random.nextInt(3);
    if (tailCase > 0) {
      byte[] tail = new byte[random.nextInt(1, 10_000)];
      if (tailCase == 2) {
        random.nextBytes(tail);
      }
      append(last.file(), tail);
      damage.add(tail.length + (tailCase == 1 ? " zero" : " junk") + " bytes appended");
    }
    return expected;
  }

  /**
   * Tile files cut anywhere beyond what a checkpoint of {@code signed} entries needs, {@code
   * tiles/partial} maybe gone, a junk {@code partial.tmp} maybe left.
   */
  private static void tearTiles(Path dir, long signed, SplittableRandom random, List<String> damage)
      throws IOException {
    for (int level = 0; level < 8; level++) {
      Path f = Layout.tiles(dir).resolve("level-" + level);
      if (!Files.exists(f) || random.nextInt(2) == 0) {
        continue;
      }
      long needed = level * 8 + 8 >= 64 ? 0 : signed >>> (8 * (level + 1));
      long lowest = needed == 0 ? 0 : TileFiles.HEADER + needed * TileFiles.TILE_BYTES;
      long cut =
          lowest == 0 && random.nextInt(4) == 0
              ? random.nextLong(0, TileFiles.HEADER) // created, header not yet written
              : random.nextLong(lowest, Files.size(f) + 1);
      truncate(f, cut);
      damage.add("tiles level-" + level + " cut at " + cut);
    }
    if (random.nextBoolean()) {
      Files.deleteIfExists(Layout.tiles(dir).resolve(PartialTiles.FILE));
      damage.add("tiles/partial gone");
    }
    if (random.nextInt(4) == 0) {
      byte[] junk = new byte[random.nextInt(1, 500)];
      random.nextBytes(junk);
      Files.write(Layout.tiles(dir).resolve(PartialTiles.FILE + ".tmp"), junk);
      damage.add("junk partial.tmp");
    }
  }

  @Test
  void aLedgerKilledBeforeItsFirstCheckpointOpens(@TempDir Path work) throws Exception {
    for (int keep :
        new int[] {0, 1, 17, SegmentFormat.HEADER_SIZE, SegmentFormat.HEADER_SIZE + 9}) {
      Path dir = work.resolve("keep-" + keep);
      try (Ledger ledger = Ledger.open(LedgerConfig.of(dir))) {
        assertThat(ledger.size()).isZero();
      }
      // As it was before checkpoint #0: segment 0 being written, no checkpoint log.
      Files.delete(Layout.checkpoints(dir));
      Files.deleteIfExists(Layout.tiles(dir).resolve(PartialTiles.FILE));
      Path seg0 = Layout.segments(dir).resolve(SegmentFormat.fileName(0));
      byte[] header = SegmentFormat.header(0);
      byte[] content = new byte[keep];
      System.arraycopy(header, 0, content, 0, Math.min(keep, header.length));
      if (keep > header.length) {
        content[header.length + 3] = 100; // a record of 100 bytes, cut short
      }
      Files.write(seg0, content);
      try (Ledger ledger = Ledger.open(LedgerConfig.of(dir))) {
        assertThat(ledger.size()).as("%d bytes of segment 0", keep).isZero();
        assertThat(ledger.latestCheckpoint().index()).isZero();
        assertThat(ledger.append(List.of(new byte[] {1, 2, 3}))).isEqualTo(new SeqRange(0, 1));
      }
      assertThat(verify(dir).problems()).as("%d bytes of segment 0", keep).isEmpty();
    }
  }

  // ------------------------------------------------------------------ damage to covered data

  @RepeatedTest(8)
  void damageToACoveredRecordFailsTheOpenAndIsLeftAsItIs(RepetitionInfo info, @TempDir Path work)
      throws Exception {
    long roundSeed = seed ^ (info.getCurrentRepetition() * 0xC2B2AE3D27D4EB4FL);
    SplittableRandom random = new SplittableRandom(roundSeed);
    Path dir = copyOfBase(work);
    String where = "seed " + seed + ", round " + info.getCurrentRepetition();
    List<SegmentSet.Segment> segs = segments(dir);
    SegmentSet.Segment last = segs.get(segs.size() - 1);
    List<Rec> inLast =
        records.stream()
            .filter(r -> r.file().getFileName().equals(last.file().getFileName()))
            .toList();

    // Which checkpoint covers the damage: the final one, or the one before it (the final note cut).
    long covered = checkpoints.get(checkpoints.size() - 1).size();
    if (random.nextBoolean() && checkpoints.size() >= 2) {
      Cp prev = checkpoints.get(checkpoints.size() - 2);
      Cp lastCp = checkpoints.get(checkpoints.size() - 1);
      if (prev.size() > inLast.get(0).seq()) {
        covered = prev.size();
        long cut = random.nextLong(lastCp.offset() + 1, lastCp.end());
        truncate(Layout.checkpoints(dir), cut);
        where += ", checkpoint log cut inside its last note";
      }
    }
    long coveredFinal = covered;
    List<Rec> candidates = inLast.stream().filter(r -> r.seq() < coveredFinal).toList();
    Rec victim = candidates.get(random.nextInt(candidates.size()));
    int how = random.nextInt(3);
    switch (how) {
      case 0 -> {
        long cut = random.nextLong(victim.start(), victim.end());
        truncate(last.file(), cut);
        where += ", last segment cut at " + cut + " inside entry " + victim.seq();
      }
      case 1 -> {
        long at = random.nextLong(victim.start(), victim.end());
        byte[] one = readAt(last.file(), at, 1);
        one[0] ^= (byte) (1 << random.nextInt(8));
        writeAt(last.file(), at, one);
        where += ", a bit flipped at " + at + " in entry " + victim.seq();
      }
      default -> {
        writeAt(last.file(), victim.start(), new byte[(int) (victim.end() - victim.start())]);
        where += ", entry " + victim.seq() + " zeroed";
      }
    }
    byte[] before = Files.readAllBytes(last.file());
    byte[] logBefore = Files.readAllBytes(Layout.checkpoints(dir));
    for (int attempt = 0; attempt < 2; attempt++) {
      LedgerCorruptException e =
          catchThrowableOfType(
              LedgerCorruptException.class, () -> Ledger.open(LedgerConfig.of(dir)));
      assertThat(e).as("%s: open must fail", where).isNotNull();
      assertThat(e.file()).as("%s: %s", where, e.getMessage()).isEqualTo(last.file());
      assertThat(e.position()).as("%s: %s", where, e.getMessage()).isEqualTo(victim.start());
      assertThat(e.seq()).as("%s: %s", where, e.getMessage()).isEqualTo(victim.seq());
      assertThat(e.getMessage())
          .contains(last.file().toString(), "offset=" + victim.start(), "seq=" + victim.seq());
      assertThat(Files.readAllBytes(last.file()))
          .as("%s: the damaged segment is left as it was", where)
          .isEqualTo(before);
    }
    assertThat(Files.readAllBytes(Layout.checkpoints(dir)))
        .as("%s: a failed open cuts at most an incomplete note off the checkpoint log", where)
        .isEqualTo(Arrays.copyOf(logBefore, (int) NoteLog.parse(logBefore).validLength()));
    VerifyReport report = verify(dir);
    assertThat(report.intact()).as("%s: verify", where).isFalse();
    assertThat(report.first().orElseThrow().seq()).as("%s: verify", where).isEqualTo(victim.seq());
  }

  @Test
  void losingTheLastSegmentOfCoveredEntriesFailsTheOpen(@TempDir Path work) throws Exception {
    Path dir = copyOfBase(work);
    List<SegmentSet.Segment> segs = segments(dir);
    SegmentSet.Segment last = segs.get(segs.size() - 1);
    Path before = segs.get(segs.size() - 2).file();
    Files.delete(last.file());
    LedgerCorruptException e =
        catchThrowableOfType(LedgerCorruptException.class, () -> Ledger.open(LedgerConfig.of(dir)));
    assertThat(e).as("open must fail").isNotNull();
    assertThat(e.getMessage()).contains("entries were lost or removed");
    assertThat(e.file()).as(e.getMessage()).isEqualTo(before);
    assertThat(e.position()).as(e.getMessage()).isEqualTo(Files.size(before));
    assertThat(e.seq()).as(e.getMessage()).isEqualTo(last.baseSeq());
  }

  @Test
  void damageInASealedSegmentIsNeverRepaired(@TempDir Path work) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    // A sealed segment beyond the surviving checkpoint (recovery rehashes it), and one the
    // checkpoint covers (recovery does not read it; verify does).
    for (boolean beyond : new boolean[] {true, false}) {
      Path dir = copyOfBase(work.resolve(beyond ? "beyond" : "covered"));
      List<SegmentSet.Segment> segs = segments(dir);
      SegmentSet.Segment sealed = segs.get(segs.size() - 2);
      long signed = checkpoints.get(checkpoints.size() - 1).size();
      if (beyond) {
        Cp cp = checkpoints.get(0);
        for (Cp c : checkpoints) {
          if (c.size() < sealed.baseSeq()) {
            cp = c;
          }
        }
        truncate(Layout.checkpoints(dir), cp.end());
        signed = cp.size();
      }
      long signedFinal = signed;
      List<Rec> in =
          records.stream()
              .filter(r -> r.file().getFileName().equals(sealed.file().getFileName()))
              .filter(r -> beyond == r.seq() >= signedFinal)
              .toList();
      Rec victim = in.get(random.nextInt(in.size()));
      long at = random.nextLong(victim.start(), victim.end());
      byte[] one = readAt(sealed.file(), at, 1);
      one[0] ^= (byte) (1 << random.nextInt(8));
      writeAt(sealed.file(), at, one);
      String where =
          "seed %d, entry %d in %s, %s the checkpoint"
              .formatted(
                  seed,
                  victim.seq(),
                  sealed.file().getFileName(),
                  beyond ? "beyond" : "covered by");
      byte[] before = Files.readAllBytes(sealed.file());
      LedgerCorruptException e;
      try {
        Ledger.open(LedgerConfig.of(dir)).close();
        e = null;
      } catch (LedgerCorruptException x) {
        e = x;
      }
      if (beyond || e != null) {
        assertThat(e).as("%s: open must fail", where).isNotNull();
        assertThat(e.file()).as("%s: %s", where, e.getMessage()).isEqualTo(sealed.file());
        assertThat(e.position()).as("%s: %s", where, e.getMessage()).isEqualTo(victim.start());
        assertThat(e.seq()).as("%s: %s", where, e.getMessage()).isEqualTo(victim.seq());
      }
      assertThat(Files.readAllBytes(sealed.file()))
          .as("%s: left as it was", where)
          .isEqualTo(before);
      LedgerProblem first = verify(dir).first().orElseThrow();
      assertThat(first.kind()).as(where).isEqualTo(Kind.CORRUPT_RECORD);
      assertThat(first.seq()).as(where).isEqualTo(victim.seq());
      assertThat(first.file()).as(where).hasValue(sealed.file());
      assertThat(first.offset()).as(where).isEqualTo(victim.start());
    }
  }

  @RepeatedTest(4)
  void tilesTheCheckpointCoversMustNotGoMissing(RepetitionInfo info, @TempDir Path work)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed ^ info.getCurrentRepetition());
    Path dir = copyOfBase(work);
    long signed = checkpoints.get(checkpoints.size() - 1).size();
    int level = random.nextInt(2); // the base ledger has covered tiles in levels 0 and 1
    long needed = signed >>> (8 * (level + 1));
    Path file = Layout.tiles(dir).resolve("level-" + level);
    long have;
    String where = "seed " + seed + ", round " + info.getCurrentRepetition() + ", level " + level;
    if (random.nextInt(4) == 0) {
      Files.delete(file);
      have = 0;
      where += " deleted";
    } else {
      long cut = random.nextLong(0, TileFiles.HEADER + needed * TileFiles.TILE_BYTES);
      truncate(file, cut);
      have = Math.max(0, cut - TileFiles.HEADER) / TileFiles.TILE_BYTES;
      where += " cut at " + cut;
    }
    LedgerCorruptException e =
        catchThrowableOfType(LedgerCorruptException.class, () -> Ledger.open(LedgerConfig.of(dir)));
    assertThat(e).as("%s: open must fail", where).isNotNull();
    assertThat(e.file()).as("%s: %s", where, e.getMessage()).isEqualTo(file);
    assertThat(e.position())
        .as("%s: %s", where, e.getMessage())
        .isEqualTo(TileFiles.HEADER + have * TileFiles.TILE_BYTES);
    assertThat(e.seq()).as("%s: %s", where, e.getMessage()).isEqualTo(have << (8 * (level + 1)));
    assertThat(e.getMessage()).contains("tiles were removed or cut short");
  }

  // ------------------------------------------------------------------ helpers

  /** Opens (recovers), checks entries and the signed tail, appends a little, closes. */
  private long reopenAndCheck(Path dir, long expected, int survivingIndex, String what)
      throws Exception {
    int extra = 5;
    try (Ledger ledger = Ledger.open(LedgerConfig.of(dir))) {
      assertThat(ledger.size()).as("%s: entries after recovery", what).isEqualTo(expected);
      SignedCheckpoint latest = ledger.latestCheckpoint();
      assertThat(latest.size()).as("%s: recovery signs the tail", what).isEqualTo(expected);
      assertThat(latest.index())
          .as("%s: checkpoint numbering continues", what)
          .isEqualTo(
              expected > checkpoints.get(survivingIndex).size()
                  ? survivingIndex + 1
                  : survivingIndex);
      try (LedgerReader reader = ledger.reader();
          EntryIterator it = reader.entries(0)) {
        long seq = 0;
        while (it.next()) {
          byte[] payload = it.entry().payload();
          if (!Arrays.equals(payload, payloads.get((int) seq))) {
            assertThat(payload).as("%s: entry %d", what, seq).isEqualTo(payloads.get((int) seq));
          }
          seq++;
        }
        assertThat(seq).as(what).isEqualTo(expected);
        assertThat(reader.root(expected)).as(what).isEqualTo(latest.root());
      }
      List<byte[]> more = new ArrayList<>();
      for (int i = 0; i < extra; i++) {
        more.add(("after recovery " + i).getBytes(StandardCharsets.UTF_8));
      }
      assertThat(ledger.append(more)).as(what).isEqualTo(new SeqRange(expected, extra));
    }
    return extra;
  }

  private Path copyOfBase(Path work) throws IOException {
    Path dir = work.resolve("data");
    try (Stream<Path> files = Files.walk(base)) {
      for (Path p : files.toList()) {
        Path target = dir.resolve(base.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return dir;
  }

  /** The entries of the base ledger that end at or before {@code cut} in {@code seg}'s file. */
  private long entriesBefore(SegmentSet.Segment seg, long cut) {
    long n = seg.baseSeq();
    for (long s = seg.baseSeq(); s < records.size(); s++) {
      Rec r = records.get((int) s);
      if (!r.file().getFileName().equals(seg.file().getFileName()) || r.end() > cut) {
        break;
      }
      n = s + 1;
    }
    return n;
  }

  /** A record boundary of {@code seg}'s file at or after {@code lowest} (or its end). */
  private long recordBoundary(SegmentSet.Segment seg, long lowest, SplittableRandom random) {
    List<Long> boundaries = new ArrayList<>();
    for (Rec r : records) {
      if (r.file().getFileName().equals(seg.file().getFileName()) && r.end() >= lowest) {
        boundaries.add(r.end());
      }
    }
    return boundaries.isEmpty() ? lowest : boundaries.get(random.nextInt(boundaries.size()));
  }

  /** The sequence number after the last entry of {@code seg} in the base ledger. */
  private long endOf(SegmentSet.Segment seg) {
    return entriesBefore(seg, Long.MAX_VALUE);
  }

  private static List<SegmentSet.Segment> segments(Path dir) throws IOException {
    return SegmentSet.scan(Layout.segments(dir), new ArrayList<>()).all();
  }

  private static NoteVerifier publicKey(Path dir) throws IOException {
    return NoteVerifier.parse(Files.readString(Layout.keys(dir).resolve("signing.pub")).trim());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  private static void append(Path file, byte[] bytes) throws IOException {
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
      out.write(bytes);
    }
  }

  private static byte[] readAt(Path file, long at, int n) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      byte[] b = new byte[n];
      DurableFiles.readFully(ch, ByteBuffer.wrap(b), at);
      return b;
    }
  }

  private static void writeAt(Path file, long at, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      long pos = at;
      while (buf.hasRemaining()) {
        pos += ch.write(buf, pos);
      }
    }
  }

  private static VerifyReport verify(Path dir) throws IOException {
    return Verifier.verify(
        new Verifier.Options(dir, Optional.empty(), Optional.empty(), (d, t) -> {}));
  }
}
