package dev.trailwatch.ingest.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the third-party tools the interoperability tests use. */
final class Processes {
  private Processes() {}

  /** Whether {@code command} is an executable file. */
  static boolean installed(String command) {
    return Files.isExecutable(Path.of(command));
  }

  /** The machine's host name, as syslog senders put it in the header. */
  static String hostName() throws IOException {
    return Files.readString(Path.of("/proc/sys/kernel/hostname"), UTF_8).trim();
  }

  /**
   * Runs {@code command} with {@code stdin}, waits for it (30 s at most) and asserts it succeeded;
   * returns its output.
   */
  static String run(List<String> command, String stdin) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(UTF_8));
      }
      byte[] out = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(Await.CEILING.toSeconds(), TimeUnit.SECONDS))
          .as("%s finished", command)
          .isTrue();
      String output = new String(out, UTF_8);
      assertThat(p.exitValue()).as("exit status of %s; output: %s", command, output).isZero();
      return output;
    } finally {
      p.destroyForcibly();
    }
  }
}
