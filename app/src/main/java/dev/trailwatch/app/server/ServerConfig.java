package dev.trailwatch.app.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.trailwatch.ingest.Formats;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ingest.noise.NoiseFilter;
import dev.trailwatch.ingest.noise.NoiseRule;
import dev.trailwatch.ingest.parse.MappedJsonParser;
import dev.trailwatch.search.index.IndexerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration of {@code trailwatch serve}: one YAML file (docs/CONFIGURATION.md), every
 * setting optional, plus environment overrides ({@link ConfigLoader}).
 *
 * @param http the HTTP API
 * @param syslog the syslog receiver
 * @param storage limits that protect the ledger
 * @param ingest how batches are accepted
 * @param inputs files to follow
 * @param mappings JSON formats of applications, as source path to schema field
 * @param noise drop and sample rules, applied to everything the server receives
 * @param index the search indexer
 */
public record ServerConfig(
    Http http,
    Syslog syslog,
    Storage storage,
    Ingest ingest,
    Inputs inputs,
    List<JsonMapping> mappings,
    List<Noise> noise,
    Index index) {

  public ServerConfig {
    http = http == null ? Http.DEFAULT : http;
    syslog = syslog == null ? Syslog.DEFAULT : syslog;
    storage = storage == null ? Storage.DEFAULT : storage;
    ingest = ingest == null ? Ingest.DEFAULT : ingest;
    inputs = inputs == null ? new Inputs(List.of()) : inputs;
    mappings = mappings == null ? List.of() : List.copyOf(mappings);
    noise = noise == null ? List.of() : List.copyOf(noise);
    index = index == null ? Index.DEFAULT : index;
  }

  /** Everything but the search indexer given, the indexer at its defaults. */
  public ServerConfig(
      Http http,
      Syslog syslog,
      Storage storage,
      Ingest ingest,
      Inputs inputs,
      List<JsonMapping> mappings,
      List<Noise> noise) {
    this(http, syslog, storage, ingest, inputs, mappings, noise, null);
  }

  /** Everything at its default. */
  public static final ServerConfig DEFAULT =
      new ServerConfig(null, null, null, null, null, null, null, null);

  /**
   * A drop or sample rule.
   *
   * @param name what it is for (metrics count per name)
   * @param action {@code drop} or {@code sample}
   * @param sampleRate for sample: the share kept (0.01 keeps 1 in 100)
   * @param when schema field to one value or a list of values (exact, {@code prefix*}, CIDR for
   *     IPs, {@code *} for present); every field must match
   * @param force also remove authentication and iam events, which are kept otherwise
   */
  public record Noise(
      String name,
      String action,
      @JsonProperty("sample_rate") Double sampleRate,
      Map<String, Object> when,
      Boolean force) {
    public Noise {
      ConfigLoader.check(name != null && !name.isBlank(), "noise.name", "is required");
      action = action == null ? "drop" : action;
      ConfigLoader.check(
          action.equals("drop") || action.equals("sample"),
          "noise." + name + ".action",
          "must be drop or sample, not '" + action + "'");
      force = force != null && force;
    }

    NoiseRule toRule() {
      Map<String, List<String>> conditions = new LinkedHashMap<>();
      if (when != null) {
        for (Map.Entry<String, Object> e : when.entrySet()) {
          Object v = e.getValue();
          List<String> values = new ArrayList<>();
          if (v instanceof List<?> list) {
            list.forEach(x -> values.add(String.valueOf(x)));
          } else if (v != null) {
            values.add(String.valueOf(v));
          }
          conditions.put(e.getKey(), values);
        }
      }
      try {
        return new NoiseRule(
            name,
            action.equals("sample") ? NoiseRule.Action.SAMPLE : NoiseRule.Action.DROP,
            sampleRate == null ? 0 : sampleRate,
            conditions,
            force);
      } catch (IllegalArgumentException e) {
        throw new ConfigLoader.ConfigException(e.getMessage());
      }
    }
  }

  /** The noise rules as a filter. */
  public NoiseFilter noiseFilter() {
    return new NoiseFilter(noise.stream().map(Noise::toRule).toList());
  }

  /** The built-in formats and the configured JSON mappings. */
  public Formats formats() {
    List<RecordParser> extra = new ArrayList<>();
    for (JsonMapping m : mappings) {
      try {
        extra.add(
            new MappedJsonParser(
                m.format(),
                m.dataset(),
                m.fields(),
                m.constants(),
                MappedJsonParser.TimestampFormat.byName(m.timestamp())));
      } catch (IllegalArgumentException e) {
        throw new ConfigLoader.ConfigException("mappings." + m.format() + ": " + e.getMessage());
      }
    }
    try {
      return Formats.standard().with(extra);
    } catch (IllegalArgumentException e) {
      throw new ConfigLoader.ConfigException("mappings: " + e.getMessage());
    }
  }

  /**
   * @param host the address to listen on (default 127.0.0.1: only this machine)
   * @param port the port (default 8080; 0 picks a free one)
   * @param maxBodyBytes the largest request body, after decompression (default 16 MiB)
   */
  public record Http(String host, Integer port, @JsonProperty("max_body_bytes") Long maxBodyBytes) {
    static final Http DEFAULT = new Http(null, null, null);

    public Http {
      host = host == null ? "127.0.0.1" : host;
      port = port == null ? 8080 : port;
      maxBodyBytes = maxBodyBytes == null ? 16L << 20 : maxBodyBytes;
      ConfigLoader.check(port >= 0 && port <= 65535, "http.port", "must be 0-65535");
      ConfigLoader.check(maxBodyBytes >= 1024, "http.max_body_bytes", "must be at least 1024");
    }

    Http withPort(int p) {
      return new Http(host, p, maxBodyBytes);
    }

    Http withHost(String h) {
      return new Http(h, port, maxBodyBytes);
    }
  }

  /**
   * @param host the address to listen on (default 127.0.0.1)
   * @param tcpPort TCP port (default 5514; -1 turns TCP off)
   * @param udpPort UDP port (default 5514; -1 turns UDP off)
   * @param tlsPort TLS port (default off; 6514 is the usual one), needs {@code tls}
   * @param tls the server's certificate for TLS (RFC 5425)
   * @param timezone the zone of BSD syslog timestamps, which carry none (default UTC)
   * @param maxMessageBytes the longest message (default 64 KiB)
   */
  public record Syslog(
      String host,
      @JsonProperty("tcp_port") Integer tcpPort,
      @JsonProperty("udp_port") Integer udpPort,
      @JsonProperty("tls_port") Integer tlsPort,
      Tls tls,
      String timezone,
      @JsonProperty("max_message_bytes") Integer maxMessageBytes) {
    static final Syslog DEFAULT = new Syslog(null, null, null, null, null, null, null);

    public Syslog {
      host = host == null ? "127.0.0.1" : host;
      tcpPort = tcpPort == null ? 5514 : tcpPort;
      udpPort = udpPort == null ? 5514 : udpPort;
      tlsPort = tlsPort == null ? -1 : tlsPort;
      timezone = timezone == null ? "UTC" : timezone;
      maxMessageBytes = maxMessageBytes == null ? 64 << 10 : maxMessageBytes;
      for (var p :
          Map.of("syslog.tcp_port", tcpPort, "syslog.udp_port", udpPort, "syslog.tls_port", tlsPort)
              .entrySet()) {
        ConfigLoader.check(
            p.getValue() >= -1 && p.getValue() <= 65535,
            p.getKey(),
            "must be 0-65535, or -1 for off");
      }
      ConfigLoader.check(
          tlsPort < 0 || tls != null, "syslog.tls", "is required when syslog.tls_port is set");
      ConfigLoader.check(
          maxMessageBytes >= 2048 && maxMessageBytes <= 16 << 20,
          "syslog.max_message_bytes",
          "must be 2048 (what RFC 5425 receivers must accept) to 16 MiB");
      try {
        ZoneId.of(timezone);
      } catch (java.time.DateTimeException e) {
        throw new ConfigLoader.ConfigException(
            "syslog.timezone: '" + timezone + "' is not a time zone (e.g. UTC, Europe/Berlin)");
      }
    }

    public ZoneId zone() {
      return ZoneId.of(timezone);
    }

    Syslog withPorts(int p) {
      return new Syslog(host, p, p, tlsPort, tls, timezone, maxMessageBytes);
    }

    Syslog withHost(String h) {
      return new Syslog(h, tcpPort, udpPort, tlsPort, tls, timezone, maxMessageBytes);
    }
  }

  /**
   * @param keystore a PKCS#12 file with the server's key and certificate chain
   * @param password its password
   */
  public record Tls(Path keystore, String password) {
    public Tls {
      ConfigLoader.check(keystore != null, "syslog.tls.keystore", "is required");
      password = password == null ? "" : password;
    }

    /** The server's TLS context from the PKCS#12 keystore. */
    public javax.net.ssl.SSLContext sslContext() {
      try (var in = java.nio.file.Files.newInputStream(keystore)) {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(in, password.toCharArray());
        javax.net.ssl.KeyManagerFactory kmf =
            javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
      } catch (java.nio.file.NoSuchFileException e) {
        throw new ConfigLoader.ConfigException(
            "syslog.tls.keystore: " + keystore + ": no such file (a PKCS#12 keystore is needed)");
      } catch (java.io.IOException | java.security.GeneralSecurityException e) {
        throw new ConfigLoader.ConfigException(
            "syslog.tls.keystore: cannot use "
                + keystore
                + " as a PKCS#12 keystore with the given password: "
                + e.getMessage());
      }
    }
  }

  /**
   * @param minFreeBytes below this much free space on the data directory's disk, ingest answers 503
   *     instead of writing, so the ledger never fails on a full disk (default 512 MiB)
   */
  public record Storage(@JsonProperty("min_free_bytes") Long minFreeBytes) {
    static final Storage DEFAULT = new Storage(null);

    public Storage {
      minFreeBytes = minFreeBytes == null ? 512L << 20 : minFreeBytes;
      ConfigLoader.check(minFreeBytes >= 0, "storage.min_free_bytes", "must be >= 0");
    }
  }

  /**
   * @param dedupeWindow how many of the latest events' {@code event.id}s are remembered, so that a
   *     retried batch is not stored twice (default 1,000,000)
   * @param maxPendingBytes bytes of accepted batches not yet durable; beyond it requests wait, and
   *     after {@code maxWaitMillis} get 503 (default 256 MiB)
   * @param maxWaitMillis how long a request waits for room (default 2,000)
   */
  public record Ingest(
      @JsonProperty("dedupe_window") Integer dedupeWindow,
      @JsonProperty("max_pending_bytes") Long maxPendingBytes,
      @JsonProperty("max_wait_millis") Long maxWaitMillis) {
    static final Ingest DEFAULT = new Ingest(null, null, null);

    public Ingest {
      dedupeWindow = dedupeWindow == null ? 1_000_000 : dedupeWindow;
      maxPendingBytes = maxPendingBytes == null ? 256L << 20 : maxPendingBytes;
      maxWaitMillis = maxWaitMillis == null ? 2_000L : maxWaitMillis;
      ConfigLoader.check(dedupeWindow >= 0, "ingest.dedupe_window", "must be >= 0");
      ConfigLoader.check(
          maxPendingBytes >= 1 << 20, "ingest.max_pending_bytes", "must be at least 1 MiB");
      ConfigLoader.check(maxWaitMillis >= 0, "ingest.max_wait_millis", "must be >= 0");
    }
  }

  /**
   * @param threads threads that index (default: one per core); fewer leave more CPU to ingest
   * @param commitEvery commit the index after this many ledger entries (default 1,000,000) ...
   * @param commitIntervalSeconds ... or after this many seconds (default 30), whichever comes
   *     first: after a crash, the indexer redoes the work since the last commit
   */
  public record Index(
      Integer threads,
      @JsonProperty("commit_every") Long commitEvery,
      @JsonProperty("commit_interval_seconds") Long commitIntervalSeconds) {
    static final Index DEFAULT = new Index(null, null, null);

    public Index {
      IndexerConfig d = IndexerConfig.defaults();
      threads = threads == null ? d.threads() : threads;
      commitEvery = commitEvery == null ? d.commitEvery() : commitEvery;
      commitIntervalSeconds =
          commitIntervalSeconds == null ? d.commitInterval().toSeconds() : commitIntervalSeconds;
      ConfigLoader.check(threads >= 1 && threads <= 64, "index.threads", "must be 1 to 64");
      ConfigLoader.check(commitEvery >= 1, "index.commit_every", "must be at least 1");
      ConfigLoader.check(
          commitIntervalSeconds >= 1, "index.commit_interval_seconds", "must be at least 1");
    }

    /**
     * The indexer's configuration: these settings, the rest at {@link IndexerConfig}'s defaults.
     */
    public IndexerConfig indexerConfig() {
      return IndexerConfig.defaults()
          .withThreads(threads)
          .withCommitEvery(commitEvery, Duration.ofSeconds(commitIntervalSeconds));
    }
  }

  /**
   * @param files files to follow like a log shipper
   */
  public record Inputs(List<FileInput> files) {
    public Inputs {
      files = files == null ? List.of() : List.copyOf(files);
    }
  }

  /**
   * @param path the file to follow
   * @param format its format ({@code trailwatch import --help} lists them)
   */
  public record FileInput(Path path, String format) {
    public FileInput {
      ConfigLoader.check(path != null, "inputs.files.path", "is required");
      format = format == null ? "syslog" : format;
    }
  }

  /**
   * A JSON format of an application.
   *
   * @param format the format's name (for {@code --format} and {@code inputs.files})
   * @param dataset the {@code event.dataset} of its events (default: the format's name)
   * @param fields source path ({@code a.b.0.c}) to schema field ({@code user.name}, {@code
   *     labels.x})
   * @param constants schema field to fixed value (e.g. {@code event.action: login})
   * @param timestamp how times are written: {@code rfc3339} (default), {@code epoch_millis}, {@code
   *     epoch_seconds}
   */
  public record JsonMapping(
      String format,
      String dataset,
      Map<String, String> fields,
      Map<String, String> constants,
      String timestamp) {
    public JsonMapping {
      ConfigLoader.check(format != null && !format.isBlank(), "mappings.format", "is required");
      dataset = dataset == null ? format : dataset;
      // In the file's order: a target mapped twice takes the first path that has a value.
      fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
      constants =
          constants == null
              ? Map.of()
              : Collections.unmodifiableMap(new LinkedHashMap<>(constants));
      timestamp = timestamp == null ? "rfc3339" : timestamp;
    }
  }

  /** The TLS settings, when TLS is on. */
  public Optional<Tls> syslogTls() {
    return syslog.tlsPort() >= 0 ? Optional.ofNullable(syslog.tls()) : Optional.empty();
  }
}
