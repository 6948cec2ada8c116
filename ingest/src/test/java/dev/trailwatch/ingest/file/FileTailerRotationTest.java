package dev.trailwatch.ingest.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.AccessEvent;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation under a live writer, as logrotate does it: several rotations in {@code create} mode
 * (rename, new file, the daemon writes a few more lines to the renamed file before it reopens its
 * log, as on SIGHUP), then one in {@code copytruncate} mode. Every numbered line written must be
 * stored exactly once, in order.
 */
class FileTailerRotationTest {
  private static final int RENAME_ROTATIONS = 4;
  private static final int LINES_PER_GENERATION = 100;

  @TempDir Path dir;

  /** A logging daemon: appends numbered lines; reopens its log when asked. */
  private static final class Daemon implements Runnable {
    final Object lock = new Object();
    private final Path path;
    private OutputStream out; // guarded by lock
    private int next; // guarded by lock
    private int reopens; // guarded by lock
    private boolean reopenRequested; // guarded by lock
    private volatile boolean stop;
    private volatile Throwable error;

    Daemon(Path path) throws IOException {
      this.path = path;
      this.out = new FileOutputStream(path.toFile(), true);
    }

    @Override
    public void run() {
      try {
        while (!stop) {
          synchronized (lock) {
            writeLine();
            if (reopenRequested) {
              // SIGHUP: a couple more lines still go to the old (renamed) file, then reopen.
              writeLine();
              writeLine();
              out.close();
              out = new FileOutputStream(path.toFile(), true);
              reopenRequested = false;
              reopens++;
            }
          }
          Thread.sleep(1);
        }
        synchronized (lock) {
          out.close();
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        error = e;
      }
    }

    /** Writes the next numbered line to the file open now; the caller holds the lock. */
    void writeLine() throws IOException {
      out.write(("line " + next + "\n").getBytes(UTF_8));
      next++;
    }

    int written() {
      synchronized (lock) {
        return next;
      }
    }

    int reopens() {
      synchronized (lock) {
        return reopens;
      }
    }

    void requestReopen() {
      synchronized (lock) {
        reopenRequested = true;
      }
    }
  }

  /** logrotate's numbering: app.log.N becomes app.log.N+1, oldest first. */
  private static void shift(Path log) throws IOException {
    for (int n = RENAME_ROTATIONS + 1; n >= 1; n--) {
      Path from = log.resolveSibling(log.getFileName() + "." + n);
      if (Files.exists(from)) {
        Files.move(from, log.resolveSibling(log.getFileName() + "." + (n + 1)));
      }
    }
  }

  @Test
  void everyLineOnceAndInOrderThroughRenameAndCopytruncateRotations() throws Exception {
    Path log = dir.resolve("app.log");
    Daemon daemon = new Daemon(log);
    CollectingSink sink = new CollectingSink();
    FileTailer tailer =
        new FileTailer(
            FileTailer.Config.of(log, new LinesParser())
                .withPollInterval(Duration.ofMillis(50))
                .withBatchSize(64),
            sink,
            new MemoryPositionStore());
    Thread writer = Thread.ofPlatform().name("test-daemon").start(daemon);
    try {
      tailer.start();
      for (int r = 1; r <= RENAME_ROTATIONS; r++) {
        waitForMoreLines(daemon);
        synchronized (daemon.lock) {
          shift(log);
          Files.move(log, log.resolveSibling("app.log.1"));
          Files.createFile(log);
          daemon.writeLine(); // the daemon has not noticed yet
        }
        daemon.requestReopen();
        int reopened = r;
        Poll.until("the daemon reopens its log", () -> daemon.reopens() == reopened);
      }

      waitForMoreLines(daemon);
      synchronized (daemon.lock) {
        // copytruncate loses what is written between the copy and the truncation, and what the
        // tailer has not read before it: the daemon is paused (we hold its lock) until the tailer
        // has read everything and has seen the truncation.
        int written = daemon.next;
        Poll.until(
            () -> "the tailer catches up with " + written + " lines; it has " + sink.size(),
            () -> sink.size() == written);
        shift(log);
        Files.copy(log, log.resolveSibling("app.log.1"));
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
          ch.truncate(0);
        }
        Poll.until("the truncation is seen", () -> tailer.stats().truncations() == 1);
      }
      waitForMoreLines(daemon);
    } finally {
      daemon.stop = true;
      writer.join();
    }
    assertThat(daemon.error).isNull();
    int total = daemon.written();
    Poll.until(
        () -> "all " + total + " lines stored; " + sink.size() + " are",
        () -> sink.size() >= total);
    tailer.close();

    assertThat(sink.messages())
        .containsExactlyElementsOf(IntStream.range(0, total).mapToObj(i -> "line " + i).toList());
    assertThat(tailer.stats().rotations()).isEqualTo(RENAME_ROTATIONS);
    assertThat(tailer.stats().truncations()).isEqualTo(1);
    assertThat(tailer.failure()).isEmpty();

    // Per file generation (inode): one contiguous run of lines, offsets from 0 upwards (two runs
    // for the copytruncated file).
    Map<String, List<AccessEvent>> byFile = new LinkedHashMap<>();
    for (AccessEvent e : sink.events()) {
      String file =
          e.labels().getOrDefault(FileTailer.INODE_LABEL, e.labels().get(FileTailer.FILE_ID_LABEL));
      byFile.computeIfAbsent(file, k -> new ArrayList<>()).add(e);
    }
    assertThat(byFile).hasSize(RENAME_ROTATIONS + 1);
    List<String> fileOrder = new ArrayList<>();
    String previous = null;
    for (AccessEvent e : sink.events()) {
      String file = e.labels().get(FileTailer.INODE_LABEL);
      if (file != null && !file.equals(previous)) {
        fileOrder.add(file);
        previous = file;
      }
    }
    assertThat(fileOrder).doesNotHaveDuplicates();
    for (List<AccessEvent> generation : byFile.values()) {
      assertThat(generation.get(0).labels()).containsEntry(FileTailer.OFFSET_LABEL, "0");
    }
  }

  private static void waitForMoreLines(Daemon daemon) {
    int target = daemon.written() + LINES_PER_GENERATION;
    Poll.until("the daemon writes up to line " + target, () -> daemon.written() >= target);
  }
}
