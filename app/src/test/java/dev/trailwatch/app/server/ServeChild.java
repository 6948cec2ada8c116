package dev.trailwatch.app.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code trailwatch serve} in a child JVM, for tests that kill it: started on a free HTTP port with
 * syslog off and a known admin token, standard error kept in a file of {@code logs}.
 */
record ServeChild(Process process, int port) {
  static final String ADMIN_TOKEN = "tw_crashtestadmintoken0123456789";
  private static final Pattern PORT = Pattern.compile("HTTP API\\s+http://127\\.0\\.0\\.1:(\\d+)");

  /** Starts a server on {@code data}, with {@code args} after {@code serve --data DIR}. */
  static ServeChild start(Path data, Path logs, String... args) throws Exception {
    return start("512m", data, logs, args);
  }

  /** Like {@link #start(Path, Path, String...)}, with a heap of at most {@code maxHeap}. */
  static ServeChild start(String maxHeap, Path data, Path logs, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx" + maxHeap,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.trailwatch.app.Main",
                "serve",
                "--data",
                data.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("TRAILWATCH_HTTP_PORT", "0");
    pb.environment().put("TRAILWATCH_SYSLOG_PORT", "-1");
    pb.environment().put("TRAILWATCH_ADMIN_TOKEN", ADMIN_TOKEN);
    pb.environment().remove("TRAILWATCH_CONFIG");
    pb.redirectError(logs.resolve("serve-" + System.nanoTime() + ".err").toFile());
    Process p = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      Matcher m = PORT.matcher(line);
      if (m.find()) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    out.lines().forEach(l -> {});
                  } catch (java.io.UncheckedIOException closed) {
                    // the child was killed
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return new ServeChild(p, Integer.parseInt(m.group(1)));
      }
    }
    throw new IllegalStateException("the server did not start; exit " + p.waitFor());
  }
}
