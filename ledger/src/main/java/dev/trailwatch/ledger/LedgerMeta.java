package dev.trailwatch.ledger;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The {@code LEDGER} file: the on-disk format version, checked at every open, and the ledger's
 * origin, the name its checkpoints carry (C2SP: a unique, schema-less URL-like identifier; it is
 * also the signing key's name).
 *
 * <pre>
 * trailwatch-ledger
 * version 1
 * origin trailwatch/host-a/5c1f0e2b9d0a4f37
 * </pre>
 */
record LedgerMeta(int version, String origin) {
  static final int VERSION = 1;
  private static final String MAGIC = "trailwatch-ledger";

  LedgerMeta {
    if (origin.isEmpty() || origin.chars().anyMatch(c -> c <= ' ' || c == '+' || c > '~')) {
      throw new IllegalArgumentException(
          "origin '" + origin + "' must be non-empty printable ASCII without spaces or '+'");
    }
  }

  String encode() {
    return MAGIC + "\nversion " + version + "\norigin " + origin + "\n";
  }

  /** Reads the LEDGER file of {@code dir}; empty if there is none (not a ledger yet). */
  static Optional<LedgerMeta> read(Path dir) throws IOException {
    Path file = dir.resolve(Layout.VERSION_FILE);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (CharacterCodingException e) {
      throw new LedgerFormatException(file, "not UTF-8 text: not a Trailwatch ledger version file");
    }
    String[] lines = text.split("\n", -1);
    if (lines.length < 3 || !lines[0].equals(MAGIC) || !lines[1].startsWith("version ")) {
      throw new LedgerFormatException(file, "not a Trailwatch ledger version file");
    }
    int version;
    try {
      version = Integer.parseInt(lines[1].substring("version ".length()));
    } catch (NumberFormatException e) {
      throw new LedgerFormatException(file, "unreadable version line '" + lines[1] + "'");
    }
    if (version > VERSION) {
      throw new LedgerFormatException(
          file,
          "ledger format version "
              + version
              + " is newer than this Trailwatch understands ("
              + VERSION
              + "): upgrade Trailwatch");
    }
    if (version < 1) {
      throw new LedgerFormatException(file, "ledger format version " + version + " is unknown");
    }
    if (!lines[2].startsWith("origin ")) {
      throw new LedgerFormatException(file, "missing origin line");
    }
    try {
      return Optional.of(new LedgerMeta(version, lines[2].substring("origin ".length())));
    } catch (IllegalArgumentException e) {
      throw new LedgerFormatException(file, e.getMessage());
    }
  }

  /** Reads the LEDGER file, or creates it (durably) for a new ledger. */
  static LedgerMeta readOrCreate(Path dir, Optional<String> origin, SecureRandom random)
      throws IOException {
    Optional<LedgerMeta> existing = read(dir);
    if (existing.isPresent()) {
      LedgerMeta meta = existing.get();
      if (origin.isPresent() && !origin.get().equals(meta.origin())) {
        throw new LedgerFormatException(
            dir.resolve(Layout.VERSION_FILE),
            "this ledger's origin is '"
                + meta.origin()
                + "', not the configured '"
                + origin.get()
                + "'; an origin cannot change after the first checkpoint");
      }
      return meta;
    }
    byte[] id = new byte[8];
    random.nextBytes(id);
    String name = origin.orElse("trailwatch/" + safeHost() + "/" + HexFormat.of().formatHex(id));
    LedgerMeta meta = new LedgerMeta(VERSION, name);
    DurableFiles.createIdempotent(
        dir.resolve(Layout.VERSION_FILE), meta.encode().getBytes(StandardCharsets.UTF_8));
    return meta;
  }

  private static String safeHost() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = Files.readString(Path.of("/etc/hostname")).trim();
      } catch (IOException | RuntimeException e) {
        host = "localhost";
      }
    }
    String clean = host.replaceAll("[^A-Za-z0-9.-]", "-");
    return clean.isEmpty() ? "localhost" : clean;
  }
}
