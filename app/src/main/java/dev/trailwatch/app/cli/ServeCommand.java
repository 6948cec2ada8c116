package dev.trailwatch.app.cli;

import dev.trailwatch.app.server.ConfigLoader;
import dev.trailwatch.app.server.Server;
import dev.trailwatch.app.server.ServerConfig;
import dev.trailwatch.app.server.Signals;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trailwatch serve}: the HTTP API and the syslog receiver, until SIGTERM or Ctrl-C. */
@Command(
    name = "serve",
    description = {
      "Run the server: the HTTP API on 127.0.0.1:8080 (POST /api/v1/events, /healthz, /readyz,"
          + " /api/v1/openapi.json).",
      "The first start creates the data directory, the signing key and an admin token.",
      "SIGTERM or Ctrl-C stops it in order: requests in flight finish, a final checkpoint is"
          + " signed, exit 0.",
      "Environment: TRAILWATCH_HTTP_HOST, TRAILWATCH_HTTP_PORT, TRAILWATCH_SYSLOG_HOST,"
          + " TRAILWATCH_SYSLOG_PORT override the configuration; TRAILWATCH_ADMIN_TOKEN sets the"
          + " admin token at first start."
    })
public final class ServeCommand implements Callable<Integer> {
  @Mixin DataDirOption data;

  @Option(
      names = {"--config", "-c"},
      paramLabel = "FILE",
      defaultValue = "${env:TRAILWATCH_CONFIG}",
      description = "The YAML configuration file (default: $TRAILWATCH_CONFIG, else defaults).")
  Path config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintStream out = Cli.out(spec);
    PrintStream err = Cli.err(spec);
    ServerConfig cfg;
    try {
      cfg = ConfigLoader.load(Optional.ofNullable(config), System.getenv());
    } catch (ConfigLoader.ConfigException e) {
      throw new UserError("configuration: " + e.getMessage(), ExitCodes.CANNOT_RUN, null);
    }
    Server server;
    try {
      server = Server.start(data.dir(), cfg, System.getenv());
    } catch (java.net.BindException e) {
      throw new UserError(
          "cannot listen on "
              + cfg.http().host()
              + ":"
              + cfg.http().port()
              + " ("
              + e.getMessage()
              + "); is another server running? Set http.port or TRAILWATCH_HTTP_PORT",
          ExitCodes.CANNOT_RUN,
          e);
    } catch (ConfigLoader.ConfigException e) {
      throw new UserError("configuration: " + e.getMessage(), ExitCodes.CANNOT_RUN, e);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), ExitCodes.CANNOT_RUN, null);
    }
    CountDownLatch stop = new CountDownLatch(1);
    if (!Signals.onTerminate(stop::countDown)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(server, err), "stop"));
    }
    printBanner(server, cfg, out);
    stop.await();
    err.println(
        "trailwatch: stopping: finishing requests in flight and signing a final checkpoint");
    server.close();
    err.printf(
        "trailwatch: stopped; the ledger holds %,d entries, all covered by checkpoint %d%n",
        server.ledger().size(), server.ledger().latestCheckpoint().size());
    return ExitCodes.OK;
  }

  private static void stopQuietly(Server server, PrintStream err) {
    try {
      server.close();
    } catch (IOException e) {
      err.println("trailwatch: error while stopping: " + e.getMessage());
    }
  }

  private void printBanner(Server server, ServerConfig cfg, PrintStream out) {
    String base = "http://" + hostForUrl(cfg.http().host()) + ":" + server.httpPort();
    out.printf(
        "trailwatch: serving %s (%,d entries, origin %s)%n",
        data.dir(), server.ledger().size(), server.ledger().origin());
    out.printf(
        "  HTTP API   %s  (POST /api/v1/events, GET /healthz, /readyz, /api/v1/openapi.json)%n",
        base);
    server
        .syslog()
        .ifPresent(
            s -> {
              List<String> parts = new java.util.ArrayList<>();
              String h = cfg.syslog().host();
              s.tcpPort().ifPresent(p -> parts.add("tcp " + h + ":" + p));
              s.udpPort().ifPresent(p -> parts.add("udp " + h + ":" + p));
              s.tlsPort().ifPresent(p -> parts.add("tls " + h + ":" + p));
              out.println("  syslog     " + String.join(", ", parts));
            });
    Server.FirstStart first = server.firstStart();
    if (first.happened()) {
      if (first.tokenFile().isPresent()) {
        out.printf(
            "  First start: created an admin token, saved in %s (mode 600). Keep it secret; delete"
                + " the file once you have stored it elsewhere. The signing key is in %s.%n",
            first.tokenFile().get(), data.dir().resolve("keys"));
        out.printf(
            "  Send events:  curl -H \"Authorization: Bearer $(cat %s)\" -H 'Content-Type:"
                + " application/x-ndjson' --data-binary @events.ndjson %s/api/v1/events%n",
            first.tokenFile().get(), base);
      } else {
        out.println("  First start: the admin token is the one given in TRAILWATCH_ADMIN_TOKEN.");
      }
      out.println("  More tokens: trailwatch token create --role ingest --name my-shipper");
    }
    out.println("  Stop with Ctrl-C or SIGTERM.");
    out.flush();
  }

  private static String hostForUrl(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
