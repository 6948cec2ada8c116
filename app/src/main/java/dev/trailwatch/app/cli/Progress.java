package dev.trailwatch.app.cli;

import java.io.PrintStream;
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
  private final PrintStream err;
  private final ProgressBar bar;
  private long lastPlain = System.nanoTime();
  private long done;
  private long total;

  private Progress(String task, String unit, long total, PrintStream err, boolean tty) {
    this.task = task;
    this.unit = unit;
    this.err = err;
    this.total = total;
    this.bar =
        tty
            ? new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(Math.max(total, 1))
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setUpdateIntervalMillis(200)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err))
                .clearDisplayOnFinish()
                .build()
            : null;
  }

  /** Starts reporting a task of about {@code total} steps of {@code unit}. */
  public static Progress start(String task, String unit, long total, PrintStream err) {
    return new Progress(task, unit, total, err, isTerminal());
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

  private void printPlain() {
    if (total > 0) {
      err.printf(
          "%s: %,d / %,d %s (%d%%)%n", task, done, total, unit, Math.min(100, done * 100 / total));
    } else {
      err.printf("%s: %,d %s%n", task, done, unit);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
