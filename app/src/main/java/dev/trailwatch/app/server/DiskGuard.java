package dev.trailwatch.app.server;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Refuses writes before the disk is full: below {@code minFreeBytes} of usable space, ingest
 * answers 503 instead of writing, so the ledger never meets a full disk (after an I/O error it
 * stops for good, by design). Checks the file system at most every half second.
 */
final class DiskGuard {
  private final FileStore store;
  private final long minFreeBytes;
  private volatile long checkedAt;
  private volatile long free = Long.MAX_VALUE;

  DiskGuard(Path dataDir, long minFreeBytes) throws IOException {
    this.store = Files.getFileStore(dataDir);
    this.minFreeBytes = minFreeBytes;
    this.checkedAt = System.nanoTime() - 1_000_000_000L;
  }

  /** Why writing must wait, or empty when there is room. */
  Optional<String> problem() {
    long now = System.nanoTime();
    if (now - checkedAt > 500_000_000L) {
      try {
        free = store.getUsableSpace();
      } catch (IOException e) {
        free = 0;
      }
      checkedAt = now;
    }
    if (free < minFreeBytes) {
      return Optional.of(
          "the disk of the data directory is nearly full ("
              + mib(free)
              + " MiB free, "
              + mib(minFreeBytes)
              + " MiB required by storage.min_free_bytes); free space and retry");
    }
    return Optional.empty();
  }

  long freeBytes() {
    return free;
  }

  private static long mib(long bytes) {
    return bytes >> 20;
  }
}
