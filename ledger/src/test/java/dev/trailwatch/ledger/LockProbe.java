package dev.trailwatch.ledger;

import java.nio.file.Path;

/** Run in a child JVM: prints "held" or "free" for the writer lock of the directory given. */
public final class LockProbe {
  private LockProbe() {}

  public static void main(String[] args) {
    System.out.println(DataLock.isHeld(Path.of(args[0])) ? "held" : "free");
  }
}
