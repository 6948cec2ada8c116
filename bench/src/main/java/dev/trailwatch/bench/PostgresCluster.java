package dev.trailwatch.bench;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A throwaway PostgreSQL cluster: {@code initdb} into a new directory under {@code java.io.tmpdir},
 * started with {@code pg_ctl} on 127.0.0.1 and a free port, stopped ({@code -m fast}) and deleted
 * by {@link #close()}, which a shutdown hook also calls if the JVM is stopped (Ctrl-C) before.
 * PostgreSQL refuses to run as root: when this JVM runs as root, every PostgreSQL command runs as
 * the user {@code postgres} ({@code runuser -u postgres --}) in a directory that user owns.
 * Authentication is {@code trust} on loopback only. Not thread-safe.
 */
final class PostgresCluster implements AutoCloseable {
  /** Debian's PostgreSQL 15 ({@code apt-get install -y postgresql-15}). */
  static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");

  private final Path bin;
  private final Path dir;
  private final int port;
  private final Thread hook;
  private boolean open = true;

  private PostgresCluster(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.hook = new Thread(this::closeQuietly, "postgres-cluster-cleanup");
  }

  /** The directory of {@code initdb} and {@code pg_ctl}, if PostgreSQL is installed there. */
  static Optional<Path> binaries(Path bin) {
    return Files.isExecutable(bin.resolve("pg_ctl")) && Files.isExecutable(bin.resolve("initdb"))
        ? Optional.of(bin)
        : Optional.empty();
  }

  /**
   * Creates and starts a cluster with these {@code postgresql.conf} settings on top of {@code
   * initdb}'s; on any failure, what was created is removed again.
   */
  static PostgresCluster start(Path bin, Map<String, String> settings)
      throws IOException, InterruptedException {
    Path dir =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "tw-postgres-");
    if (isRoot()) {
      UserPrincipal postgres =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, postgres);
    }
    PostgresCluster cluster = new PostgresCluster(bin, dir, freePort());
    Runtime.getRuntime().addShutdownHook(cluster.hook);
    try {
      cluster.pg(
          "initdb",
          "-D",
          cluster.data().toString(),
          "-U",
          "postgres",
          "--auth=trust",
          "--encoding=UTF8",
          "--locale=C",
          "--no-instructions");
      List<String> conf = new ArrayList<>();
      conf.add("listen_addresses = '127.0.0.1'");
      conf.add("port = " + cluster.port);
      conf.add("unix_socket_directories = '" + dir + "'");
      settings.forEach((k, v) -> conf.add(k + " = '" + v + "'"));
      Files.write(
          cluster.data().resolve("postgresql.conf"),
          conf,
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      cluster.pg(
          "pg_ctl",
          "-D",
          cluster.data().toString(),
          "-l",
          dir.resolve("server.log").toString(),
          "-w",
          "-t",
          "120",
          "start");
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.closeQuietly();
      throw e;
    }
  }

  int port() {
    return port;
  }

  Path data() {
    return dir.resolve("data");
  }

  /** A new connection as the superuser, to database {@code postgres}. */
  Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
  }

  /** The server's version line, e.g. {@code PostgreSQL 15.14 (Debian 15.14-0+deb12u1) on ...}. */
  String version() throws SQLException {
    try (Connection c = connect();
        var s = c.createStatement();
        var r = s.executeQuery("select version()")) {
      r.next();
      return r.getString(1);
    }
  }

  /** Stops the server and deletes its directory. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (!open) {
      return;
    }
    open = false;
    try {
      if (Files.exists(data().resolve("postmaster.pid"))) {
        pg("pg_ctl", "-D", data().toString(), "-m", "fast", "-w", "-t", "60", "stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while stopping PostgreSQL in " + dir);
    } finally {
      Records.deleteRecursively(dir);
      if (Thread.currentThread() != hook) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or about to: it finds the cluster closed
        }
      }
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException | RuntimeException e) {
      System.err.println("could not stop or delete the PostgreSQL cluster in " + dir + ": " + e);
    }
  }

  /** Runs a PostgreSQL program (as {@code postgres} when root); fails unless it exits with 0. */
  private void pg(String program, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (isRoot()) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    if (code != 0) {
      throw new IOException(
          String.join(" ", command) + " exited with " + code + ":\n" + output.strip());
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
