package dev.trailwatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POSIX record locks belong to the process and die with any descriptor of the file: looking at the
 * lock from inside the writer's JVM must not release it. Checked from a second process.
 */
class DataLockTest {
  @TempDir Path dir;

  @Test
  void lookingAtTheLockFromTheWritersJvmDoesNotReleaseIt() throws Exception {
    try (Ledger ledger = Ledger.open(LedgerConfig.of(dir))) {
      assertThat(probeFromAnotherProcess()).isEqualTo("held");
      assertThat(DataLock.isHeld(dir)).isTrue();
      assertThat(DataLock.describeHolder(dir)).contains("this process");
      assertThatThrownBy(() -> Ledger.open(LedgerConfig.of(dir)))
          .isInstanceOf(LedgerLockedException.class);
      try (LedgerReader reader = LedgerReader.open(dir)) {
        assertThat(reader.writerRunning()).isTrue();
      }
      Verifier.verify(
          new Verifier.Options(
              dir, java.util.Optional.empty(), java.util.Optional.empty(), (d, t) -> {}));
      assertThat(probeFromAnotherProcess()).as("still held after all that").isEqualTo("held");
      assertThat(ledger.size()).isZero();
    }
    assertThat(probeFromAnotherProcess()).isEqualTo("free");
  }

  private String probeFromAnotherProcess() throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    LockProbe.class.getName(),
                    dir.toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
