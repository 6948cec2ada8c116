package dev.trailwatch.ledger;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A child JVM running a {@code main} class of the test class path, whose stdout is collected line
 * by line. Only complete lines count: a line the child was writing when it died (no final newline)
 * is dropped and counted in {@link #droppedPartialLine()}.
 *
 * <p>The child runs with the same {@code java} binary as this JVM. Thread-safe.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path stderr;
  private final Thread reader;
  private final List<String> lines = new ArrayList<>();
  private boolean droppedPartialLine;
  private boolean eof;

  private ChildJvm(Process process, Path stderr, String name) {
    this.process = process;
    this.stderr = stderr;
    this.reader = new Thread(this::readLines, name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code mainClass} with {@code args}; its stderr goes to {@code stderr}. */
  static ChildJvm start(Class<?> mainClass, List<String> args, Path stderr, String name)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(classPath());
    command.add(mainClass.getName());
    command.addAll(args);
    Process p =
        new ProcessBuilder(command)
            .redirectError(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    return new ChildJvm(p, stderr, name);
  }

  /** The {@code java} launcher of this JVM. */
  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * This JVM's class path, with the {@code Class-Path} of every manifest-only jar (surefire's
   * booter jar) spelled out, so that the child does not depend on how surefire launched us.
   */
  static String classPath() {
    return expand(System.getProperty("java.class.path"));
  }

  /** {@code classPath} with the {@code Class-Path} of each manifest-only jar added after it. */
  static String expand(String classPath) {
    Set<String> out = new LinkedHashSet<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      out.add(entry);
      Path p = Path.of(entry).toAbsolutePath();
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        out.addAll(manifestClassPath(p));
      }
    }
    return String.join(File.pathSeparator, out);
  }

  private static List<String> manifestClassPath(Path jar) {
    List<String> out = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest m = file.getManifest();
      String cp = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (cp == null || cp.isBlank()) {
        return out;
      }
      URI base = jar.getParent().toUri();
      for (String ref : cp.trim().split("\\s+")) {
        out.add(Path.of(base.resolve(new URI(ref))).toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad Class-Path entry in " + jar, e);
    }
    return out;
  }

  private void readLines() {
    try (InputStream in = process.getInputStream()) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        if (b == '\n') {
          String s = line.toString(StandardCharsets.UTF_8);
          line.reset();
          synchronized (this) {
            lines.add(s);
            notifyAll();
          }
        } else {
          line.write(b);
        }
      }
      synchronized (this) {
        droppedPartialLine = line.size() > 0;
      }
    } catch (IOException e) {
      // The stream ends with the process.
    } finally {
      synchronized (this) {
        eof = true;
        notifyAll();
      }
    }
  }

  /** The complete lines read so far. */
  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * Waits until some complete line matches, the child's stdout ends, or the timeout passes; returns
   * whether a line matched.
   */
  synchronized boolean awaitLine(Predicate<String> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int checked = 0;
    while (true) {
      for (; checked < lines.size(); checked++) {
        if (match.test(lines.get(checked))) {
          return true;
        }
      }
      long left = deadline - System.nanoTime();
      if (eof || left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Waits until {@code n} complete lines match. */
  synchronized boolean awaitLines(Predicate<String> match, int n, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (lines.stream().filter(match).count() >= n) {
        return true;
      }
      long left = deadline - System.nanoTime();
      if (eof || left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /**
   * Sends SIGKILL ({@link Process#destroyForcibly()} does on Linux), waits for the process to die
   * and for its stdout to be read to the end, and returns its exit value (137 for SIGKILL).
   */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    int exit = process.waitFor();
    reader.join();
    return exit;
  }

  synchronized boolean droppedPartialLine() {
    return droppedPartialLine;
  }

  /** What the child wrote to stderr, for failure messages. */
  String stderr() {
    try {
      String s = Files.readString(stderr);
      return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
    } catch (IOException e) {
      return "(cannot read " + stderr + ": " + e + ")";
    }
  }

  /** Kills the child if it still runs; for finally blocks. */
  @Override
  public void close() {
    process.destroyForcibly();
    boolean interrupted = false;
    while (true) {
      try {
        process.waitFor();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
