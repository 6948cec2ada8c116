package dev.trailwatch.app.cli;

/** What every command's exit code means. */
public final class ExitCodes {
  /** Done; for verify and proof check: intact. */
  public static final int OK = 0;

  /** A check found a problem: the ledger was tampered with, a proof does not hold. */
  public static final int FOUND_PROBLEM = 1;

  /** Could not run: bad arguments, missing files, an I/O error. */
  public static final int CANNOT_RUN = 2;

  private ExitCodes() {}
}
