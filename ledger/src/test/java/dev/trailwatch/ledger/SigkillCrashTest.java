package dev.trailwatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.ledger.LedgerProblem.Kind;
import dev.trailwatch.ledger.checkpoint.NoteException;
import dev.trailwatch.ledger.checkpoint.NoteLog;
import dev.trailwatch.ledger.checkpoint.NoteVerifier;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real writer process with SIGKILL, again and again, and checks after each kill that
 * recovery keeps every acknowledged entry intact, signs them, and leaves a ledger that verifies.
 *
 * <p>Each cycle starts {@link CrashAppender} in a child JVM on the same data directory, kills it at
 * a moment chosen by the seeded plan (see {@link Moment}), reads what the files look like (the
 * crash point, printed with each cycle) and checks that the verifier finds nothing worse than
 * unsigned entries there; then opens the ledger here (recovery), checks every entry ever
 * acknowledged and the signed tail, closes it, and runs the verifier. The next child continues on
 * the same directory. Before an {@link Moment#IN_RECOVERY} cycle the parent leaves the crashed
 * directory alone, so that the next kill lands in the child's own recovery.
 *
 * <p>SIGKILL keeps the page cache, so this finds lost or misordered writes, not missing fsyncs;
 * {@link PowerLossRecoveryTest} covers those. The seed fixes the plan; where exactly each kill
 * lands still depends on timing, so every assertion message names the cycle and its crash point.
 */
class SigkillCrashTest {
  private static final int KILLS = 24;
  private static final int THREADS = 4;
  private static final String TILE_FILE_WITHOUT_HEADER = "tile write: no header yet in level ";

  /** How long a child may take to reach a kill moment; only a guard against a hung child. */
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  private enum Moment {
    /** A random delay after the start: may land in JVM start-up or in the child's open. */
    DELAY,
    /** A random number of acknowledged batches, then up to 3 ms. */
    AFTER_ACKS,
    /** As soon as a new segment file appears: inside a roll-over. */
    SEGMENT_ROLL,
    /** As soon as {@code tiles/partial.tmp} appears: a checkpoint before its note is written. */
    CHECKPOINT_PUBLISH,
    /** As soon as the checkpoint log changes: a checkpoint's note being written and fsynced. */
    CHECKPOINT_APPEND,
    /**
     * Up to 200 ms after the child starts {@link Ledger#open}: the run before leaves its crashed
     * directory to this child, so the kill lands in recovery.
     */
    IN_RECOVERY
  }

  private record Ack(int run, int thread, long batch, long first, int count) {
    long end() {
      return first + count;
    }

    CrashPayload.Key keyOf(long seq) {
      return new CrashPayload.Key(run, thread, batch, (int) (seq - first), count);
    }
  }

  @TempDir Path tmp;

  @Test
  void everyAcknowledgedEntrySurvivesSigkill() throws Exception {
    long seed = TestSeeds.seed();
    System.out.println("SigkillCrashTest seed " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    Path dir = tmp.resolve("data");
    List<Moment> plan = new ArrayList<>();
    for (int i = 0; i < KILLS; i++) {
      plan.add(Moment.values()[i % Moment.values().length]);
    }
    Collections.shuffle(plan, random);

    TreeMap<Long, Ack> acks = new TreeMap<>();
    Map<String, Integer> crashPoints = new TreeMap<>();
    List<String> unrecovered = new ArrayList<>();
    int kills = 0;
    for (int run = 0; run < plan.size(); run++) {
      long started = System.nanoTime();
      Moment moment = plan.get(run);
      int segmentBytes =
          moment == Moment.SEGMENT_ROLL
              ? pick(random, 4096, 16 << 10)
              : pick(random, 64 << 10, 256 << 10, 1 << 20);
      int checkpointMillis = pick(random, 5, 25, 100, 500);
      String where =
          "seed %d, run %d (kill %s, segments of %d bytes, a checkpoint every %d ms)"
              .formatted(seed, run, moment, segmentBytes, checkpointMillis);
      Set<Path> oldSegments = segmentFiles(dir);
      List<String> lines;
      String trigger;
      try (ChildJvm child =
          ChildJvm.start(
              CrashAppender.class,
              List.of(
                  dir.toString(),
                  Long.toString(seed),
                  Integer.toString(run),
                  Integer.toString(THREADS),
                  Integer.toString(segmentBytes),
                  Integer.toString(checkpointMillis)),
              tmp.resolve("child-" + run + ".err"),
              "crash-child-" + run)) {
        trigger = awaitMoment(moment, child, dir, random);
        int exit = child.kill();
        kills++;
        assertThat(exit)
            .as("%s: exit value (137: killed by SIGKILL); stderr:%n%s", where, child.stderr())
            .isEqualTo(137);
        assertThat(trigger)
            .as("%s: the planned moment never came; stderr:%n%s", where, child.stderr())
            .doesNotStartWith("no ");
        lines = child.lines();
        if (child.droppedPartialLine()) {
          count(crashPoints, "stdout: a line cut short, ignored");
        }
      }
      long readySize = readAcks(lines, run, acks, where);
      int thisRun = run;
      List<Ack> mine = acks.values().stream().filter(a -> a.run() == thisRun).toList();

      // The crash point, read from the files before anything touches them.
      List<String> points =
          crashPoints(dir, !unrecovered.isEmpty(), oldSegments, lines, readySize, mine);
      points.forEach(p -> count(crashPoints, p));
      String cycle =
          where
              + ", "
              + trigger
              + ", "
              + mine.size()
              + " batches acknowledged, crash point "
              + points;
      assertThat(points)
          .as("%s: tile files are published with their header, never seen without it", cycle)
          .noneMatch(p -> p.startsWith(TILE_FILE_WITHOUT_HEADER));
      if (Files.exists(Layout.keys(dir).resolve("signing.pub"))) {
        VerifyReport crashed = verify(dir);
        assertThat(crashed.problems())
            .as("%s: a killed writer leaves nothing worse than unsigned entries", cycle)
            .allMatch(p -> p.kind() == Kind.UNSIGNED_ENTRIES);
      }
      unrecovered.add(cycle);
      boolean nextRecovers = run + 1 < plan.size() && plan.get(run + 1) == Moment.IN_RECOVERY;
      if (!nextRecovers) {
        recoverAndCheck(dir, seed, acks, String.join("; then ", unrecovered));
        unrecovered.clear();
      }
      System.out.printf("%s (%d ms)%n", cycle, (System.nanoTime() - started) / 1_000_000);
    }
    System.out.println(
        "SigkillCrashTest: "
            + kills
            + " kills, "
            + end(acks)
            + " entries acknowledged; crash points: "
            + crashPoints);
    assertThat(kills).isGreaterThanOrEqualTo(20);
  }

  /**
   * Checks the child's lines and adds its acknowledgements to {@code acks}; returns the size it
   * reported as READY, or -1.
   */
  private static long readAcks(List<String> lines, int run, TreeMap<Long, Ack> acks, String where) {
    long readySize = -1;
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f[0].equals("OPENING") && f.length == 1) {
        continue;
      }
      if (f[0].equals("READY") && f.length == 3) {
        readySize = Long.parseLong(f[1]);
        assertThat(readySize)
            .as("%s: the child recovered fewer entries than were acknowledged before", where)
            .isGreaterThanOrEqualTo(end(acks));
        assertThat(Long.parseLong(f[2]))
            .as("%s: the child's recovery signs every entry it recovered", where)
            .isEqualTo(readySize);
      } else if (f[0].equals("ACK") && f.length == 6) {
        Ack a =
            new Ack(
                Integer.parseInt(f[1]),
                Integer.parseInt(f[2]),
                Long.parseLong(f[3]),
                Long.parseLong(f[4]),
                Integer.parseInt(f[5]));
        assertThat(a.run()).as("%s: %s", where, line).isEqualTo(run);
        assertThat(a.first())
            .as("%s: %s before READY %d", where, line, readySize)
            .isGreaterThanOrEqualTo(readySize);
        add(acks, a, where);
      } else {
        throw new AssertionError(where + ": unexpected line from the child: " + line);
      }
    }
    return readySize;
  }

  /**
   * Opens the ledger (recovery), checks that every acknowledged entry is there and intact and that
   * the latest checkpoint, already on disk, covers them all; closes it and verifies.
   */
  private static void recoverAndCheck(Path dir, long seed, TreeMap<Long, Ack> acks, String cycle)
      throws IOException, NoteException {
    long size;
    try (Ledger ledger = Ledger.open(LedgerConfig.of(dir))) {
      size = ledger.size();
      assertThat(size)
          .as("%s: entries after recovery vs. acknowledged", cycle)
          .isGreaterThanOrEqualTo(end(acks));
      SignedCheckpoint latest = ledger.latestCheckpoint();
      assertThat(latest.size())
          .as("%s: recovery signs every recovered entry", cycle)
          .isEqualTo(size);
      List<NoteLog.Entry> notes = CheckpointLog.read(Layout.checkpoints(dir)).notes();
      assertThat(notes).as("%s: checkpoint log", cycle).isNotEmpty();
      assertThat(notes.get(notes.size() - 1).note())
          .as("%s: the recovery checkpoint is on disk before open returns", cycle)
          .isEqualTo(latest.note());
      SignedCheckpoint onDisk =
          SignedCheckpoint.open(latest.note(), NoteVerifier.parse(ledger.verifierKey()));
      assertThat(onDisk.index()).as("%s: checkpoint index", cycle).isEqualTo(notes.size() - 1);
      try (LedgerReader reader = ledger.reader()) {
        assertThat(reader.root(size))
            .as("%s: root of the recovery checkpoint", cycle)
            .isEqualTo(onDisk.root());
        checkContents(reader, seed, acks, size, cycle);
      }
    }
    VerifyReport report = verify(dir);
    assertThat(report.problems()).as("%s: verify after recovery", cycle).isEmpty();
    assertThat(report.entries()).as("%s: verified entries", cycle).isEqualTo(size);
  }

  /** Waits for the planned moment and says what it was; the caller kills right after. */
  private static String awaitMoment(
      Moment moment, ChildJvm child, Path dir, SplittableRandom random)
      throws IOException, InterruptedException {
    switch (moment) {
      case DELAY -> {
        long millis = random.nextLong(0, 1000);
        Thread.sleep(millis);
        return "killed " + millis + " ms after start";
      }
      case AFTER_ACKS -> {
        int n = random.nextInt(1, 150);
        long micros = random.nextLong(0, 3000);
        boolean got = child.awaitLines(l -> l.startsWith("ACK "), n, PATIENCE);
        TimeUnit.MICROSECONDS.sleep(micros);
        return got ? "killed " + micros + " µs after ACK #" + n : "no ACK #" + n;
      }
      case IN_RECOVERY -> {
        long millis = random.nextLong(0, 200);
        if (!child.awaitLine(l -> l.equals("OPENING"), PATIENCE)) {
          return "no OPENING";
        }
        Thread.sleep(millis);
        return "killed " + millis + " ms after OPENING";
      }
      default -> {
        if (!child.awaitLine(l -> l.startsWith("READY "), PATIENCE)) {
          return "never READY";
        }
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
          String name;
          switch (moment) {
            case SEGMENT_ROLL -> {
              Layout.segments(dir).register(watch, StandardWatchEventKinds.ENTRY_CREATE);
              name = null;
            }
            case CHECKPOINT_PUBLISH -> {
              Layout.tiles(dir).register(watch, StandardWatchEventKinds.ENTRY_CREATE);
              name = PartialTiles.FILE + ".tmp";
            }
            default -> {
              dir.register(watch, StandardWatchEventKinds.ENTRY_MODIFY);
              name = Layout.CHECKPOINTS;
            }
          }
          long deadline = System.nanoTime() + PATIENCE.toNanos();
          while (System.nanoTime() < deadline && child.isAlive()) {
            WatchKey key = watch.poll(100, TimeUnit.MILLISECONDS);
            if (key == null) {
              continue;
            }
            for (WatchEvent<?> e : key.pollEvents()) {
              if (e.context() instanceof Path p
                  && (name == null || p.getFileName().toString().equals(name))) {
                return "killed as " + p.getFileName() + " appeared or changed";
              }
            }
            key.reset();
          }
          return "no " + moment + " seen";
        }
      }
    }
  }

  /**
   * Names what the kill interrupted, as far as the files tell: a roll-over, a checkpoint, a record
   * or tile write. Read before recovery changes anything.
   */
  private static List<String> crashPoints(
      Path dir,
      boolean crashedBefore,
      Set<Path> oldSegments,
      List<String> lines,
      long readySize,
      List<Ack> mine)
      throws IOException {
    List<String> out = new ArrayList<>();
    if (!lines.contains("OPENING")) {
      out.add("JVM start-up");
    } else if (readySize < 0) {
      out.add(
          crashedBefore
              ? "inside the child's Ledger.open, recovering a crashed directory"
              : "inside the child's Ledger.open");
    } else if (crashedBefore) {
      out.add("after the child recovered a crashed directory");
    }
    if (!Files.isDirectory(Layout.segments(dir))) {
      return out;
    }
    SegmentSet segments = SegmentSet.scan(Layout.segments(dir), new ArrayList<>());
    long ackedEnd = mine.stream().mapToLong(Ack::end).max().orElse(-1);
    Optional<SegmentSet.Segment> last = segments.last();
    if (last.isPresent()) {
      SegmentSet.Segment seg = last.get();
      long bytes = Files.size(seg.file());
      if (bytes < SegmentFormat.HEADER_SIZE) {
        out.add("roll-over: new segment without a complete header");
      } else if (!oldSegments.contains(seg.file()) && seg.baseSeq() >= ackedEnd) {
        out.add(
            bytes == SegmentFormat.HEADER_SIZE
                ? "roll-over: new segment with a header only"
                : "roll-over: new segment whose entries were not acknowledged yet");
      }
      try (RecordCursor cursor = new RecordCursor(segments, seg.baseSeq(), Long.MAX_VALUE)) {
        while (cursor.next()) {
          // to the end
        }
        if (cursor.problem().filter(p -> p.kind() == Kind.TORN_TAIL).isPresent()
            && bytes > SegmentFormat.HEADER_SIZE) {
          out.add("record write: torn record at the end of the last segment");
        }
      }
    }
    Path pub = Layout.keys(dir).resolve("signing.pub");
    long signed = -1;
    if (Files.exists(pub)) {
      NoteVerifier key = NoteVerifier.parse(Files.readString(pub).trim());
      CheckpointLog.Contents log = CheckpointLog.read(Layout.checkpoints(dir));
      if (log.tail().isPresent()) {
        out.add("checkpoint: last note cut short");
      }
      if (!log.notes().isEmpty()) {
        try {
          signed =
              SignedCheckpoint.open(log.notes().get(log.notes().size() - 1).note(), key).size();
        } catch (NoteException e) {
          out.add("checkpoint: latest note does not verify (" + e.getMessage() + ")");
        }
      }
    }
    if (Files.exists(Layout.tiles(dir).resolve(PartialTiles.FILE + ".tmp"))) {
      out.add("checkpoint: partial tiles being published");
    }
    Optional<PartialTiles> partial =
        Files.isDirectory(Layout.tiles(dir))
            ? PartialTiles.read(Layout.tiles(dir))
            : Optional.empty();
    if (partial.isPresent() && signed >= 0 && partial.get().size() > signed) {
      out.add("checkpoint: partial tiles published, note not written");
    }
    for (int level = 0; level < 8; level++) {
      Path f = Layout.tiles(dir).resolve("level-" + level);
      if (Files.exists(f) && Files.size(f) < TileFiles.HEADER) {
        out.add(TILE_FILE_WITHOUT_HEADER + level);
      } else if (Files.exists(f)
          && (Files.size(f) - TileFiles.HEADER) % TileFiles.TILE_BYTES != 0) {
        out.add("tile write: torn tile in level " + level);
      }
    }
    if (signed >= 0 && ackedEnd > signed) {
      out.add("acknowledged entries beyond the latest checkpoint");
    }
    return out;
  }

  /**
   * Reads every entry: each must be an intact crash payload, batches must be contiguous and appear
   * once, and each acknowledged entry must be exactly the payload its batch had.
   */
  private static void checkContents(
      LedgerReader reader, long seed, TreeMap<Long, Ack> acks, long size, String cycle)
      throws IOException {
    Set<List<Long>> batches = new HashSet<>();
    CrashPayload.Key previous = null;
    long seq = 0;
    try (EntryIterator it = reader.entries(0)) {
      while (it.next()) {
        Entry e = it.entry();
        assertThat(e.seq()).as("%s: sequence", cycle).isEqualTo(seq);
        Optional<CrashPayload.Key> key = CrashPayload.check(seed, e.payload());
        assertThat(key).as("%s: entry %d is not an intact payload", cycle, seq).isPresent();
        CrashPayload.Key k = key.get();
        if (k.index() > 0) {
          CrashPayload.Key before = previous;
          assertThat(before != null && before.isFollowedBy(k))
              .as("%s: entry %d (%s) does not follow %s in its batch", cycle, seq, k, before)
              .isTrue();
        } else {
          assertThat(batches.add(List.of((long) k.run(), (long) k.thread(), k.batch())))
              .as("%s: entry %d starts batch %s a second time", cycle, seq, k)
              .isTrue();
        }
        Map.Entry<Long, Ack> a = acks.floorEntry(seq);
        if (a != null && seq < a.getValue().end()) {
          assertThat(k)
              .as("%s: acknowledged entry %d", cycle, seq)
              .isEqualTo(a.getValue().keyOf(seq));
        }
        previous = k;
        seq++;
      }
      assertThat(it.stoppedBy()).as("%s: reading stopped at entry %d", cycle, seq).isEmpty();
    }
    assertThat(seq).as("%s: entries read", cycle).isEqualTo(size);
  }

  private static Set<Path> segmentFiles(Path dir) throws IOException {
    Set<Path> out = new HashSet<>();
    if (Files.isDirectory(Layout.segments(dir))) {
      SegmentSet.scan(Layout.segments(dir), new ArrayList<>())
          .all()
          .forEach(s -> out.add(s.file()));
    }
    return out;
  }

  private static void add(TreeMap<Long, Ack> acks, Ack a, String where) {
    Map.Entry<Long, Ack> below = acks.floorEntry(a.first());
    Map.Entry<Long, Ack> above = acks.ceilingEntry(a.first());
    assertThat(below == null || below.getValue().end() <= a.first())
        .as("%s: %s overlaps the acknowledged %s", where, a, below)
        .isTrue();
    assertThat(above == null || above.getKey() >= a.end())
        .as("%s: %s overlaps the acknowledged %s", where, a, above)
        .isTrue();
    acks.put(a.first(), a);
  }

  private static long end(TreeMap<Long, Ack> acks) {
    return acks.isEmpty() ? 0 : acks.lastEntry().getValue().end();
  }

  private static void count(Map<String, Integer> counts, String key) {
    counts.merge(key, 1, Integer::sum);
  }

  private static int pick(SplittableRandom random, int... choices) {
    return choices[random.nextInt(choices.length)];
  }

  private static VerifyReport verify(Path dir) throws IOException {
    return Verifier.verify(
        new Verifier.Options(dir, Optional.empty(), Optional.empty(), (d, t) -> {}));
  }
}
