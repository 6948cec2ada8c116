package dev.trailwatch.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The single-writer lock of a data directory: an OS file lock on {@code DIR/lock}, whose content
 * names the holder (pid, host, start time) so that a second writer can say who holds it. The OS
 * releases the lock when the holder dies, even by SIGKILL, so a stale file never blocks anyone.
 *
 * <p>POSIX record locks belong to the process, and closing <em>any</em> descriptor of the file
 * releases them all: a second channel opened on the lock file by the holding JVM, even just to
 * look, would silently drop the lock. So this JVM's own locks are tracked in {@link #HELD}, and the
 * lock file is never opened again while this JVM holds it. This is the one piece of static mutable
 * state in the ledger, because the OS resource it models is per process.
 */
final class DataLock implements AutoCloseable {
  private static final Map<Path, DataLock> HELD = new HashMap<>();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private DataLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  static DataLock acquire(Path dataDir) throws IOException {
    Path key = dataDir.toRealPath();
    synchronized (HELD) {
      if (HELD.containsKey(key)) {
        throw new LedgerLockedException(dataDir, thisProcess());
      }
      DataLock l = lockFile(dataDir, key);
      HELD.put(key, l);
      return l;
    }
  }

  private static String thisProcess() {
    return "process " + ProcessHandle.current().pid() + " (this process)";
  }

  private static DataLock lockFile(Path dataDir, Path key) throws IOException {
    Path file = dataDir.resolve(Layout.LOCK);
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      String holder = describeHolder(ch);
      ch.close();
      throw new LedgerLockedException(dataDir, holder);
    }
    ProcessHandle me = ProcessHandle.current();
    String text =
        "pid "
            + me.pid()
            + "\nhost "
            + hostName()
            + "\nsince "
            + Instant.now()
            + "\ncommand "
            + me.info().command().orElse("?")
            + "\n";
    ch.truncate(0);
    ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
    ch.force(true);
    return new DataLock(key, ch, lock);
  }

  /** Whether a live process holds the writer lock of {@code dataDir} (without taking it). */
  static boolean isHeld(Path dataDir) {
    Path file = dataDir.resolve(Layout.LOCK);
    if (!Files.exists(file)) {
      return false;
    }
    synchronized (HELD) {
      if (heldHere(dataDir)) {
        return true;
      }
      return probe(file);
    }
  }

  private static boolean heldHere(Path dataDir) {
    try {
      return HELD.containsKey(dataDir.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean probe(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      FileLock probe = ch.tryLock(0, Long.MAX_VALUE, true);
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** "pid 1234 on host x since ..." from the lock file, for error messages. */
  static String describeHolder(Path dataDir) {
    synchronized (HELD) {
      if (heldHere(dataDir)) {
        return thisProcess();
      }
    }
    try (FileChannel ch = FileChannel.open(dataDir.resolve(Layout.LOCK), StandardOpenOption.READ)) {
      return describeHolder(ch);
    } catch (IOException e) {
      return "another process";
    }
  }

  private static String describeHolder(FileChannel ch) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(4096);
      ch.read(buf, 0);
      String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
      String pid = field(text, "pid");
      String host = field(text, "host");
      String since = field(text, "since");
      String command = field(text, "command");
      if (pid.isEmpty()) {
        return "another process";
      }
      return "process "
          + pid
          + (host.isEmpty() ? "" : " on " + host)
          + (command.isEmpty() ? "" : " (" + command + ")")
          + (since.isEmpty() ? "" : ", since " + since);
    } catch (IOException e) {
      return "another process";
    }
  }

  private static String field(String text, String key) {
    for (String line : text.split("\n", -1)) {
      if (line.startsWith(key + " ")) {
        return line.substring(key.length() + 1).trim();
      }
    }
    return "";
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return Files.readString(Path.of("/etc/hostname")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (HELD) {
      try {
        lock.release();
      } finally {
        channel.close();
        HELD.remove(key);
      }
    }
  }
}
