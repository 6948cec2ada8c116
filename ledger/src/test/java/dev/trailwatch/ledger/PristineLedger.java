package dev.trailwatch.ledger;

import dev.trailwatch.ledger.checkpoint.NoteLog;
import dev.trailwatch.ledger.checkpoint.NoteVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The data directory that every tampering starts from: a real ledger written by {@link Ledger},
 * with records of varied sizes (some identical neighbours), several segments, several checkpoints
 * and a consumer cursor, closed cleanly. The same seed builds the same bytes (but for the lock
 * file, which names the process): the clock only moves when the test moves it, checkpoints are
 * signed by closing the ledger, and keys come from a seeded generator.
 *
 * <p>It keeps every file in memory, so that restoring a working copy is quick and a tampered copy
 * can be compared with the original byte for byte. Immutable once built; thread-safe.
 */
final class PristineLedger {
  /**
   * What to write.
   *
   * @param entries how many entries
   * @param maxSegmentBytes where segments roll over
   * @param maxPayload the largest payload
   * @param checkpoints how many times to close (which signs a checkpoint) and reopen the ledger on
   *     the way, at random points near evenly spaced ones; besides these there is checkpoint #0 of
   *     the empty ledger and the one the last close signs
   */
  record Shape(int entries, long maxSegmentBytes, int maxPayload, int checkpoints) {}

  /**
   * The main tampering test's directory: a few hundred KB over a dozen segments. Every checkpoint
   * costs each verify an Ed25519 verification of a few milliseconds, so there are only four.
   */
  static final Shape SMALL = new Shape(2500, 32 * 1024, 2500, 2);

  /** Enough entries for a full tile of level 1 (256 * 256 leaves), with tiny payloads. */
  static final Shape TILE_LEVEL_ONE = new Shape(256 * 256 + 300, 1 << 20, 8, 1);

  private final String origin;
  private final NoteVerifier publicKey;
  private final long entries;
  private final Map<String, byte[]> files;

  private PristineLedger(
      String origin, NoteVerifier publicKey, long entries, Map<String, byte[]> files) {
    this.origin = origin;
    this.publicKey = publicKey;
    this.entries = entries;
    this.files = files;
  }

  static PristineLedger build(Path dir, long seed, Shape shape)
      throws IOException, InterruptedException {
    SplittableRandom random = new SplittableRandom(seed);
    SettableClock clock = new SettableClock(Instant.parse("2025-03-01T08:00:00Z"));
    LedgerConfig config =
        LedgerConfig.of(dir)
            .withMaxSegmentBytes(shape.maxSegmentBytes())
            .withCheckpointInterval(Duration.ofDays(1)) // checkpoints only when closing
            .withClock(clock)
            .withOrigin("trailwatch/tamper-test/" + Long.toHexString(seed))
            .withRandom(new SeededSecureRandom(random.nextLong()));
    // Each session ends by closing the ledger, which signs a checkpoint of everything written: a
    // deterministic size, unlike a checkpoint asked for while the tree is still hashing.
    int sessions = shape.checkpoints() + 1;
    long jitter = shape.entries() / (4L * sessions);
    long[] sessionEnds =
        LongStream.rangeClosed(1, sessions)
            .map(i -> i * shape.entries() / sessions)
            .map(e -> e == shape.entries() ? e : e + random.nextLong(-jitter, jitter + 1))
            .toArray();
    String origin = "";
    String key = "";
    long written = 0;
    byte[] previous = new byte[0];
    for (long end : sessionEnds) {
      try (Ledger ledger = Ledger.open(config)) {
        origin = ledger.origin();
        key = ledger.verifierKey();
        while (written < end) {
          int n = (int) Math.min(shape.entries() - written, random.nextInt(1, 120));
          List<byte[]> batch = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            // Runs of identical payloads in one batch give identical neighbouring records (same
            // ingest time), so that some random swaps are no-ops.
            previous =
                random.nextInt(8) == 0
                    ? previous
                    : payload(random, written + i, shape.maxPayload());
            batch.add(previous);
          }
          clock.advance(Duration.ofMillis(random.nextInt(1, 5_000)));
          ledger.append(batch);
          written += n;
        }
        clock.advance(Duration.ofMillis(random.nextInt(1, 1_000)));
      }
    }
    new Cursors(dir).put("indexer", random.nextLong(0, written + 1));
    return new PristineLedger(origin, NoteVerifier.parse(key), written, snapshot(dir));
  }

  private static byte[] payload(SplittableRandom random, long n, int max) {
    int kind = random.nextInt(100);
    if (max <= 16 || kind < 5) {
      byte[] b = new byte[random.nextInt(0, Math.min(max, 16) + 1)];
      random.nextBytes(b);
      return b;
    }
    if (kind < 30) {
      byte[] b = new byte[random.nextInt(1, 65)];
      random.nextBytes(b);
      return b;
    }
    if (kind < 98) {
      String json =
          "{\"n\":"
              + n
              + ",\"actor\":\"user"
              + random.nextInt(50)
              + "\",\"action\":\"read\",\"pad\":\""
              + "x".repeat(random.nextInt(0, 150))
              + "\"}";
      return json.getBytes(StandardCharsets.UTF_8);
    }
    byte[] b = new byte[random.nextInt(500, max + 1)];
    random.nextBytes(b);
    return b;
  }

  /** Every regular file under {@code dir} by relative path ("segments/…", "tiles/level-0"). */
  static Map<String, byte[]> snapshot(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return out;
  }

  /**
   * Makes {@code target} hold exactly this data directory again (creating it if needed), rewriting
   * only the files that differ: quicker than deleting and copying everything.
   */
  void restore(Path target) throws IOException {
    Files.createDirectories(target);
    Map<String, byte[]> now = snapshot(target);
    for (String path : now.keySet()) {
      if (!files.containsKey(path)) {
        Files.delete(target.resolve(path));
      }
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      if (!Arrays.equals(f.getValue(), now.get(f.getKey()))) {
        Path p = target.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.write(p, f.getValue());
      }
    }
  }

  /** Whether {@code other} holds exactly this data directory's files with exactly its bytes. */
  boolean sameBytesAs(Path other) throws IOException {
    Map<String, byte[]> theirs = snapshot(other);
    if (!theirs.keySet().equals(files.keySet())) {
      return false;
    }
    return files.entrySet().stream()
        .allMatch(e -> Arrays.equals(e.getValue(), theirs.get(e.getKey())));
  }

  String origin() {
    return origin;
  }

  /** The public key the ledger was created with: what an auditor holds. */
  NoteVerifier publicKey() {
    return publicKey;
  }

  long entries() {
    return entries;
  }

  /** Relative paths of all files. */
  List<String> paths() {
    return List.copyOf(files.keySet());
  }

  /** A copy of the bytes of {@code path}. */
  byte[] bytes(String path) {
    return file(path).clone();
  }

  int size(String path) {
    return file(path).length;
  }

  private byte[] file(String path) {
    byte[] b = files.get(path);
    if (b == null) {
      throw new IllegalArgumentException("no file " + path + " in the pristine data directory");
    }
    return b;
  }

  long totalBytes() {
    return files.values().stream().mapToLong(b -> b.length).sum();
  }

  /** The segment files' relative paths, in sequence order. */
  List<String> segmentPaths() {
    return files.keySet().stream().filter(p -> p.startsWith(Layout.SEGMENTS + "/")).toList();
  }

  /** The checkpoint notes, in log order. */
  List<String> checkpointNotes() {
    return NoteLog.parse(bytes(Layout.CHECKPOINTS)).entries().stream()
        .map(NoteLog.Entry::note)
        .toList();
  }

  /** An {@link InstantSource} that moves only when told to. */
  static final class SettableClock implements InstantSource {
    private volatile Instant now;

    SettableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** A {@link SecureRandom} that is not secure at all: reproducible keys and origins. */
  static final class SeededSecureRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final SplittableRandom random;

    SeededSecureRandom(long seed) {
      this.random = new SplittableRandom(seed);
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      random.nextBytes(bytes);
    }
  }
}
