package dev.trailwatch.app;

import dev.trailwatch.app.cli.Cli;

/** The {@code trailwatch} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.run(args, System.out, System.err));
  }
}
