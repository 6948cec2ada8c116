package dev.trailwatch.ingest.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FilePositionStoreTest extends PositionStoreContract {
  @Override
  PositionStore newStore(Path directory) throws IOException {
    return new FilePositionStore(directory.resolve("positions"));
  }

  @Test
  void aNewStoreOnTheSameDirectoryReadsWhatWasSaved() throws Exception {
    Position p = new Position("/var/log/auth.log", new FileId("2049", "1835015"), 48213, 90211);
    new FilePositionStore(dir).save(p);
    assertThat(new FilePositionStore(dir).load(p.path())).contains(p);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .singleElement()
          .satisfies(name -> assertThat(name).matches("auth\\.log-[0-9a-f]{16}\\.position\\.json"));
    }
    Path file = new FilePositionStore(dir).fileFor(p.path());
    assertThat(Files.readString(file))
        .isEqualTo(
            "{\"format\":\"trailwatch-tail-position\",\"version\":1,\"path\":\"/var/log/auth.log\","
                + "\"device_id\":\"2049\",\"inode\":\"1835015\",\"offset\":48213,"
                + "\"last_seq\":90211}\n");
  }

  @Test
  void anotherVersionIsRefused() throws Exception {
    FilePositionStore store = new FilePositionStore(dir);
    Position p = new Position("/var/log/auth.log", new FileId("1", "2"), 3, 4);
    store.save(p);
    Path file = store.fileFor(p.path());
    Files.writeString(file, Files.readString(file).replace("\"version\":1", "\"version\":2"));
    assertThatThrownBy(() -> store.load(p.path()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("actual=2 vs expected=1");
  }

  @Test
  void aFileOfAnotherPathIsRefused() throws Exception {
    FilePositionStore store = new FilePositionStore(dir);
    Position p = new Position("/var/log/auth.log", new FileId("1", "2"), 3, 4);
    store.save(p);
    Path file = store.fileFor(p.path());
    Files.writeString(file, Files.readString(file).replace("auth.log", "syslog"));
    assertThatThrownBy(() -> store.load(p.path()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is for path /var/log/syslog");
  }

  @Test
  void garbageIsRefusedWithTheFileName() throws Exception {
    FilePositionStore store = new FilePositionStore(dir);
    Path file = store.fileFor("/var/log/auth.log");
    Files.write(file, "{\"format\":\"trailwatch-tail-po".getBytes(UTF_8));
    assertThatThrownBy(() -> store.load("/var/log/auth.log"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString());
  }
}
