package dev.trailwatch.ledger;

import java.io.IOException;
import java.nio.file.Path;

/** A second writer tried to open a data directory that a live process already writes. */
public final class LedgerLockedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path dataDir;
  private final String holder;

  LedgerLockedException(Path dataDir, String holder) {
    super(
        "the data directory "
            + dataDir
            + " is already open for writing by "
            + holder
            + "; stop that process or use another --data directory");
    this.dataDir = dataDir;
    this.holder = holder;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Who holds the lock, e.g. "process 1234 on host-a (/usr/bin/java), since 2026-...". */
  public String holder() {
    return holder;
  }
}
