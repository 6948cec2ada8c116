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

/**
 * The single-writer lock of a data directory: an OS file lock on {@code DIR/lock}, whose content
 * names the holder (pid, host, start time) so that a second writer can say who holds it. The OS
 * releases the lock when the holder dies, even by SIGKILL, so a stale file never blocks anyone.
 */
final class DataLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DataLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DataLock acquire(Path dataDir) throws IOException {
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
    return new DataLock(ch, lock);
  }

  /** Whether a live process holds the writer lock of {@code dataDir} (without taking it). */
  static boolean isHeld(Path dataDir) {
    Path file = dataDir.resolve(Layout.LOCK);
    if (!Files.exists(file)) {
      return false;
    }
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock probe = ch.tryLock();
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
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
