package dev.trailwatch.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.event.SystemEntry;
import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import dev.trailwatch.ledger.Entry;
import dev.trailwatch.ledger.LedgerReader;
import dev.trailwatch.search.index.Indexer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/search} and {@code /api/v1/export} on a real server: paging, the bytes of
 * hits, roles, errors with positions, and the system entries that record each search and export.
 */
class SearchApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long SEED = Long.getLong("tests.seed", new SplittableRandom().nextLong());
  static final String RANGE = "&from=2026-11-01T00:00:00Z&to=2026-11-10T00:00:00Z";

  @TempDir Path dir;
  Path data;
  Server server;
  String viewer;
  String ingest;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    System.out.println("SearchApiTest seed: " + SEED + " (replay: -Dtests.seed=" + SEED + ")");
    data = dir.resolve("data");
    server = Server.start(data, ServerTest.config(), Map.of());
    viewer = server.tokens().create(Role.VIEWER, "carol", null, new SecureRandom()).token();
    ingest = server.tokens().create(Role.INGEST, "shipper", null, new SecureRandom()).token();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  /** Stores {@code n} generated events through the API and waits until they are searchable. */
  void store(int n) throws Exception {
    EventGenerator generator =
        new EventGenerator(SEED, GeneratorConfig.defaults().withEvents(n).withUsers(50));
    for (int done = 0; done < n; ) {
      StringBuilder body = new StringBuilder();
      for (int i = 0; i < 1000 && done < n; i++, done++) {
        body.append(EventJson.canonicalString(generator.next())).append('\n');
      }
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri("/api/v1/events"))
                  .header("Authorization", "Bearer " + ingest)
                  .header("Content-Type", "application/x-ndjson")
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    awaitIndexed();
  }

  void awaitIndexed() throws Exception {
    Indexer indexer = server.indexer().orElseThrow();
    assertThat(indexer.awaitPosition(server.ledger().size(), Duration.ofMinutes(2))).isTrue();
    indexer.index().refresh();
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.httpPort() + pathAndQuery);
  }

  HttpResponse<String> get(String token, String pathAndQuery) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String q(String query) {
    return URLEncoder.encode(query, StandardCharsets.UTF_8);
  }

  List<SystemEntry> systemEntries() throws Exception {
    return ServerTest.systemEntries(server.ledger());
  }

  @Test
  void pagesThroughEveryHitInTheOrderOfOneQueryWithTheLedgersBytes() throws Exception {
    store(3000);
    String query = "event.outcome:success or event.action:login";
    HttpResponse<String> big = get(viewer, "/api/v1/search?limit=10000&q=" + q(query) + RANGE);
    assertThat(big.statusCode()).as(big.body()).isEqualTo(200);
    JsonNode all = JSON.readTree(big.body());
    assertThat(all.get("next").isNull()).isTrue();
    long total = all.get("total").asLong();
    assertThat(all.get("hits")).hasSize((int) total);
    assertThat(total).isGreaterThan(1000);

    List<Long> paged = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<String> r =
          get(
              viewer,
              "/api/v1/search?limit=97&q="
                  + q(query)
                  + RANGE
                  + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode page = JSON.readTree(r.body());
      assertThat(page.get("total").asLong()).isEqualTo(total);
      page.get("hits").forEach(h -> paged.add(h.get("seq").asLong()));
      cursor = page.get("next").isNull() ? null : page.get("next").asText();
      pages++;
    } while (cursor != null);
    List<Long> once = new ArrayList<>();
    all.get("hits").forEach(h -> once.add(h.get("seq").asLong()));
    assertThat(paged).isEqualTo(once);
    assertThat(pages).isEqualTo((int) ((total + 96) / 97));

    try (LedgerReader reader = server.ledger().reader()) {
      long previous = Long.MAX_VALUE;
      for (JsonNode hit : all.get("hits")) {
        Entry e = reader.read(hit.get("seq").asLong()).orElseThrow();
        String stored = new String(e.payload(), StandardCharsets.UTF_8);
        assertThat(big.body()).contains("\"event\":" + stored + "}");
        assertThat(JSON.readTree(e.payload())).isEqualTo(hit.get("event"));
        long t =
            java.time.Instant.parse(hit.get("event").get("@timestamp").asText()).toEpochMilli();
        assertThat(t).as("newest first").isLessThanOrEqualTo(previous);
        previous = t;
      }
    }
  }

  @Test
  void aPipelineAnswersItsTable() throws Exception {
    store(500);
    HttpResponse<String> r =
        get(viewer, "/api/v1/search?q=" + q("| stats count() by event.outcome") + RANGE);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("table").get("columns").toString())
        .isEqualTo("[\"event.outcome\",\"count()\"]");
    long sum = 0;
    for (JsonNode row : body.get("table").get("rows")) {
      sum += row.get(1).asLong();
    }
    assertThat(sum).isEqualTo(500).isEqualTo(body.get("total").asLong());
    assertThat(body.get("hits")).isEmpty();
  }

  @Test
  void rolesAndBadRequestsGetClearAnswers() throws Exception {
    store(10);
    assertThat(get(ingest, "/api/v1/search?q=*").statusCode()).isEqualTo(403);
    assertThat(get(ingest, "/api/v1/export?q=*").statusCode()).isEqualTo(403);
    assertThat(get(null, "/api/v1/search?q=*").statusCode()).isEqualTo(401);
    String admin = Files.readString(data.resolve("admin.token")).strip();
    assertThat(get(admin, "/api/v1/search?q=*").statusCode()).isEqualTo(200);

    HttpResponse<String> bad =
        get(viewer, "/api/v1/search?q=" + q("event.action:login and user.name:"));
    assertThat(bad.statusCode()).isEqualTo(400);
    JsonNode e = JSON.readTree(bad.body());
    assertThat(e.get("error").asText()).isEqualTo("line 1, column 34: expected a value after ':'");
    assertThat(e.get("line").asInt()).isEqualTo(1);
    assertThat(e.get("column").asInt()).isEqualTo(34);
    assertThat(e.get("parameter").asText()).isEqualTo("q");

    JsonNode from = JSON.readTree(get(viewer, "/api/v1/export?from=now-15x").body());
    assertThat(from.get("parameter").asText()).isEqualTo("from");
    assertThat(from.get("column").asInt()).isEqualTo(5);
    for (String query :
        List.of(
            "limit=10001", "limit=x", "cursor=%21%21", "q=" + q("| stats count() by message"))) {
      HttpResponse<String> r = get(viewer, "/api/v1/search?" + query);
      assertThat(r.statusCode()).as(query).isEqualTo(400);
      assertThat(r.body()).as(query).doesNotContain("Exception").contains("\"error\"");
    }
    assertThat(get(viewer, "/api/v1/export?format=xml").statusCode()).isEqualTo(400);
  }

  @Test
  void searchesAndExportsAreRecordedInTheLedgerAndNotIndexed() throws Exception {
    store(1200);
    long events = server.ledger().size();
    HttpResponse<String> r =
        get(viewer, "/api/v1/search?limit=3&q=" + q("event.outcome:failure") + RANGE);
    long total = JSON.readTree(r.body()).get("total").asLong();
    HttpResponse<String> csv = get(viewer, "/api/v1/export?format=csv&q=" + q("*") + RANGE);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type")).get().asString().startsWith("text/csv");
    assertThat(csv.body().split("\r\n")).hasSize(1200 + 1);

    List<SystemEntry> recorded = systemEntries();
    assertThat(recorded).hasSize(2);
    SystemEntry search = recorded.get(0);
    assertThat(search.kind()).isEqualTo(SystemEntry.SEARCH);
    assertThat(search.actor()).isEqualTo("carol");
    assertThat(search.query()).isEqualTo("event.outcome:failure");
    assertThat(search.results()).isEqualTo(total);
    assertThat(search.from()).map(Object::toString).contains("2026-11-01T00:00:00Z");
    SystemEntry export = recorded.get(1);
    assertThat(export.kind()).isEqualTo(SystemEntry.EXPORT);
    assertThat(export.format()).contains("csv");
    assertThat(export.results()).isEqualTo(1200);
    assertThat(export.complete()).contains(true);

    awaitIndexed();
    assertThat(server.ledger().size()).isEqualTo(events + 2);
    assertThat(server.indexer().orElseThrow().skipped()).isEqualTo(2);
    JsonNode everything = JSON.readTree(get(viewer, "/api/v1/search?limit=0&q=*" + RANGE).body());
    assertThat(everything.get("total").asLong())
        .as("system entries are not events")
        .isEqualTo(1200);
  }

  @Test
  void anExportStreamsEveryEventAndOneCutShortIsRecordedAsSuch() throws Exception {
    store(20_000);
    HttpResponse<InputStream> full =
        http.send(
            HttpRequest.newBuilder(uri("/api/v1/export?q=*" + RANGE))
                .header("Authorization", "Bearer " + viewer)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(full.headers().firstValue("Content-Type")).contains("application/x-ndjson");
    long lines = 0;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(full.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        assertThat(line).startsWith("{\"@timestamp\":");
        lines++;
      }
    }
    assertThat(lines).isEqualTo(20_000);

    // A client that goes away after the first bytes: a raw socket, closed (with a reset).
    try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      socket
          .getOutputStream()
          .write(
              ("GET /api/v1/export?q=*"
                      + RANGE
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                      + viewer
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      assertThat(socket.getInputStream().readNBytes(64 * 1024)).hasSize(64 * 1024);
      socket.setSoLinger(true, 0);
    }
    Optional<SystemEntry> recorded = Optional.empty();
    for (int i = 0; i < 600 && recorded.isEmpty(); i++) {
      List<SystemEntry> all = systemEntries();
      recorded = all.size() == 2 ? Optional.of(all.get(1)) : Optional.empty();
      if (recorded.isEmpty()) {
        Thread.sleep(100);
      }
    }
    assertThat(recorded).as("the cut export is recorded").isPresent();
    assertThat(recorded.get().complete()).contains(false);
    assertThat(recorded.get().results()).isLessThan(20_000);
  }
}
