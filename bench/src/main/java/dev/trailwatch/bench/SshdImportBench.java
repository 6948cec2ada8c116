package dev.trailwatch.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code trailwatch import --format sshd} of a generated auth.log (BSD syslog lines of sshd: failed
 * and accepted passwords and keys, invalid users, disconnects, PAM failures, session lines), beside
 * {@code fail2ban-regex FILE sshd} on the same file in the same run (fail2ban's own tool for
 * running its sshd filter over a log: the reference a fail2ban user knows; it only matches failures
 * and stores nothing). Prints lines/s, CPU and peak RSS of both.
 *
 * <pre>
 * java -cp bench/target/trailwatch-bench.jar dev.trailwatch.bench.SshdImportBench \
 *     [--lines 2000000] [--runs 3] [--dir DIR] [--fail2ban fail2ban-regex]
 * </pre>
 */
public final class SshdImportBench {
  private SshdImportBench() {}

  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    int lines = Report.option(rest, "--lines").map(Integer::parseInt).orElse(2_000_000);
    int runs = Report.option(rest, "--runs").map(Integer::parseInt).orElse(3);
    String fail2ban = Report.option(rest, "--fail2ban").orElse("fail2ban-regex");
    Path trailwatch =
        Path.of(Report.option(rest, "--trailwatch").orElse("./trailwatch")).toAbsolutePath();
    Path work =
        Report.option(rest, "--dir").map(Path::of).orElse(Records.scratchDirectory("tw-sshd-"));
    Files.createDirectories(work);
    if (!rest.isEmpty()) {
      throw new IllegalArgumentException("unknown arguments: " + rest);
    }
    Path log = work.resolve("auth-" + lines + ".log");
    if (!Files.exists(log)) {
      write(log, lines);
    }
    System.out.printf(Locale.ROOT, "%s: %,d lines, %,d bytes%n", log, lines, Files.size(log));
    ImportVsPython.Timed.run(List.of(trailwatch.toString(), "--version"), work.resolve("v.log"));
    boolean haveFail2ban =
        new ProcessBuilder("sh", "-c", "command -v " + fail2ban).start().waitFor() == 0;
    for (int run = 1; run <= runs; run++) {
      Path data = work.resolve("data-" + run);
      ImportVsPython.Timed imp =
          ImportVsPython.Timed.run(
              List.of(
                  trailwatch.toString(),
                  "import",
                  "--data",
                  data.toString(),
                  "--format",
                  "sshd",
                  log.toString()),
              work.resolve("import-" + run + ".log"));
      Records.deleteRecursively(data);
      String ref = "fail2ban-regex not installed (apt-get install fail2ban)";
      if (haveFail2ban) {
        ImportVsPython.Timed f =
            ImportVsPython.Timed.run(
                List.of(fail2ban, log.toString(), "sshd"),
                work.resolve("fail2ban-" + run + ".log"));
        ref =
            String.format(
                Locale.ROOT,
                "fail2ban-regex %,.0f lines/s (%.2f s, CPU %.2f s) | trailwatch / fail2ban = %.1fx",
                lines / f.wall(),
                f.wall(),
                f.cpu(),
                f.wall() / imp.wall());
      }
      System.out.printf(
          Locale.ROOT,
          "run %d/%d: import --format sshd %,.0f lines/s (%.2f s, CPU %.2f s, others %.0f%%) | %s%n",
          run,
          runs,
          lines / imp.wall(),
          imp.wall(),
          imp.cpu(),
          imp.othersCpu(),
          ref);
    }
  }

  /** A realistic auth.log of sshd lines, our own values (documentation address ranges). */
  static void write(Path file, int lines) throws IOException {
    SplittableRandom r = new SplittableRandom(3);
    String[] users = {"root", "admin", "deploy", "alice", "bob", "oracle", "test", "ubuntu", "git"};
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      long t = 0;
      for (int i = 0; i < lines; i++) {
        t += r.nextInt(3);
        int day = 1 + (int) (t / 86_400 % 28);
        String time =
            String.format(
                Locale.ROOT, "Nov %2d %02d:%02d:%02d", day, t / 3600 % 24, t / 60 % 60, t % 60);
        String ip = "203.0." + r.nextInt(113) + "." + (1 + r.nextInt(254));
        String user = users[r.nextInt(users.length)];
        int port = 1024 + r.nextInt(60000);
        int pid = 1000 + r.nextInt(30000);
        String text =
            switch (r.nextInt(10)) {
              case 0, 1, 2 ->
                  "Failed password for " + user + " from " + ip + " port " + port + " ssh2";
              case 3, 4 ->
                  "Failed password for invalid user "
                      + user
                      + r.nextInt(100)
                      + " from "
                      + ip
                      + " port "
                      + port
                      + " ssh2";
              case 5 -> "Invalid user " + user + r.nextInt(100) + " from " + ip + " port " + port;
              case 6 ->
                  "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh"
                      + " ruser= rhost="
                      + ip
                      + "  user="
                      + user;
              case 7 ->
                  "Received disconnect from " + ip + " port " + port + ":11: Bye Bye [preauth]";
              case 8 ->
                  "Accepted publickey for "
                      + user
                      + " from "
                      + ip
                      + " port "
                      + port
                      + " ssh2: ED25519 SHA256:Qk4rN0c2pLhT8v9wXyZaBcDeFgHiJkLmNoPqRsTuVwX";
              default -> "Connection closed by " + ip + " port " + port + " [preauth]";
            };
        w.write(time + " bastion sshd[" + pid + "]: " + text + "\n");
      }
    }
  }
}
