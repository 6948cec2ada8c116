package dev.trailwatch.app.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The API's bearer tokens, stored hashed (SHA-256) in {@code DATA/auth/tokens.json}, one JSON
 * object per line. A token is {@code tw_} and 32 random bytes in base64url: far too much entropy to
 * guess, so an unsalted hash is enough to keep a stolen file from giving tokens away.
 *
 * <p>The server rereads the file when it changes, so {@code trailwatch token create} and {@code
 * revoke} take effect within a second without a restart.
 */
public final class Tokens {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setDefaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));
  private static final String PREFIX = "tw_";

  private final Path file;
  private volatile Snapshot snapshot = new Snapshot(List.of(), -1, 0);

  private record Snapshot(List<Entry> entries, long modified, long checkedAtNanos) {}

  /**
   * One token.
   *
   * @param id a short public id (to list and revoke it)
   * @param name what it is for
   * @param role its role
   * @param sha256 the SHA-256 of the token, hex
   * @param created when it was made
   * @param revoked when it was revoked, or null
   */
  public record Entry(
      String id, String name, String role, String sha256, String created, String revoked) {
    public Optional<Role> roleValue() {
      return Role.of(role);
    }

    public boolean active() {
      return revoked == null;
    }

    /** Who this token is, in system entries: its name, or its id when it has none. */
    public String actor() {
      return name == null || name.isBlank() ? "token " + id : name;
    }
  }

  /** A token just made: the secret (shown once) and its entry. */
  public record Created(String token, Entry entry) {}

  public Tokens(Path dataDir) {
    this.file = dataDir.resolve("auth").resolve("tokens.json");
  }

  public Path file() {
    return file;
  }

  /** The role of a presented token, if it is known and not revoked. */
  public Optional<Role> authenticate(String token) {
    return identify(token).flatMap(Entry::roleValue);
  }

  /** The entry of a presented token, if it is known and not revoked: who is calling. */
  public Optional<Entry> identify(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String hash = sha256(token);
    for (Entry e : current()) {
      if (e.active() && MessageDigest.isEqual(bytes(e.sha256()), bytes(hash))) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Every token, revoked ones included. */
  public List<Entry> list() throws IOException {
    return load();
  }

  /** Whether any token exists yet (first start). */
  public boolean isEmpty() throws IOException {
    return load().isEmpty();
  }

  /**
   * Makes a token.
   *
   * @param secret the token's value, or null for a random one
   */
  public synchronized Created create(Role role, String name, String secret, SecureRandom random)
      throws IOException {
    String token = secret;
    if (token == null) {
      byte[] b = new byte[32];
      random.nextBytes(b);
      token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    } else if (!token.startsWith(PREFIX) || token.length() < PREFIX.length() + 16) {
      throw new IllegalArgumentException(
          "a token must start with '" + PREFIX + "' and have at least 16 more characters");
    }
    byte[] idBytes = new byte[6];
    random.nextBytes(idBytes);
    Entry e =
        new Entry(
            HexFormat.of().formatHex(idBytes),
            name,
            role.id(),
            sha256(token),
            Instant.now().toString(),
            null);
    List<Entry> all = new ArrayList<>(load());
    if (all.stream().anyMatch(x -> x.sha256().equals(e.sha256()))) {
      throw new IllegalArgumentException("that token exists already");
    }
    all.add(e);
    save(all);
    return new Created(token, e);
  }

  /** Revokes the token with this id; false when there is none. */
  public synchronized boolean revoke(String id) throws IOException {
    List<Entry> all = new ArrayList<>(load());
    boolean found = false;
    for (int i = 0; i < all.size(); i++) {
      Entry e = all.get(i);
      if (e.id().equals(id) && e.active()) {
        all.set(
            i,
            new Entry(
                e.id(), e.name(), e.role(), e.sha256(), e.created(), Instant.now().toString()));
        found = true;
      }
    }
    if (found) {
      save(all);
    }
    return found;
  }

  private List<Entry> current() {
    Snapshot s = snapshot;
    long now = System.nanoTime();
    if (s.modified() >= 0 && now - s.checkedAtNanos() < 1_000_000_000L) {
      return s.entries();
    }
    try {
      long modified = Files.getLastModifiedTime(file).toMillis();
      if (modified != s.modified()) {
        snapshot = new Snapshot(load(), modified, now);
      } else {
        snapshot = new Snapshot(s.entries(), modified, now);
      }
    } catch (NoSuchFileException e) {
      snapshot = new Snapshot(List.of(), 0, now);
    } catch (IOException e) {
      // keep the last good list; the next call tries again
    }
    return snapshot.entries();
  }

  private List<Entry> load() throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    int n = 0;
    for (String line : lines) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(JSON.readValue(line, Entry.class));
      } catch (IOException e) {
        throw new IOException(file + ": line " + n + " is not a token entry: " + e.getMessage());
      }
    }
    return out;
  }

  private void save(List<Entry> all) throws IOException {
    Path dir = file.getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      trySetPermissions(dir, "rwx------");
    }
    StringBuilder sb = new StringBuilder();
    for (Entry e : all) {
      sb.append(JSON.writeValueAsString(e)).append('\n');
    }
    Path tmp = dir.resolve("tokens.json.tmp");
    Files.writeString(tmp, sb, StandardCharsets.UTF_8);
    trySetPermissions(tmp, "rw-------");
    try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    snapshot = new Snapshot(List.copyOf(all), Files.getLastModifiedTime(file).toMillis(), 0);
  }

  static void trySetPermissions(Path p, String perms) {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: rely on its own access control
    }
  }

  static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
