package dev.trailwatch.bench;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end syslog over TCP: {@code ./trailwatch serve} in its own process, {@code --connections}
 * senders (default 2) writing octet-counted RFC 5424 sshd messages (RFC 6587) as fast as the server
 * reads them, {@code --messages} in all (default 2,000,000, after 200,000 of warm-up). Syslog has
 * no acknowledgement, so the rate counted is the ledger's: the time from the first message until
 * {@code /readyz} reports every message stored (parsed and durable). Prints messages/s, the
 * server's CPU and peak RSS.
 *
 * <pre>
 * java -cp bench/target/trailwatch-bench.jar dev.trailwatch.bench.SyslogIngestBench \
 *     [--messages 2000000] [--connections 2] [--runs 3] [--dir DIR]
 * </pre>
 */
public final class SyslogIngestBench {
  private static final Pattern HTTP = Pattern.compile("HTTP API\\s+http://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern TCP = Pattern.compile("syslog\\s+tcp 127\\.0\\.0\\.1:(\\d+)");

  private SyslogIngestBench() {}

  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    int messages = Report.option(rest, "--messages").map(Integer::parseInt).orElse(2_000_000);
    int connections = Report.option(rest, "--connections").map(Integer::parseInt).orElse(2);
    int runs = Report.option(rest, "--runs").map(Integer::parseInt).orElse(3);
    Path trailwatch =
        Path.of(Report.option(rest, "--trailwatch").orElse("./trailwatch")).toAbsolutePath();
    Path work =
        Report.option(rest, "--dir").map(Path::of).orElse(Records.scratchDirectory("tw-syslog-"));
    java.nio.file.Files.createDirectories(work);
    if (!rest.isEmpty()) {
      throw new IllegalArgumentException("unknown arguments: " + rest);
    }
    byte[][] frames = frames(10_000);
    long frameBytes = Arrays.stream(frames).mapToLong(f -> f.length).sum() / frames.length;
    System.out.printf(
        Locale.ROOT,
        "%,d messages over %d TCP connections, octet-counted RFC 5424, %d bytes per frame%n",
        messages,
        connections,
        frameBytes);
    for (int run = 1; run <= runs; run++) {
      Path data = work.resolve("syslog-" + run);
      ProcessBuilder pb =
          new ProcessBuilder(trailwatch.toString(), "serve", "--data", data.toString());
      pb.environment().put("TRAILWATCH_HTTP_PORT", "0");
      pb.environment().put("TRAILWATCH_SYSLOG_PORT", "0");
      pb.environment().put("TRAILWATCH_ADMIN_TOKEN", "tw_benchmarkadmintoken0123456789");
      pb.redirectError(work.resolve("serve-" + run + ".err").toFile());
      Process server = pb.start();
      int[] ports = ports(server);
      HttpClient http = HttpClient.newHttpClient();
      send(ports[1], frames, 200_000, connections);
      awaitStored(http, ports[0], 200_000);
      long cpu0 = ProcStat.processCpu(server.pid());
      long t0 = System.nanoTime();
      send(ports[1], frames, messages, connections);
      awaitStored(http, ports[0], 200_000L + messages);
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpu = (ProcStat.processCpu(server.pid()) - cpu0) / 1e9;
      long hwm = ProcStat.peakRssKib(server.pid());
      server.destroy();
      server.waitFor();
      Records.deleteRecursively(data);
      System.out.printf(
          Locale.ROOT,
          "run %d/%d: syslog TCP %,.0f messages/s parsed and durable (%,d in %.2f s), server CPU"
              + " %.2f s = %.0f%% of one core, %.2f µs/message, peak RSS %,d MiB%n",
          run,
          runs,
          messages / secs,
          messages,
          secs,
          cpu,
          100 * cpu / secs,
          1e6 * cpu / messages,
          hwm >> 10);
    }
  }

  /** Distinct sshd messages: failed and accepted logins from many addresses. */
  static byte[][] frames(int n) {
    SplittableRandom r = new SplittableRandom(1);
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      String ip = "198.51." + r.nextInt(100) + "." + (1 + r.nextInt(254));
      String text =
          r.nextInt(10) == 0
              ? "Accepted publickey for deploy from "
                  + ip
                  + " port "
                  + (1024 + r.nextInt(60000))
                  + " ssh2"
              : "Failed password for invalid user user"
                  + r.nextInt(500)
                  + " from "
                  + ip
                  + " port "
                  + (1024 + r.nextInt(60000))
                  + " ssh2";
      String msg =
          "<38>1 2026-11-22T10:00:"
              + String.format(Locale.ROOT, "%02d.%06dZ", i % 60, i)
              + " bastion-"
              + (i % 4)
              + " sshd "
              + (1000 + i % 3000)
              + " - - "
              + text;
      byte[] m = msg.getBytes(StandardCharsets.UTF_8);
      out[i] = (m.length + " " + msg).getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }

  static void send(int port, byte[][] frames, int messages, int connections) throws Exception {
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int share = messages / connections + (c < messages % connections ? 1 : 0);
      int offset = c;
      Thread t =
          new Thread(
              () -> {
                try (Socket s = new Socket("127.0.0.1", port);
                    OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16)) {
                  for (int i = 0; i < share; i++) {
                    out.write(frames[(offset + i * connections) % frames.length]);
                  }
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  static void awaitStored(HttpClient http, int port, long n) throws Exception {
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
              HttpResponse.BodyHandlers.ofString());
      String b = r.body();
      int at = b.indexOf("\"ledger_size\":") + 14;
      long size = Long.parseLong(b.substring(at, b.indexOf(',', at)));
      if (size >= n) {
        return;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("not all messages were stored within 5 minutes");
  }

  static int[] ports(Process server) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    int httpPort = -1;
    String line;
    while ((line = out.readLine()) != null) {
      Matcher h = HTTP.matcher(line);
      if (h.find()) {
        httpPort = Integer.parseInt(h.group(1));
      }
      Matcher t = TCP.matcher(line);
      if (t.find()) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return new int[] {httpPort, Integer.parseInt(t.group(1))};
      }
    }
    throw new IllegalStateException("the server did not start with syslog over TCP");
  }
}
