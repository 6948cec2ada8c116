package dev.trailwatch.ingest.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link PositionStore} does; each implementation's test extends this. */
abstract class PositionStoreContract {
  @TempDir Path dir;

  abstract PositionStore newStore(Path directory) throws Exception;

  @Test
  void nothingSavedLoadsEmpty() throws Exception {
    assertThat(newStore(dir).load("/var/log/auth.log")).isEmpty();
  }

  @Test
  void theLastSaveWins() throws Exception {
    PositionStore store = newStore(dir);
    store.save(new Position("/var/log/auth.log", new FileId("2049", "17"), 100, 7));
    Position last = new Position("/var/log/auth.log", new FileId("2049", "18"), 5, 9);
    store.save(last);
    assertThat(store.load("/var/log/auth.log")).contains(last);
  }

  @Test
  void pathsAreKeptApartEvenWithTheSameFileName() throws Exception {
    PositionStore store = newStore(dir);
    Position a = new Position("/var/log/auth.log", new FileId("1", "2"), 3, Position.NO_SEQ);
    Position b = new Position("/srv/other/auth.log", new FileId("", "(key 9)"), 4, 0);
    store.save(a);
    store.save(b);
    assertThat(store.load(a.path())).contains(a);
    assertThat(store.load(b.path())).contains(b);
  }
}
