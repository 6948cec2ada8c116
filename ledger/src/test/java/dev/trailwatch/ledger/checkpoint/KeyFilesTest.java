package dev.trailwatch.ledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key files: created private and durable, reloaded, and refused when unsafe or mismatched. */
class KeyFilesTest {
  private static final String NAME = "log.example/a";

  @TempDir Path temp;
  private Path keys;

  @BeforeEach
  void posixOnly() throws IOException {
    assumeThat(Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class))
        .as("POSIX permissions")
        .isTrue();
    keys = temp.resolve("keys");
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void firstUseCreatesPrivateFiles() throws IOException {
    NoteSigner signer = KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(51));

    assertThat(permissions(keys)).isEqualTo("rwx------");
    assertThat(permissions(keys.resolve("signing.key"))).isEqualTo("rw-------");
    assertThat(permissions(keys.resolve("signing.pub"))).isEqualTo("rw-r--r--");
    assertThat(Files.readString(keys.resolve("signing.key"))).isEqualTo(signer.signerKey() + "\n");
    assertThat(Files.readString(keys.resolve("signing.pub")))
        .isEqualTo(signer.verifier().verifierKey() + "\n");
    try (var files = Files.list(keys)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("signing.key", "signing.pub");
    }
    assertThat(signer.name()).isEqualTo(NAME);
  }

  @Test
  void reloadGivesTheSameKey() throws IOException {
    NoteSigner created = KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(52));

    NoteSigner loaded = KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(53));

    assertThat(loaded).isEqualTo(created);
    assertThat(KeyFiles.loadPublic(keys.resolve("signing.pub"))).isEqualTo(created.verifier());
  }

  @Test
  void usesAnExistingDirectoryAsItIs() throws IOException {
    Files.createDirectory(keys);
    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwxr-x---"));

    KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(54));

    assertThat(permissions(keys)).isEqualTo("rwxr-x---");
    assertThat(permissions(keys.resolve("signing.key"))).isEqualTo("rw-------");
  }

  @Test
  void replacesATempFileLeftByACrash() throws IOException {
    Files.createDirectory(keys);
    Path stale = keys.resolve(".signing.key.tmp");
    Files.writeString(stale, "half a key");
    Files.setPosixFilePermissions(stale, PosixFilePermissions.fromString("rw-r--r--"));

    NoteSigner signer = KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(55));

    assertThat(stale).doesNotExist();
    assertThat(permissions(keys.resolve("signing.key"))).isEqualTo("rw-------");
    assertThat(Files.readString(keys.resolve("signing.key"))).isEqualTo(signer.signerKey() + "\n");
  }

  @Test
  void refusesAPrivateKeyThatGroupOrOthersMayAccess() throws IOException {
    KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(56));
    Path key = keys.resolve("signing.key");
    for (String mode : new String[] {"rw-r-----", "rw----r--", "rw--w----", "rw------x"}) {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(mode));

      assertThatThrownBy(() -> KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(57)))
          .as(mode)
          .isInstanceOf(IOException.class)
          .hasMessage(
              "permissions "
                  + mode
                  + " for "
                  + key
                  + " are too open: the private signing key must not be accessible by group or"
                  + " others; run: chmod 600 "
                  + key);
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
    assertThat(KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(58))).isNotNull();
  }

  @Test
  void refusesAPublicKeyThatDoesNotMatch() throws IOException {
    NoteSigner signer = KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(59));
    NoteSigner other = NoteSigner.generate(NAME, TestRandom.secureRandom(60));
    Path pub = keys.resolve("signing.pub");
    Files.writeString(pub, other.verifier().verifierKey() + "\n");

    assertThatThrownBy(() -> KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(61)))
        .isInstanceOf(IOException.class)
        .hasMessage(
            pub
                + " does not match "
                + keys.resolve("signing.key")
                + ": expected="
                + signer.verifier().verifierKey()
                + " (from the private key), actual="
                + other.verifier().verifierKey());
  }

  @Test
  void refusesAPublicKeyFileThatHoldsNoKey() throws IOException {
    KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(62));
    Path pub = keys.resolve("signing.pub");
    Files.writeString(pub, "garbage\n");

    assertThatThrownBy(() -> KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(63)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(pub + " does not match " + keys.resolve("signing.key") + ": ")
        .hasMessageContaining("does not hold a Trailwatch/note verifier key");
  }

  @Test
  void rewritesAMissingPublicKey() throws IOException {
    NoteSigner signer = KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(64));
    Path pub = keys.resolve("signing.pub");
    Files.delete(pub);

    assertThat(KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(65))).isEqualTo(signer);
    assertThat(Files.readString(pub)).isEqualTo(signer.verifier().verifierKey() + "\n");
    assertThat(permissions(pub)).isEqualTo("rw-r--r--");
  }

  @Test
  void refusesToReplaceALostPrivateKey() throws IOException {
    KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(66));
    Files.delete(keys.resolve("signing.key"));

    assertThatThrownBy(() -> KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(67)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(
            keys.resolve("signing.pub")
                + " exists but "
                + keys.resolve("signing.key")
                + " does not");
    assertThat(keys.resolve("signing.key")).doesNotExist();
  }

  @Test
  void refusesAKeyForAnotherName() throws IOException {
    KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(68));

    assertThatThrownBy(
            () -> KeyFiles.loadOrCreate(keys, "other.example", TestRandom.secureRandom(69)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(
            keys.resolve("signing.key")
                + " holds the key of \"log.example/a\", expected \"other.example\"");
  }

  @Test
  void refusesAPrivateKeyFileThatHoldsNoKeyWithoutEchoingIt() throws IOException {
    NoteSigner signer = KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(70));
    Path key = keys.resolve("signing.key");
    String secret = signer.signerKey().substring(signer.signerKey().lastIndexOf('+') + 1);
    Files.writeString(key, signer.signerKey().replace("PRIVATE+KEY+", "PRIVATE+KYE+"));

    assertThatThrownBy(() -> KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(71)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(key + " does not hold a note signer key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
  }

  @Test
  void refusesAKeysDirectoryThatIsAFile() throws IOException {
    Files.writeString(keys, "");

    assertThatThrownBy(() -> KeyFiles.loadOrCreate(keys, NAME, TestRandom.secureRandom(72)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(keys + " is not a directory");
  }

  @Test
  void refusesAnInvalidName() {
    assertThatThrownBy(() -> KeyFiles.loadOrCreate(keys, "a b", TestRandom.secureRandom(73)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid key name");
    assertThat(keys).doesNotExist();
  }

  @Test
  void loadPublicIgnoresSurroundingWhitespace() throws IOException {
    NoteVerifier verifier = NoteSigner.generate(NAME, TestRandom.secureRandom(74)).verifier();
    Path file = temp.resolve("auditor.pub");
    Files.writeString(file, "\n  " + verifier.verifierKey() + " \r\n\n");

    assertThat(KeyFiles.loadPublic(file)).isEqualTo(verifier);
  }

  @Test
  void loadPublicExplainsWhatIsWrong() throws IOException {
    NoteSigner signer = NoteSigner.generate(NAME, TestRandom.secureRandom(75));
    String verifierKey = signer.verifier().verifierKey();
    Path file = temp.resolve("auditor.pub");
    String expected =
        file + " does not hold a Trailwatch/note verifier key: expected name+hash+base64";
    record Case(String content, String message) {}
    Case[] cases = {
      new Case("", expected + ", found an empty file"),
      new Case(" \n", expected + ", found an empty file"),
      new Case("hello", expected + " (not a verifier key: expected name+hash+base64"),
      new Case(verifierKey + "\n" + verifierKey + "\n", expected + " on one line"),
      new Case(verifierKey.replace(NAME, "other"), expected + " (key hash mismatch"),
      new Case(signer.signerKey(), expected + ", found a private signing key"),
    };
    for (Case c : cases) {
      Files.writeString(file, c.content());
      assertThatThrownBy(() -> KeyFiles.loadPublic(file))
          .as("%s", c.content())
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith(c.message());
    }
    Files.write(file, new byte[] {(byte) 0xff, 'a'});
    assertThatThrownBy(() -> KeyFiles.loadPublic(file))
        .isInstanceOf(IOException.class)
        .hasMessage(file + " is not UTF-8 text: not a key file");
    Files.writeString(file, verifierKey + " ".repeat(5000), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> KeyFiles.loadPublic(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("too large for a key file");
    assertThatThrownBy(() -> KeyFiles.loadPublic(temp.resolve("missing.pub")))
        .isInstanceOf(NoSuchFileException.class);
  }
}
