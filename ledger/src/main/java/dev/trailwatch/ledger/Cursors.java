package dev.trailwatch.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The persisted positions of the ledger's consumers (the indexer, the detector, ...), one small
 * file per consumer name under {@code DIR/cursors}: the sequence number of the next entry the
 * consumer has not processed yet, as decimal text. Each save replaces the file atomically and
 * durably, so after a crash a consumer resumes from its last save. Cursors are consumer state, not
 * ledger content: {@code verify} does not check them. Thread-safe.
 */
public final class Cursors {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private final Path dir;

  public Cursors(Path dataDir) {
    this.dir = Layout.cursors(dataDir);
  }

  /** The saved position of {@code name}, if it ever saved one. */
  public OptionalLong get(String name) throws IOException {
    Path file = dir.resolve(check(name));
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
    try {
      long v = Long.parseLong(text);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return OptionalLong.of(v);
    } catch (NumberFormatException e) {
      throw new IOException(
          "cursor file " + file + " holds '" + text + "', not a position; delete it to start over");
    }
  }

  /** Saves {@code position} (the next sequence number to process) for {@code name}, durably. */
  public synchronized void put(String name, long position) throws IOException {
    if (position < 0) {
      throw new IllegalArgumentException("position must be >= 0, not " + position);
    }
    DurableFiles.createDirectories(dir);
    DurableFiles.publish(
        dir.resolve(check(name)), (position + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  private static String check(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("cursor name '" + name + "' must match " + NAME.pattern());
    }
    return name;
  }
}
