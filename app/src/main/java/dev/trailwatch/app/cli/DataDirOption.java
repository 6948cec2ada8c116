package dev.trailwatch.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data DIR}, shared by every command that works on a data directory. */
public final class DataDirOption {
  @Option(
      names = {"--data", "-d"},
      paramLabel = "DIR",
      defaultValue = "${env:TRAILWATCH_DATA:-data}",
      description = "The data directory (default: $TRAILWATCH_DATA or ./data).")
  Path dir;

  public Path dir() {
    return dir;
  }
}
