package dev.trailwatch.app.cli;

/**
 * An error meant for the person at the terminal: one sentence saying what is wrong and what to do,
 * and the exit code to leave with. No stack trace unless {@code --debug}.
 */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  public UserError(String message) {
    this(message, ExitCodes.CANNOT_RUN, null);
  }

  public UserError(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
