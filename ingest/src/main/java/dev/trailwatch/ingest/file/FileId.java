package dev.trailwatch.ingest.file;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;

/**
 * Which file, whatever its name: what tells a rotated file from the new one at the same path.
 *
 * <p>On Unix file systems it is the device and inode number (Filebeat's {@code log.file.device_id}
 * and {@code log.file.inode}). Elsewhere {@code deviceId} is empty and {@code inode} holds the text
 * of {@link BasicFileAttributes#fileKey()} (labelled {@code log.file.id}), or the creation time
 * where the file system has no key.
 *
 * @param deviceId the device number in decimal; empty when only a file key is known
 * @param inode the inode number in decimal, or the file key
 */
public record FileId(String deviceId, String inode) {
  public FileId {
    requireNonNull(deviceId, "deviceId");
    requireNonNull(inode, "inode");
    if (inode.isEmpty()) {
      throw new IllegalArgumentException("a file id needs an inode or file key");
    }
  }

  /** Whether this is a device and inode (else a file key). */
  public boolean isUnix() {
    return !deviceId.isEmpty();
  }

  /** The id of the file {@code path} names now (following links); empty when there is none. */
  static Optional<FileId> of(Path path) throws IOException {
    try {
      if (path.getFileSystem().supportedFileAttributeViews().contains("unix")) {
        Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino");
        return Optional.of(new FileId(String.valueOf(a.get("dev")), String.valueOf(a.get("ino"))));
      }
      BasicFileAttributes b = Files.readAttributes(path, BasicFileAttributes.class);
      Object key = b.fileKey();
      return Optional.of(
          new FileId("", key != null ? key.toString() : "created:" + b.creationTime()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return isUnix() ? "dev=" + deviceId + ",ino=" + inode : inode;
  }
}
