package dev.trailwatch.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.event.SystemEntry;
import dev.trailwatch.ledger.Entry;
import dev.trailwatch.ledger.EntryIterator;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerReader;
import dev.trailwatch.ledger.Verifier;
import dev.trailwatch.search.index.IndexFields;
import dev.trailwatch.search.index.Indexer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API of a real server on a loopback port, through the JDK's HTTP client. */
class ServerTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  Path data;
  Server server;
  String admin;
  final HttpClient http = HttpClient.newHttpClient();

  static ServerConfig config() {
    return TestServers.loopback();
  }

  @BeforeEach
  void start() throws Exception {
    data = dir.resolve("data");
    server = Server.start(data, config(), Map.of());
    admin = Files.readString(data.resolve("admin.token")).strip();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static String event(String user, String id) {
    return "{\"@timestamp\":\"2026-11-22T10:00:00Z\",\"event\":{\"action\":\"login\",\"outcome\":"
        + "\"success\""
        + (id == null ? "" : ",\"id\":\"" + id + "\"")
        + "},\"user\":{\"name\":\""
        + user
        + "\"}}";
  }

  /** The same event in canonical form, which the server stores without decoding it. */
  static String canonicalEvent(String user, String id) {
    return event(user, id).replace("10:00:00Z", "10:00:00.000000000Z");
  }

  HttpResponse<String> post(
      String token, String contentType, byte[] body, String query, String encoding)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + "/api/v1/events" + query))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> ndjson(String token, String body) throws Exception {
    return post(token, "application/x-ndjson", body.getBytes(StandardCharsets.UTF_8), "", null);
  }

  String base() {
    return "http://127.0.0.1:" + server.httpPort();
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  /** The system entries in {@code ledger}, in order. */
  static List<SystemEntry> systemEntries(Ledger ledger) throws Exception {
    List<SystemEntry> out = new ArrayList<>();
    try (LedgerReader r = ledger.reader();
        EntryIterator it = r.entries(0)) {
      while (it.next()) {
        SystemEntry.decode(it.entry().payload()).ifPresent(out::add);
      }
    }
    return out;
  }

  List<AccessEvent> stored() throws Exception {
    List<AccessEvent> out = new ArrayList<>();
    try (LedgerReader reader = LedgerReader.open(data);
        EntryIterator it = reader.entries(0)) {
      while (it.next()) {
        Entry e = it.entry();
        out.add(EventJson.decodeCanonical(e.payload()));
      }
    }
    return out;
  }

  @Test
  void firstStartCreatesAnAdminTokenFileReadableOnlyByItsOwner() throws Exception {
    assertThat(server.firstStart().happened()).isTrue();
    assertThat(admin).startsWith("tw_");
    assertThat(Files.getPosixFilePermissions(data.resolve("admin.token")))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(Files.readString(data.resolve("auth/tokens.json"))).doesNotContain(admin);
  }

  @Test
  void acceptsNdjsonAndReportsEveryRejectedLine() throws Exception {
    HttpResponse<String> r =
        ndjson(admin, event("alice", null) + "\n{\"x\":1}\n\n" + event("bob", null) + "\n");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode b = json(r);
    assertThat(b.get("stored").asLong()).isEqualTo(3);
    assertThat(b.get("accepted").asLong()).isEqualTo(2);
    assertThat(b.get("unparsed").asLong()).isEqualTo(1);
    assertThat(b.get("first_seq").asLong()).isZero();
    assertThat(b.get("last_seq").asLong()).isEqualTo(2);
    assertThat(b.get("rejected").get(0).get("position").asLong()).isEqualTo(2);
    assertThat(b.get("rejected").get(0).get("seq").asLong()).isEqualTo(1);
    assertThat(b.get("rejected").get(0).get("reason").asText()).startsWith("line 2: ");
    // Durable when answered: the ledger already holds all three, the bad line as unparsed.
    List<AccessEvent> events = stored();
    assertThat(events).hasSize(3);
    assertThat(events.get(1).isUnparsed()).isTrue();
    assertThat(events.get(1).message()).hasValue("{\"x\":1}");
    assertThat(events.get(2).user().name()).hasValue("bob");
  }

  @Test
  void acceptsJsonArraysAndGzip() throws Exception {
    String array = "[" + event("a", null) + "," + event("b", null) + "]";
    HttpResponse<String> r =
        post(admin, "application/json", gzip(array.getBytes(StandardCharsets.UTF_8)), "", "gzip");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("accepted").asLong()).isEqualTo(2);
    HttpResponse<String> notGzip =
        post(admin, "application/json", array.getBytes(StandardCharsets.UTF_8), "", "gzip");
    assertThat(notGzip.statusCode()).isEqualTo(400);
    assertThat(json(notGzip).get("error").asText()).contains("not gzip");
  }

  @Test
  void strictModeRefusesTheWholeBatch() throws Exception {
    HttpResponse<String> r =
        post(
            admin,
            "application/x-ndjson",
            (event("a", null) + "\n{\"bad\":true}\n").getBytes(StandardCharsets.UTF_8),
            "?strict=true",
            null);
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(json(r).get("rejected").get(0).get("position").asLong()).isEqualTo(2);
    assertThat(server.ledger().size()).isZero();
  }

  @Test
  void refusalsHaveTheRightStatusAndStoreNothing() throws Exception {
    String ingestToken =
        server.tokens().create(Role.INGEST, "shipper", null, new SecureRandom()).token();
    String viewer = server.tokens().create(Role.VIEWER, "viewer", null, new SecureRandom()).token();
    byte[] one = event("a", null).getBytes(StandardCharsets.UTF_8);
    assertThat(post(null, "application/json", one, "", null).statusCode()).isEqualTo(401);
    HttpResponse<String> bad = post("tw_notatokenatallreally", "application/json", one, "", null);
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"trailwatch\"");
    assertThat(post(viewer, "application/json", one, "", null).statusCode()).isEqualTo(403);
    assertThat(post(admin, "text/csv", one, "", null).statusCode()).isEqualTo(415);
    assertThat(post(admin, null, one, "", null).statusCode()).isEqualTo(415);
    assertThat(post(admin, "application/json", one, "", "br").statusCode()).isEqualTo(415);
    assertThat(
            post(admin, "application/json", "nope".getBytes(StandardCharsets.UTF_8), "", null)
                .statusCode())
        .isEqualTo(400);
    byte[] big = (event("x", null) + "\n").repeat(12_000).getBytes(StandardCharsets.UTF_8);
    assertThat(big.length).isGreaterThan(1 << 20);
    HttpResponse<String> tooBig = post(admin, "application/x-ndjson", big, "", null);
    assertThat(tooBig.statusCode()).isEqualTo(413);
    HttpResponse<String> gzBomb = post(admin, "application/x-ndjson", gzip(big), "", "gzip");
    assertThat(gzBomb.statusCode()).isEqualTo(413);
    assertThat(server.ledger().size()).isZero();
    assertThat(post(ingestToken, "application/json", one, "", null).statusCode()).isEqualTo(200);
    server.tokens().revoke(server.tokens().list().get(1).id());
    Thread.sleep(1100); // the token file is reread at most once a second
    assertThat(post(ingestToken, "application/json", one, "", null).statusCode()).isEqualTo(401);
  }

  @Test
  void retriesAreNotStoredTwiceNotEvenAcrossARestart() throws Exception {
    // Canonical lines take the server's fast path: their ids must count all the same.
    String batch =
        event("a", "id-1")
            + "\n"
            + canonicalEvent("b", "id-2")
            + "\n"
            + canonicalEvent("c", "id-1")
            + "\n";
    JsonNode first = json(ndjson(admin, batch));
    assertThat(first.get("accepted").asLong()).isEqualTo(2);
    assertThat(first.get("duplicate_ids").get(0).get("position").asLong()).isEqualTo(3);
    JsonNode retry = json(ndjson(admin, batch));
    assertThat(retry.get("stored").asLong()).isZero();
    assertThat(retry.get("first_seq").isNull()).isTrue();
    assertThat(retry.get("duplicates").asLong()).isEqualTo(3);
    server.close();
    server = Server.start(data, config(), Map.of());
    JsonNode afterRestart = json(ndjson(admin, batch));
    assertThat(afterRestart.get("duplicates").asLong()).isEqualTo(3);
    assertThat(afterRestart.get("duplicate_ids").get(1).get("seq").asLong()).isEqualTo(1);
    assertThat(server.ledger().size()).isEqualTo(2);
  }

  @Test
  void concurrentRetriesStoreOneCopy() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<String>>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit(() -> ndjson(admin, event("a", "same-id") + "\n")));
      }
      long accepted = 0;
      for (Future<HttpResponse<String>> f : results) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).isEqualTo(200);
        accepted += json(r).get("accepted").asLong();
      }
      assertThat(accepted).isEqualTo(1);
      assertThat(stored()).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void noiseRulesDropAndCountButKeepLogins() throws Exception {
    server.close();
    ServerConfig base = config();
    ServerConfig withNoise =
        new ServerConfig(
            base.http(),
            base.syslog(),
            null,
            null,
            null,
            null,
            java.util.List.of(
                new ServerConfig.Noise(
                    "robots",
                    "drop",
                    null,
                    Map.of("user.name", java.util.List.of("bot*")),
                    false)));
    server = Server.start(data, withNoise, Map.of());
    String web =
        "{\"@timestamp\":\"2026-11-22T10:00:00Z\",\"event\":{\"action\":\"http_request\","
            + "\"outcome\":\"success\",\"category\":\"web\"},\"user\":{\"name\":\"bot-1\"}}";
    String login =
        "{\"@timestamp\":\"2026-11-22T10:00:00Z\",\"event\":{\"action\":\"login\","
            + "\"outcome\":\"success\",\"category\":\"authentication\"},\"user\":{\"name\":\"bot-2\"}}";
    JsonNode r = json(ndjson(admin, web + "\n" + login + "\n" + event("alice", null)));
    assertThat(r.get("dropped").asLong()).isEqualTo(1);
    assertThat(r.get("accepted").asLong()).isEqualTo(2);
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("trailwatch_noise_removed_total{rule=\"robots\"} 1.0")
        .contains("trailwatch_noise_protected_total{rule=\"robots\"} 1.0")
        .contains("trailwatch_ingest_events_total{result=\"accepted\",source=\"http\"} 2.0")
        .contains("trailwatch_ledger_entries");
  }

  @Test
  void fileInputsStoreEachLineOnceEvenWhenPositionsAreLost() throws Exception {
    server.close();
    Path log = dir.resolve("auth.log");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      lines
          .append("Nov 22 10:00:")
          .append(String.format("%02d", i))
          .append(" host-a sshd[")
          .append(100 + i)
          .append("]: Failed password for root from 192.0.2.")
          .append(i + 1)
          .append(" port 22 ssh2\n");
    }
    Files.writeString(log, lines);
    ServerConfig base = config();
    ServerConfig withFile =
        new ServerConfig(
            base.http(),
            base.syslog(),
            null,
            null,
            new ServerConfig.Inputs(java.util.List.of(new ServerConfig.FileInput(log, "sshd"))),
            null,
            null);
    server = Server.start(data, withFile, Map.of());
    awaitSize(50);
    server.close();
    // Positions lost (as if the crash came right after the last batch was durable): the ledger
    // itself says how far the file was read.
    try (var files = Files.walk(data.resolve("positions"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Files.writeString(
        log,
        "Nov 22 10:01:00 host-a sshd[200]: Accepted password for alice from 192.0.2.99 port 22"
            + " ssh2\n",
        java.nio.file.StandardOpenOption.APPEND);
    server = Server.start(data, withFile, Map.of());
    awaitSize(51);
    Thread.sleep(600); // a few polls: nothing more may come
    assertThat(server.ledger().size()).isEqualTo(51);
    List<AccessEvent> events = stored();
    assertThat(events.get(0).event().dataset()).hasValue("sshd");
    assertThat(events.get(0).labels()).containsEntry("log.offset", "0");
    assertThat(events.get(50).user().name()).hasValue("alice");
  }

  @Test
  void labelsOfFileInputsCannotBeSentOverHttp() throws Exception {
    String forged =
        "{\"@timestamp\":\"2026-11-22T10:00:00Z\",\"event\":{\"action\":\"x\",\"outcome\":"
            + "\"success\"},\"user\":{\"name\":\"a\"},\"labels\":{\"log.next_offset\":\"999\"}}";
    String canonical = forged.replace("10:00:00Z", "10:00:00.000000000Z");
    JsonNode r = json(ndjson(admin, forged + "\n" + canonical));
    assertThat(r.get("unparsed").asLong()).isEqualTo(2);
    assertThat(r.get("rejected").get(0).get("reason").asText()).contains("reserved");
    assertThat(r.get("rejected").get(1).get("reason").asText()).contains("reserved");
    assertThat(stored().get(0).labels()).doesNotContainKey("log.next_offset");
    assertThat(stored().get(1).labels()).doesNotContainKey("log.next_offset");
  }

  void awaitSize(long n) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (server.ledger().size() < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(server.ledger().size()).isGreaterThanOrEqualTo(n);
  }

  @Test
  void syslogFromTheRealLoggerIsParsedAndStored() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/logger")), "util-linux logger is not installed");
    server.close();
    ServerConfig base = config();
    ServerConfig withSyslog =
        new ServerConfig(
            base.http(),
            new ServerConfig.Syslog(null, 0, 0, null, null, null, null),
            null,
            null,
            null,
            null,
            null);
    server = Server.start(data, withSyslog, Map.of());
    int tcp = server.syslog().orElseThrow().tcpPort().orElseThrow();
    int udp = server.syslog().orElseThrow().udpPort().orElseThrow();
    Process tcpLogger =
        new ProcessBuilder(
                "logger",
                "--server",
                "127.0.0.1",
                "--port",
                Integer.toString(tcp),
                "--tcp",
                "--octet-count",
                "--rfc5424",
                "-t",
                "sshd",
                "--id=4242",
                "Failed password for invalid user admin from 192.0.2.44 port 50000 ssh2")
            .inheritIO()
            .start();
    assertThat(tcpLogger.waitFor()).isZero();
    Process udpLogger =
        new ProcessBuilder(
                "logger",
                "--server",
                "127.0.0.1",
                "--port",
                Integer.toString(udp),
                "--udp",
                "--rfc3164",
                "-t",
                "sudo",
                "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id")
            .inheritIO()
            .start();
    assertThat(udpLogger.waitFor()).isZero();
    awaitSize(2);
    List<AccessEvent> events = stored();
    AccessEvent ssh =
        events.stream()
            .filter(e -> e.event().dataset().equals(Optional.of("sshd")))
            .findFirst()
            .orElseThrow();
    assertThat(ssh.event().action()).isEqualTo("ssh_login");
    assertThat(ssh.source().ip().orElseThrow().toString()).isEqualTo("192.0.2.44");
    assertThat(ssh.labels()).containsEntry("syslog.transport", "tcp");
    assertThat(events).anyMatch(e -> e.event().dataset().equals(Optional.of("sudo")));
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body()).contains("trailwatch_syslog_");
  }

  @Test
  void healthAndReadiness() throws Exception {
    HttpResponse<String> live =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(live.statusCode()).isEqualTo(200);
    HttpResponse<String> ready =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready).get("status").asText()).isEqualTo("ready");
  }

  @Test
  void theSearchIndexFollowsTheLedgerAndItsLagGoesToZero() throws Exception {
    ndjson(admin, event("alice", "e1") + "\n" + event("bob", "e2") + "\n{\"x\":1}\n");
    Indexer indexer = server.indexer().orElseThrow();
    assertThat(indexer.awaitPosition(server.ledger().size(), Duration.ofMinutes(1))).isTrue();

    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(base() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("trailwatch_index_lag_entries 0.0")
        .contains("trailwatch_index_lag_seconds 0.0")
        .contains("trailwatch_index_position 3.0")
        .contains("trailwatch_index_entries_total{result=\"indexed\"} 3.0")
        .contains("trailwatch_index_size_bytes");
    JsonNode index =
        json(http.send(
                HttpRequest.newBuilder(URI.create(base() + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString()))
            .get("detail")
            .get("index");
    assertThat(index.get("state").asText()).isEqualTo("running");
    assertThat(index.get("position").asLong()).isEqualTo(3);
    assertThat(index.get("lag_entries").asLong()).isZero();

    indexer.index().refresh();
    IndexSearcher searcher = indexer.index().acquire();
    try {
      assertThat(searcher.count(new TermQuery(new Term(IndexFields.USER_NAME, "bob"))))
          .isEqualTo(1);
      assertThat(searcher.count(new FieldExistsQuery(IndexFields.SEQ)))
          .as("the unparsed line is an event too")
          .isEqualTo(3);
    } finally {
      indexer.index().release(searcher);
    }
  }

  @Test
  void closeSignsAFinalCheckpointThatVerifies() throws Exception {
    ndjson(admin, event("a", null) + "\n" + event("b", null));
    server.close();
    server = null;
    var report =
        Verifier.verify(
            new Verifier.Options(data, Optional.empty(), Optional.empty(), (d, t) -> {}));
    assertThat(report.problems()).isEmpty();
    try (LedgerReader reader = LedgerReader.open(data)) {
      assertThat(reader.size()).isEqualTo(2);
    }
  }

  static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
