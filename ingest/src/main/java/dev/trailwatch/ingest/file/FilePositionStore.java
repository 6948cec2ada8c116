package dev.trailwatch.ingest.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Positions in a directory, one small JSON file per followed path:
 *
 * <pre>{@code
 * {"format":"trailwatch-tail-position","version":1,"path":"/var/log/auth.log",
 *  "device_id":"2049","inode":"1835015","offset":48213,"last_seq":90211}
 * }</pre>
 *
 * <p>The file is named after the path's last part and a hash of the whole path ({@code
 * auth.log-3f9a0c1d2e4b5a69.position.json}), so that two paths with the same file name do not
 * collide. A save writes a temporary file, forces it to disk, renames it over the old one and
 * forces the directory: after a crash the file holds the old or the new position, never a mix.
 * Thread-safe for different paths (each path's tailer is its only writer).
 */
public final class FilePositionStore implements PositionStore {
  static final String FORMAT = "trailwatch-tail-position";
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;

  /** Keeps positions in {@code directory}, which is created when missing. */
  public FilePositionStore(Path directory) throws IOException {
    this.directory = requireNonNull(directory, "directory");
    Files.createDirectories(directory);
  }

  /** The file that holds the position of {@code path}. */
  Path fileFor(String path) {
    String name = Path.of(path).getFileName() == null ? "" : Path.of(path).getFileName().toString();
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.length() > 40) {
      safe = safe.substring(0, 40);
    }
    return directory.resolve(safe + "-" + hash(path) + ".position.json");
  }

  @Override
  public Optional<Position> load(String path) throws IOException {
    Path file = fileFor(path);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(bytes);
      if (n == null || !n.isObject() || !FORMAT.equals(n.path("format").asText())) {
        throw new IOException("not a position file (no \"format\":\"" + FORMAT + "\"): " + file);
      }
      int version = n.path("version").asInt(-1);
      if (version != VERSION) {
        throw new IOException(
            "position file version mismatch: actual="
                + version
                + " vs expected="
                + VERSION
                + ": "
                + file);
      }
      String saved = n.path("path").asText();
      if (!saved.equals(path)) {
        throw new IOException("position file " + file + " is for path " + saved + ", not " + path);
      }
      FileId id = new FileId(n.path("device_id").asText(""), n.path("inode").asText(""));
      return Optional.of(
          new Position(path, id, n.path("offset").asLong(-1), n.path("last_seq").asLong(-2)));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IOException("unreadable position file " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void save(Position position) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", FORMAT);
    n.put("version", VERSION);
    n.put("path", position.path());
    n.put("device_id", position.file().deviceId());
    n.put("inode", position.file().inode());
    n.put("offset", position.offset());
    n.put("last_seq", position.lastSeq());
    byte[] bytes = (JSON.writeValueAsString(n) + "\n").getBytes(UTF_8);
    Path target = fileFor(position.path());
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory();
  }

  /** Forces the rename to disk; file systems that cannot open a directory (Windows) skip it. */
  private void syncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
      // Not every platform can fsync a directory; the rename is still atomic.
    }
  }

  private static String hash(String path) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(path.getBytes(UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is required of every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "FilePositionStore[" + directory + "]";
  }
}
