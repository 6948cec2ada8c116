package dev.trailwatch.ledger.checkpoint;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;

/**
 * The log's signing key on disk.
 *
 * <pre>
 * keysDir/             0700
 *   signing.key        0600  signer key (PRIVATE+KEY+name+hash+base64) and "\n"
 *   signing.pub        0644  verifier key (name+hash+base64) and "\n": what auditors are given
 * </pre>
 *
 * <p>Both files are published by rename: written to a temporary file in {@code keysDir} that is
 * created with its final permissions, forced to disk, renamed into place, and then the directory is
 * forced. After a crash either a file is complete or it is absent; a missing {@code signing.pub} is
 * rewritten from {@code signing.key} at the next start. A private key that group or others may
 * access is refused, as ssh refuses one. On file systems without POSIX permissions the permission
 * steps are skipped.
 *
 * <p>Not safe against two processes creating the key at once: the ledger owns its keys directory.
 */
public final class KeyFiles {
  /** The private key file in the keys directory. */
  public static final String SIGNING_KEY = "signing.key";

  /** The public key file in the keys directory. */
  public static final String SIGNING_PUB = "signing.pub";

  private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> PRIVATE_PERMISSIONS =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC_PERMISSIONS =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  /** Key files are one short line; anything much larger is not a key file. */
  private static final long MAX_KEY_FILE_BYTES = 4096;

  private KeyFiles() {}

  /**
   * Loads the signing key from {@code keysDir}, creating the directory and a new key named {@code
   * name} on first use.
   *
   * @throws IOException if the files cannot be read or written, the private key is accessible by
   *     group or others, holds no signer key or a key for another name, or {@code signing.pub} does
   *     not match it (or exists without {@code signing.key})
   * @throws IllegalArgumentException if {@code name} is not a valid key name
   */
  public static NoteSigner loadOrCreate(Path keysDir, String name, SecureRandom random)
      throws IOException {
    requireNonNull(keysDir, "keysDir");
    requireNonNull(random, "random");
    NoteFormat.requireValidName(requireNonNull(name, "name"));
    if (!Files.exists(keysDir, LinkOption.NOFOLLOW_LINKS)) {
      if (keysDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectories(
            keysDir, PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS));
      } else {
        Files.createDirectories(keysDir);
      }
    } else if (!Files.isDirectory(keysDir)) {
      throw new IOException(keysDir + " is not a directory: cannot keep the signing key there");
    }
    Path keyFile = keysDir.resolve(SIGNING_KEY);
    Path pubFile = keysDir.resolve(SIGNING_PUB);
    if (Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
      return load(keyFile, pubFile, name);
    }
    if (Files.exists(pubFile, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          pubFile
              + " exists but "
              + keyFile
              + " does not: refusing to create a new signing key that would not match the"
              + " published public key; restore "
              + keyFile
              + " from a backup, or move "
              + pubFile
              + " away to start a new key");
    }
    NoteSigner signer = NoteSigner.generate(name, random);
    writeDurably(keyFile, signer.signerKey() + "\n", PRIVATE_PERMISSIONS);
    writeDurably(pubFile, signer.verifier().verifierKey() + "\n", PUBLIC_PERMISSIONS);
    return signer;
  }

  private static NoteSigner load(Path keyFile, Path pubFile, String name) throws IOException {
    requirePrivate(keyFile);
    NoteSigner signer;
    try {
      signer = NoteSigner.parse(readKeyFile(keyFile));
    } catch (IllegalArgumentException e) {
      throw new IOException(
          keyFile
              + " does not hold a note signer key: expected PRIVATE+KEY+name+hash+base64 ("
              + e.getMessage()
              + ")",
          e);
    }
    if (!signer.name().equals(name)) {
      throw new IOException(
          keyFile
              + " holds the key of "
              + NoteFormat.quote(signer.name())
              + ", expected "
              + NoteFormat.quote(name)
              + ": the key name is part of every signature and of the public key, so it cannot"
              + " change; configure the name "
              + NoteFormat.quote(signer.name())
              + " or use another keys directory");
    }
    if (!Files.exists(pubFile, LinkOption.NOFOLLOW_LINKS)) {
      writeDurably(pubFile, signer.verifier().verifierKey() + "\n", PUBLIC_PERMISSIONS);
      return signer;
    }
    NoteVerifier published;
    try {
      published = loadPublic(pubFile);
    } catch (IOException e) {
      throw new IOException(pubFile + " does not match " + keyFile + ": " + e.getMessage(), e);
    }
    if (!published.equals(signer.verifier())) {
      throw new IOException(
          pubFile
              + " does not match "
              + keyFile
              + ": expected="
              + signer.verifier().verifierKey()
              + " (from the private key), actual="
              + published.verifierKey());
    }
    return signer;
  }

  /**
   * Reads a verifier key file, the file an auditor is given. Surrounding whitespace is ignored.
   *
   * @throws IOException if the file cannot be read or does not hold exactly one verifier key
   */
  public static NoteVerifier loadPublic(Path file) throws IOException {
    requireNonNull(file, "file");
    String text = readKeyFile(file);
    String expected = " does not hold a Trailwatch/note verifier key: expected name+hash+base64";
    if (text.startsWith("PRIVATE+KEY+")) {
      throw new IOException(
          file
              + expected
              + ", found a private signing key: give auditors signing.pub, never "
              + "signing.key");
    }
    if (text.isEmpty()) {
      throw new IOException(file + expected + ", found an empty file");
    }
    if (text.codePoints().anyMatch(Character::isWhitespace)) {
      throw new IOException(file + expected + " on one line, found more than one word");
    }
    try {
      return NoteVerifier.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + expected + " (" + e.getMessage() + ")", e);
    }
  }

  /** The file's content without surrounding whitespace; small, UTF-8. */
  private static String readKeyFile(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_KEY_FILE_BYTES) {
      throw new IOException(
          file
              + " is "
              + size
              + " bytes, too large for a key file (at most "
              + MAX_KEY_FILE_BYTES
              + ")");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString()
          .strip();
    } catch (CharacterCodingException e) {
      throw new IOException(file + " is not UTF-8 text: not a key file", e);
    }
  }

  private static void requirePrivate(Path keyFile) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(keyFile, PosixFileAttributeView.class);
    if (view == null) {
      return; // no POSIX permissions here
    }
    Set<PosixFilePermission> permissions = view.readAttributes().permissions();
    if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
      throw new IOException(
          "permissions "
              + PosixFilePermissions.toString(permissions)
              + " for "
              + keyFile
              + " are too open: the private signing key must not be accessible by group or"
              + " others; run: chmod 600 "
              + keyFile);
    }
  }

  /**
   * Publishes {@code content} at {@code target} by rename: a new temporary file with {@code
   * permissions} from the start (where POSIX permissions exist), written and forced, renamed over
   * {@code target}, then the directory forced.
   */
  private static void writeDurably(
      Path target, String content, Set<PosixFilePermission> permissions) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = dir.resolve("." + target.getFileName() + ".tmp");
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
    Files.deleteIfExists(temp); // left by a crash during an earlier attempt
    if (posix) {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(permissions));
      // The umask may have cleared bits; the file is still empty, and this never adds group or
      // other bits to the private key (its permissions are rw-------).
      Files.setPosixFilePermissions(temp, permissions);
    } else {
      Files.createFile(temp);
    }
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot rename " + temp + " to " + target + " atomically", e);
      }
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    if (posix) {
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      }
    }
  }
}
