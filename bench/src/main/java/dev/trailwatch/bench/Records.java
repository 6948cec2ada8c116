package dev.trailwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Test data and scratch directories shared by the benchmarks. */
final class Records {
  /** The record size of the issue: 300-byte payloads. */
  static final int SIZE = 300;

  /** Records per append call, and per benchmark invocation of the hashing references. */
  static final int BATCH = 1000;

  /** The seed of every generated record; fixed so that every run hashes the same bytes. */
  static final long SEED = 0x7261696C77617463L;

  /** Where the ledger benchmarks create their data directories: {@code -Dbench.dir}, else tmp. */
  static final String DIR_PROPERTY = "bench.dir";

  private Records() {}

  /**
   * {@code count} records of {@code size} printable ASCII bytes (the hash cost does not depend on
   * the content; printable bytes keep the files readable when debugging).
   */
  static byte[][] generate(long seed, int count, int size) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[][] records = new byte[count][size];
    for (byte[] r : records) {
      for (int i = 0; i < size; i++) {
        r[i] = (byte) random.nextInt(0x20, 0x7f);
      }
    }
    return records;
  }

  static List<byte[]> batch(long seed) {
    return List.of(generate(seed, BATCH, SIZE));
  }

  /** A new empty directory under {@code -Dbench.dir} (default: {@code java.io.tmpdir}). */
  static Path scratchDirectory(String prefix) throws IOException {
    Path base = Paths.get(System.getProperty(DIR_PROPERTY, System.getProperty("java.io.tmpdir")));
    Files.createDirectories(base);
    return Files.createTempDirectory(base, prefix);
  }

  /** Deletes {@code dir} and everything below it; a missing directory is fine. */
  static void deleteRecursively(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
