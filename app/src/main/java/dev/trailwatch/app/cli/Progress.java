package dev.trailwatch.app.cli;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long command on standard error: a progress bar on a terminal, a plain line every
 * few seconds otherwise (logs and CI). The launcher tells which with {@code -Dtrailwatch.tty}.
 */
public final class Progress implements AutoCloseable {
  private static final long PLAIN_EVERY_NANOS = Duration.ofSeconds(2).toNanos();

  private final String task;
  private final String unit;
  private final long unitSize;
  private final PrintStream err;
  private final ProgressBar bar;
  private long lastPlain = System.nanoTime();
  private long done;
  private long total;

  private Progress(
      String task, String unit, long unitSize, long total, PrintStream err, boolean tty) {
    this.task = task;
    this.unit = unit;
    this.unitSize = unitSize;
    this.err = err;
    this.total = total;
    this.bar =
        tty
            ? new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(Math.max(total, 1))
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUnit(" " + unit, unitSize)
                .showSpeed(new DecimalFormat("#,##0"))
                .setUpdateIntervalMillis(200)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err))
                .clearDisplayOnFinish()
                .build()
            : null;
  }

  /**
   * Starts reporting a task of about {@code total} steps, shown in units of {@code unitSize} steps
   * named {@code unit} (for bytes: "MB", 1,000,000).
   */
  public static Progress start(
      String task, String unit, long unitSize, long total, PrintStream err) {
    return new Progress(task, unit, unitSize, total, err, isTerminal());
  }

  /** Whether standard error is a terminal (the launcher knows; a bare java command guesses). */
  public static boolean isTerminal() {
    String tty = System.getProperty("trailwatch.tty");
    if (tty != null) {
      return Boolean.parseBoolean(tty);
    }
    return System.console() != null && System.getenv("TERM") != null;
  }

  public void update(long doneSoFar, long expectedTotal) {
    this.done = doneSoFar;
    if (expectedTotal != total) {
      total = expectedTotal;
      if (bar != null) {
        bar.maxHint(Math.max(total, 1));
      }
    }
    if (bar != null) {
      bar.stepTo(doneSoFar);
      return;
    }
    long now = System.nanoTime();
    if (now - lastPlain >= PLAIN_EVERY_NANOS) {
      lastPlain = now;
      printPlain();
    }
  }

  /** One line for logs, in the same units as the bar (the byte counts of import in MB). */
  private void printPlain() {
    if (total > 0) {
      err.printf(
          "%s: %,d / %,d %s (%d%%)%n",
          task, done / unitSize, total / unitSize, unit, Math.min(100, done * 100 / total));
    } else {
      err.printf("%s: %,d %s%n", task, done / unitSize, unit);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
