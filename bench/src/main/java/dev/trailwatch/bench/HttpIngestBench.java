package dev.trailwatch.bench;

import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end HTTP ingest: {@code ./trailwatch serve} in its own process, {@code --clients} client
 * threads (default 4) each POSTing NDJSON batches of {@code --batch} generated events (default
 * 1,000) and waiting for each answer (durable), until {@code --events} (default 1,200,000) are
 * sent; after a warm-up of 100,000 events from another seed. Prints events/s, the server's CPU
 * (user + system, from /proc) and its peak RSS; and, as the reference in the same run, {@code
 * ./trailwatch import} of the same events as one NDJSON file into a fresh data directory.
 *
 * <p>The server indexes what it stores at the same time, on the same cores: {@code --index-threads
 * N} sets its {@code index.threads} (default: the server's default, one per core), to show what
 * leaving a core to ingest buys.
 *
 * <pre>
 * java -Xmx3g -cp bench/target/trailwatch-bench.jar dev.trailwatch.bench.HttpIngestBench \
 *     [--events 1200000] [--clients 4] [--batch 1000] [--runs 3] [--dir DIR] [--index-threads N]
 * </pre>
 */
public final class HttpIngestBench {
  private static final Pattern PORT = Pattern.compile("HTTP API\\s+http://127\\.0\\.0\\.1:(\\d+)");
  private static final String TOKEN = "tw_benchmarkadmintoken0123456789";

  private HttpIngestBench() {}

  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    int events = Report.option(rest, "--events").map(Integer::parseInt).orElse(1_200_000);
    int clients = Report.option(rest, "--clients").map(Integer::parseInt).orElse(4);
    int batch = Report.option(rest, "--batch").map(Integer::parseInt).orElse(1000);
    int runs = Report.option(rest, "--runs").map(Integer::parseInt).orElse(3);
    var indexThreads = Report.option(rest, "--index-threads").map(Integer::parseInt);
    Path trailwatch =
        Path.of(Report.option(rest, "--trailwatch").orElse("./trailwatch")).toAbsolutePath();
    Path work =
        Report.option(rest, "--dir").map(Path::of).orElse(Records.scratchDirectory("tw-http-"));
    Files.createDirectories(work);
    if (!rest.isEmpty()) {
      throw new IllegalArgumentException("unknown arguments: " + rest);
    }
    ImportVsPython.Timed.run(List.of(trailwatch.toString(), "--version"), work.resolve("v.log"));

    List<byte[]> warm = batches(new EventGenerator(7, GeneratorConfig.defaults()), 100_000, batch);
    List<byte[]> measured =
        batches(new EventGenerator(1, GeneratorConfig.defaults()), events, batch);
    long bytes = measured.stream().mapToLong(b -> b.length).sum();
    Path file = work.resolve("events.ndjson");
    try (var out = Files.newOutputStream(file)) {
      for (byte[] b : measured) {
        out.write(b);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%,d events in %,d batches of %,d, %,d bytes (%.0f B/event), %d clients%n",
        events,
        measured.size(),
        batch,
        bytes,
        (double) bytes / events,
        clients);

    List<String> serve = new ArrayList<>(List.of(trailwatch.toString(), "serve"));
    if (indexThreads.isPresent()) {
      Path config = work.resolve("serve.yaml");
      Files.writeString(config, "index:\n  threads: " + indexThreads.get() + "\n");
      serve.addAll(List.of("--config", config.toString()));
    }
    System.out.println(
        "index threads: " + indexThreads.map(String::valueOf).orElse("the server's default"));
    for (int run = 1; run <= runs; run++) {
      Path data = work.resolve("http-" + run);
      List<String> command = new ArrayList<>(serve);
      command.addAll(List.of("--data", data.toString()));
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().put("TRAILWATCH_HTTP_PORT", "0");
      pb.environment().put("TRAILWATCH_SYSLOG_PORT", "-1");
      pb.environment().put("TRAILWATCH_ADMIN_TOKEN", TOKEN);
      pb.redirectError(work.resolve("serve-" + run + ".err").toFile());
      Process server = pb.start();
      int port = port(server);
      HttpClient http = HttpClient.newHttpClient();
      send(http, port, warm, clients);
      long cpu0 = ProcStat.processCpu(server.pid());
      long t0 = System.nanoTime();
      long stored = send(http, port, measured, clients);
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpu = (ProcStat.processCpu(server.pid()) - cpu0) / 1e9;
      long hwm = ProcStat.peakRssKib(server.pid());
      server.destroy();
      server.waitFor();
      Records.deleteRecursively(data);

      Path importData = work.resolve("import-" + run);
      ImportVsPython.Timed imp =
          ImportVsPython.Timed.run(
              List.of(
                  trailwatch.toString(),
                  "import",
                  "--data",
                  importData.toString(),
                  file.toString()),
              work.resolve("import-" + run + ".log"));
      Records.deleteRecursively(importData);
      System.out.printf(
          Locale.ROOT,
          "run %d/%d: HTTP %,.0f events/s durable (%,d in %.2f s), server CPU %.2f s = %.0f%% of"
              + " one core, %.2f µs/event, peak RSS %,d MiB | reference: import %,.0f events/s"
              + " (%.2f s) | HTTP / import = %.2f%n",
          run,
          runs,
          stored / secs,
          stored,
          secs,
          cpu,
          100 * cpu / secs,
          1e6 * cpu / stored,
          hwm >> 10,
          events / imp.wall(),
          imp.wall(),
          (stored / secs) / (events / imp.wall()));
    }
  }

  static List<byte[]> batches(EventGenerator g, int events, int batch) {
    List<byte[]> out = new ArrayList<>();
    ByteArrayOutputStream buf = new ByteArrayOutputStream(batch * 600);
    int n = 0;
    for (int i = 0; i < events; i++) {
      buf.writeBytes(dev.trailwatch.event.EventJson.canonical(g.next()));
      buf.write('\n');
      if (++n == batch) {
        out.add(buf.toByteArray());
        buf.reset();
        n = 0;
      }
    }
    if (n > 0) {
      out.add(buf.toByteArray());
    }
    return out;
  }

  /** Sends every batch once, spread over the clients; returns the events stored. */
  static long send(HttpClient http, int port, List<byte[]> batches, int clients)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicLong stored = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/events");
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                int i;
                while ((i = next.getAndIncrement()) < batches.size()) {
                  try {
                    HttpResponse<String> r =
                        http.send(
                            HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(batches.get(i)))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                      throw new IllegalStateException(r.statusCode() + " " + r.body());
                    }
                    String body = r.body();
                    int at = body.indexOf("\"stored\":") + 9;
                    stored.addAndGet(Long.parseLong(body.substring(at, body.indexOf(',', at))));
                  } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    return stored.get();
  }

  static int port(Process server) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      Matcher m = PORT.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(m.group(1));
      }
    }
    throw new IllegalStateException("the server did not start");
  }
}
