package dev.trailwatch.app.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.ingest.EventSink;
import dev.trailwatch.ingest.Formats;
import dev.trailwatch.ingest.file.FileTailer;
import dev.trailwatch.ingest.noise.NoiseFilter;
import dev.trailwatch.ingest.syslog.SyslogConfig;
import dev.trailwatch.ingest.syslog.SyslogServer;
import dev.trailwatch.ingest.syslog.SyslogStats;
import dev.trailwatch.ledger.Entry;
import dev.trailwatch.ledger.EntryIterator;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import dev.trailwatch.ledger.LedgerReader;
import dev.trailwatch.search.index.Indexer;
import dev.trailwatch.search.index.Lag;
import dev.trailwatch.search.service.SearchService;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code trailwatch serve}: the HTTP API and the receivers in front of one ledger.
 *
 * <p>Start-up order: the HTTP listener first (so that {@code /healthz} answers and {@code /readyz}
 * says "starting" while the ledger recovers), then the ledger, the first-start admin token, the
 * table of recent event ids, the search indexer (which catches up in the background), the
 * receivers; then ready. {@link #close()} reverses it without losing anything accepted: new
 * requests are refused, requests in flight finish, receivers hand over what they read, the indexer
 * commits what it indexed, and the ledger signs its final checkpoint.
 *
 * <p>The search index is a cache: when it cannot be opened the server runs without it and says so
 * in the log and in {@code /readyz}; readiness never waits for the index to catch up.
 */
public final class Server implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Server.class.getName());

  private final ServerConfig config;
  private final Path dataDir;
  private final WebServer web;
  private final Ledger ledger;
  private final Tokens tokens;
  private final IngestStats stats = new IngestStats();
  private final FirstStart firstStart;
  private Holder holder;
  private volatile Indexer indexer;
  private LedgerReader searchReader;
  private volatile String indexProblem;
  private FileInputs files;
  private SyslogServer syslog;
  private Metrics metrics;
  private volatile String state = "starting";
  private volatile boolean closed;

  /**
   * What the first start created, for the user.
   *
   * @param tokenFile where the admin token was written (empty when it came from the environment)
   */
  public record FirstStart(boolean happened, Optional<Path> tokenFile) {}

  private Server(
      ServerConfig config,
      Path dataDir,
      WebServer web,
      Ledger ledger,
      Tokens tokens,
      FirstStart firstStart) {
    this.config = config;
    this.dataDir = dataDir;
    this.web = web;
    this.ledger = ledger;
    this.tokens = tokens;
    this.firstStart = firstStart;
  }

  /**
   * Starts a server.
   *
   * @param env the environment ({@code TRAILWATCH_ADMIN_TOKEN}, {@code TRAILWATCH_WITNESS})
   */
  public static Server start(Path dataDir, ServerConfig config, Map<String, String> env)
      throws IOException, InterruptedException {
    return start(dataDir, config, env, UnaryOperator.identity());
  }

  /**
   * As {@link #start(Path, ServerConfig, Map)}, with the ledger's configuration changed (tests).
   */
  static Server start(
      Path dataDir, ServerConfig config, Map<String, String> env, UnaryOperator<LedgerConfig> tune)
      throws IOException, InterruptedException {
    Holder holder = new Holder();
    Metrics metrics = new Metrics();
    Tokens tokens = new Tokens(dataDir);
    WebServer web =
        WebServer.builder()
            .host(config.http().host())
            .port(config.http().port())
            // Without it, an answer larger than one write (a page of hits, ~16 KB and up) waits
            // ~40 ms for the client's delayed ACK of the previous segment (Nagle's algorithm).
            .connectionOptions(o -> o.tcpNoDelay(true))
            .shutdownHook(false)
            .contentEncoding(
                io.helidon.http.encoding.ContentEncodingContext.builder()
                    .contentEncodingsDiscoverServices(false)
                    .addContentEncoding(new PassThroughGzip())
                    .build())
            .maxPayloadSize(config.http().maxBodyBytes() * 2 + (1 << 20))
            .routing(
                r ->
                    new HttpApi(
                            tokens,
                            () -> holder.ingest,
                            holder::readiness,
                            metrics::scrape,
                            () -> holder.reads,
                            () -> holder.recorder,
                            new SearchRoutes(
                                tokens,
                                () -> Optional.ofNullable(holder.search),
                                () -> holder.recorder))
                        .routes(r))
            .build()
            .start();
    Ledger ledger;
    try {
      LedgerConfig lc =
          LedgerConfig.of(dataDir)
              .withWitness(
                  Optional.ofNullable(env.get("TRAILWATCH_WITNESS"))
                      .filter(s -> !s.isBlank())
                      .map(Path::of));
      ledger = Ledger.open(tune.apply(lc));
    } catch (IOException | RuntimeException e) {
      web.stop();
      metrics.close();
      throw e;
    }
    Server server = null;
    try {
      FirstStart first = firstStart(dataDir, tokens, env);
      server = new Server(config, dataDir, web, ledger, tokens, first);
      Server started = server;
      holder.server = server;
      server.holder = holder;
      RecentEventIds recent = new RecentEventIds(config.ingest().dedupeWindow());
      NoiseFilter noise = config.noiseFilter();
      LedgerSink sink = new LedgerSink(ledger);
      server.replayRecentIds(recent);
      server.startIndexer();
      server.searchReader = ledger.reader();
      holder.reads = new EventReads(ledger, server.searchReader, started::indexer);
      holder.recorder = new AccessRecorder(ledger, InstantSource.system());
      if (server.indexer != null) {
        holder.search =
            new SearchService(server.indexer.index(), server.searchReader, InstantSource.system());
      }
      DiskGuard disk = new DiskGuard(dataDir, config.storage().minFreeBytes());
      holder.ingest =
          new IngestService(
              sink,
              recent,
              disk,
              started::ready,
              config,
              InstantSource.system(),
              server.stats,
              noise);
      holder.disk = disk;
      // Files and syslog go through the noise rules; HTTP applies them itself, to report drops.
      EventSink filtered = noise.in(sink);
      Formats formats = config.formats();
      try (LedgerReader reader = LedgerReader.open(dataDir)) {
        server.files =
            new FileInputs(
                dataDir,
                config.inputs().files(),
                formats,
                config.syslog().zone(),
                filtered,
                reader);
      }
      server.syslog = startSyslog(config, formats, filtered);
      if (server.syslog != null) {
        SyslogStats st = server.syslog.stats();
        for (String key : st.asMap().keySet()) {
          if (key.endsWith("_open")) {
            metrics.gauge("trailwatch_syslog_" + key, st, x -> x.asMap().getOrDefault(key, 0L));
          } else {
            metrics.fn(
                "trailwatch_syslog_" + key + "_total", st, x -> x.asMap().getOrDefault(key, 0L));
          }
        }
      }
      for (FileTailer t : server.files.tailers()) {
        String path = t.config().path().toString();
        metrics.fn("trailwatch_file_lines_total", t, x -> x.stats().linesRead(), "path", path);
        metrics.fn("trailwatch_file_rotations_total", t, x -> x.stats().rotations(), "path", path);
        metrics.fn(
            "trailwatch_file_truncations_total", t, x -> x.stats().truncations(), "path", path);
      }
      metrics.ledger(ledger);
      if (server.indexer != null) {
        metrics.index(server.indexer);
      }
      metrics.disk(disk);
      metrics.http(server.stats);
      metrics.noise(noise);
      server.metrics = metrics;
      server.state = "ready";
      return server;
    } catch (IOException | RuntimeException e) {
      // Whatever started before the failure stops again: no tailer or listener outlives it.
      if (server != null && server.files != null) {
        server.files.close();
      }
      if (server != null && server.syslog != null) {
        server.syslog.close();
      }
      if (server != null && server.indexer != null) {
        server.indexer.close();
      }
      web.stop();
      ledger.close();
      metrics.close();
      throw e;
    }
  }

  /** Late binding between the routes (built first) and the parts made after the ledger opens. */
  private static final class Holder {
    volatile Server server;
    volatile IngestService ingest;
    volatile EventReads reads;
    volatile DiskGuard disk;
    volatile SearchService search;
    volatile AccessRecorder recorder;

    HttpApi.Readiness readiness() {
      ObjectNode detail = HttpApi.JSON.createObjectNode();
      Server s = server;
      if (s == null) {
        return new HttpApi.Readiness(
            false, "starting", detail.put("reason", "recovering the ledger"));
      }
      detail.put("ledger_size", s.ledger.size());
      detail.put("checkpoint", s.ledger.latestCheckpoint().size());
      detail.set("index", s.indexDetail());
      DiskGuard d = disk;
      if (d != null) {
        detail.put("disk_free_bytes", d.freeBytes());
        Optional<String> full = d.problem();
        if (full.isPresent()) {
          return new HttpApi.Readiness(false, "disk_full", detail.put("reason", full.get()));
        }
      }
      if (!"ready".equals(s.state)) {
        return new HttpApi.Readiness(false, s.state, detail);
      }
      return new HttpApi.Readiness(true, "ready", detail);
    }
  }

  /** Starts the search indexer; without it the server still ingests (the index is a cache). */
  private void startIndexer() {
    try {
      indexer = Indexer.start(ledger, config.index().indexerConfig(), InstantSource.system());
    } catch (IOException | RuntimeException e) {
      indexProblem = "the search index could not be opened: " + e.getMessage();
      LOG.log(
          System.Logger.Level.ERROR,
          indexProblem + "; the server runs without it (trailwatch reindex rebuilds it)",
          e);
    }
  }

  /** The search index's part of {@code /readyz}: whether it runs, and how far behind it is. */
  private ObjectNode indexDetail() {
    ObjectNode index = HttpApi.JSON.createObjectNode();
    if (indexer == null) {
      return indexProblem == null
          ? index.put("state", "starting")
          : index.put("state", "unavailable").put("reason", indexProblem);
    }
    Optional<String> failure = indexer.failure();
    index.put("state", failure.isPresent() ? "failed" : "running");
    failure.ifPresent(f -> index.put("reason", f));
    Lag lag = indexer.lag();
    return index
        .put("position", indexer.position())
        .put("lag_entries", lag.entries())
        .put("lag_seconds", lag.seconds());
  }

  private static FirstStart firstStart(Path dataDir, Tokens tokens, Map<String, String> env)
      throws IOException {
    if (!tokens.isEmpty()) {
      return new FirstStart(false, Optional.empty());
    }
    String given = env.get("TRAILWATCH_ADMIN_TOKEN");
    if (given != null && !given.isBlank()) {
      try {
        tokens.create(
            Role.ADMIN, "admin (TRAILWATCH_ADMIN_TOKEN)", given.strip(), new SecureRandom());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("TRAILWATCH_ADMIN_TOKEN: " + e.getMessage(), e);
      }
      return new FirstStart(true, Optional.empty());
    }
    Tokens.Created created =
        tokens.create(Role.ADMIN, "admin (first start)", null, new SecureRandom());
    Path file = dataDir.resolve("admin.token");
    Files.writeString(file, created.token() + "\n", StandardCharsets.UTF_8);
    Tokens.trySetPermissions(file, "rw-------");
    return new FirstStart(true, Optional.of(file));
  }

  /** The syslog receiver, or null when every syslog port is off. */
  private static SyslogServer startSyslog(ServerConfig config, Formats formats, EventSink sink)
      throws IOException {
    ServerConfig.Syslog sc = config.syslog();
    if (sc.tcpPort() < 0 && sc.udpPort() < 0 && sc.tlsPort() < 0) {
      return null;
    }
    SyslogConfig syc =
        SyslogConfig.defaults()
            .withBindAddress(java.net.InetAddress.getByName(sc.host()))
            .withZone(sc.zone())
            .withLimits(sc.maxMessageBytes(), 1000, 10_000);
    if (sc.tcpPort() >= 0) {
      syc = syc.withTcp(sc.tcpPort());
    }
    if (sc.udpPort() >= 0) {
      syc = syc.withUdp(sc.udpPort());
    }
    if (sc.tlsPort() >= 0) {
      syc = syc.withTls(sc.tlsPort(), sc.tls().sslContext());
    }
    try {
      return SyslogServer.start(syc, formats.syslog(), sink);
    } catch (java.net.BindException e) {
      throw new java.net.BindException(
          "cannot listen for syslog on "
              + sc.host()
              + " (tcp "
              + sc.tcpPort()
              + ", udp "
              + sc.udpPort()
              + "): "
              + e.getMessage()
              + "; set syslog.tcp_port/udp_port or TRAILWATCH_SYSLOG_PORT (-1: off)");
    }
  }

  private boolean ready() {
    return "ready".equals(state);
  }

  /** The syslog receiver, when on. */
  public Optional<SyslogServer> syslog() {
    return Optional.ofNullable(syslog);
  }

  /** Remembers the event ids of the newest entries, so retries across a restart are caught. */
  private void replayRecentIds(RecentEventIds recent) throws IOException {
    int window = config.ingest().dedupeWindow();
    long size = ledger.size();
    if (window == 0 || size == 0) {
      return;
    }
    long from = Math.max(0, size - window);
    try (LedgerReader reader = LedgerReader.open(dataDir);
        EntryIterator it = reader.entries(from)) {
      while (it.next()) {
        Entry e = it.entry();
        if (e.seq() >= size) {
          break;
        }
        try {
          IngestService.remember(recent, EventJson.decodeCanonical(e.payload()), e.seq());
        } catch (RuntimeException notAnEvent) {
          // a system entry or another payload: no event id to remember
        }
      }
    }
  }

  public int httpPort() {
    return web.port();
  }

  public Ledger ledger() {
    return ledger;
  }

  public Tokens tokens() {
    return tokens;
  }

  /** The search indexer, unless the index could not be opened. */
  public Optional<Indexer> indexer() {
    return Optional.ofNullable(indexer);
  }

  public FirstStart firstStart() {
    return firstStart;
  }

  public ServerConfig config() {
    return config;
  }

  IngestStats stats() {
    return stats;
  }

  /** Stops without losing anything accepted, and signs a final checkpoint. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    state = "stopping";
    IOException problem = null;
    IngestService ingest = holder.ingest;
    if (ingest != null) {
      ingest.awaitIdle(GRACE); // new requests get 503 from now on; these finish
    }
    if (files != null) {
      files.close(); // what was read is stored and the positions saved
    }
    if (syslog != null) {
      syslog.close(); // what was read is handed to the ledger
    }
    try {
      web.stop();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "stopping the HTTP server: " + e);
    }
    if (indexer != null) {
      try {
        indexer.close(); // commits what it indexed
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "stopping the search indexer: " + e);
      }
    }
    if (searchReader != null) {
      try {
        searchReader.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "closing the search's ledger reader: " + e);
      }
    }
    try {
      ledger.close();
    } catch (IOException e) {
      problem = e;
    }
    state = "stopped";
    // The routes keep the holder; whatever keeps the stopped web server (Helidon keeps some of it
    // reachable) must not keep the ingest tables, the index and the ledger with it.
    holder.ingest = null;
    holder.search = null;
    holder.recorder = null;
    if (metrics != null) {
      metrics.close();
    }
    if (problem != null) {
      throw problem;
    }
  }

  /** How long {@link #close()} may wait for requests in flight. */
  static final Duration GRACE = Duration.ofSeconds(30);
}
