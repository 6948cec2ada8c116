package dev.trailwatch.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Every fsync and rename of the ledger, in one place.
 *
 * <p>Publishing follows the usual recipe: write a temporary file, fsync it, rename it over the
 * target, then fsync the directory so that the rename itself survives a crash. Never retry an
 * fsync: an {@link IOException} from {@code force} means the page cache may already have dropped
 * the data, so callers fail-stop.
 */
public final class DurableFiles {
  private DurableFiles() {}

  /** Atomically replaces {@code target} with {@code content}, durably. */
  public static void publish(Path target, byte[] content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(ch, ByteBuffer.wrap(content));
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory(target.toAbsolutePath().getParent());
  }

  /**
   * Creates {@code target} with {@code content} unless it exists. Existing identical bytes count as
   * success (so replay after a crash is safe); different bytes are an error.
   */
  public static void createIdempotent(Path target, byte[] content) throws IOException {
    if (Files.exists(target)) {
      byte[] existing = Files.readAllBytes(target);
      if (Arrays.equals(existing, content)) {
        return;
      }
      throw new FileAlreadyExistsException(
          target.toString(), null, "exists with different content; refusing to overwrite it");
    }
    publish(target, content);
  }

  /** Appends {@code content} at the end of {@code file} (creating it) and fsyncs it. */
  public static void appendDurably(Path file, byte[] content) throws IOException {
    boolean created = !Files.exists(file);
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long end = ch.size();
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        end += ch.write(buf, end);
      }
      ch.force(false);
    }
    if (created) {
      syncDirectory(file.toAbsolutePath().getParent());
    }
  }

  /** Makes the creation, rename or deletion of entries in {@code dir} durable. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems (and all of Windows) cannot open a directory; nothing more can be done.
      if (Files.isDirectory(dir) && !isPosix()) {
        return;
      }
      throw e;
    }
  }

  /** Creates {@code dir} and any missing parents, durably. */
  public static void createDirectories(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath();
    if (Files.isDirectory(abs)) {
      return;
    }
    Path parent = abs.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    Files.createDirectories(abs);
    if (parent != null) {
      syncDirectory(parent);
    }
  }

  /** Truncates {@code file} to {@code size} bytes and fsyncs it. */
  public static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
      ch.force(true);
    }
  }

  static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, position);
      if (n < 0) {
        throw new java.io.EOFException("unexpected end of file at position " + position);
      }
      position += n;
    }
  }

  private static boolean isPosix() {
    return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
