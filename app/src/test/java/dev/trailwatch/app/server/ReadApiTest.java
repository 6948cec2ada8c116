package dev.trailwatch.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailwatch.app.cli.Cli;
import dev.trailwatch.event.SystemEntry;
import dev.trailwatch.ledger.Entry;
import dev.trailwatch.ledger.LedgerReader;
import dev.trailwatch.ledger.SignedCheckpoint;
import dev.trailwatch.ledger.checkpoint.KeyFiles;
import dev.trailwatch.ledger.checkpoint.NoteException;
import dev.trailwatch.ledger.checkpoint.NoteVerifier;
import dev.trailwatch.ledger.merkle.ProofException;
import dev.trailwatch.ledger.merkle.ProofVerifier;
import dev.trailwatch.ledger.merkle.Rfc6962Hasher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/events/{seq}} and {@code GET /api/v1/timeline} on a real server on a loopback
 * port. The server signs checkpoints only when told (an interval of an hour), so that an entry is
 * uncovered or covered when the test says. Proofs are checked offline with only the public key: by
 * the project's verifier, by {@code trailwatch proof check}, and by {@link IndependentProofCheck},
 * which uses nothing of Trailwatch.
 */
class ReadApiTest {
  @TempDir Path dir;
  Path data;
  Server server;
  String viewer;
  String ingest;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    data = dir.resolve("data");
    ServerConfig c = ServerTest.config();
    // A small dedupe window: the default one's table takes 40 MB per server.
    ServerConfig small =
        new ServerConfig(
            c.http(),
            c.syslog(),
            null,
            new ServerConfig.Ingest(1_000, null, null),
            null,
            null,
            null);
    server =
        Server.start(data, small, Map.of(), lc -> lc.withCheckpointInterval(Duration.ofHours(1)));
    viewer = server.tokens().create(Role.VIEWER, "viewer", null, new SecureRandom()).token();
    ingest = server.tokens().create(Role.INGEST, "shipper", null, new SecureRandom()).token();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    server = null; // JUnit may keep the test instance until the class is done
  }

  HttpResponse<String> get(String token, String pathAndQuery) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + pathAndQuery));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  void store(String... events) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/events"))
                .header("Authorization", "Bearer " + ingest)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", events)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ServerTest.json(r).get("accepted").asInt()).isEqualTo(events.length);
  }

  static String event(String time, String user, String more) {
    return "{\"@timestamp\":\"2026-11-22T"
        + time
        + "Z\",\"event\":{\"action\":\"login\",\"outcome\":\"success\"},\"user\":{\"name\":\""
        + user
        + "\"}"
        + more
        + "}";
  }

  byte[] payload(long seq) throws Exception {
    try (LedgerReader reader = LedgerReader.open(data)) {
      return reader.read(seq).orElseThrow().payload();
    }
  }

  Path publicKey() throws Exception {
    Path pub = dir.resolve("ledger.pub");
    Files.writeString(pub, server.ledger().verifierKey() + "\n");
    return pub;
  }

  @Test
  void anEntryIsShownAsStoredAndItsProofChecksOfflineWithOnlyThePublicKey() throws Exception {
    store(
        event("10:00:00", "alice", ",\"message\":\"caf\u00e9 \u2603\""),
        event("10:00:01", "zo\u00eb", ""),
        event("10:00:02", "bob", ",\"source\":{\"ip\":\"2001:db8::7\"}"));
    HttpResponse<String> r = get(viewer, "/api/v1/events/1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String stored = new String(payload(1), StandardCharsets.UTF_8);
    assertThat(r.body()).as("the stored bytes, as they are").contains("\"event\":" + stored + "}");
    JsonNode body = ServerTest.json(r);
    assertThat(body.get("seq").asLong()).isEqualTo(1);
    assertThat(body.get("kind").asText()).isEqualTo("event");
    assertThat(body.has("proof")).isFalse();

    HttpResponse<String> early = get(viewer, "/api/v1/events/2?proof=true");
    assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
    assertThat(early.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(ServerTest.json(early).get("checkpoint_size").asLong()).isZero();
    assertThat(ServerTest.json(early).get("error").asText()).contains("retry after 1 s");

    // The read of entry 1 was recorded as entry 3: the checkpoint covers 4 entries.
    server.ledger().checkpoint();
    store(event("10:00:03", "carol", "")); // entry 4: the tree grows past the checkpoint
    Path pub = publicKey();
    for (long seq = 0; seq < 3; seq++) {
      HttpResponse<String> p = get(viewer, "/api/v1/events/" + seq + "?proof=true");
      assertThat(p.statusCode()).as(p.body()).isEqualTo(200);
      JsonNode answer = ServerTest.json(p);
      assertThat(answer.get("proof").get("tree_size").asLong()).isEqualTo(4);
      assertThat(answer.get("proof").get("checkpoint").asText())
          .isEqualTo(server.ledger().latestCheckpoint().note());
      assertThat(projectCheck(answer, pub)).as("seq %d", seq).isEmpty();
      assertThat(IndependentProofCheck.check(answer, server.ledger().verifierKey()))
          .as("seq %d", seq)
          .isNull();
      Path saved = dir.resolve("answer-" + seq + ".json");
      Files.writeString(saved, p.body());
      String[] cli = cli("proof", "check", "--public-key", pub.toString(), saved.toString());
      assertThat(cli[0]).as(cli[1]).isEqualTo("0");
      assertThat(cli[1]).startsWith("OK: entry " + seq + " (ingested ");
    }
    HttpResponse<String> uncovered = get(viewer, "/api/v1/events/4?proof=true");
    assertThat(uncovered.statusCode()).isEqualTo(409);
  }

  @Test
  void aTamperedAnswerFailsEveryCheck() throws Exception {
    store(event("10:00:00", "alice", ""), event("10:00:01", "bob", ""));
    store(event("10:00:02", "carol", ""), event("10:00:03", "dave", ""));
    server.ledger().checkpoint();
    Path pub = publicKey();
    JsonNode answer = ServerTest.json(get(viewer, "/api/v1/events/1?proof=true"));
    assertThat(answer.get("proof").get("path")).hasSize(2);

    Map<String, Consumer<ObjectNode>> tamperings =
        Map.of(
            "one byte of the event, shown and proven",
            a -> {
              ObjectNode entry = (ObjectNode) a.get("proof").get("entry");
              entry.put("payload", entry.get("payload").asText().replace("bob", "bop"));
              ((ObjectNode) a.get("event").get("user")).put("name", "bop");
            },
            "one byte of the event shown only",
            a -> ((ObjectNode) a.get("event").get("user")).put("name", "bop"),
            "a hash of the path",
            a -> {
              ArrayNode path = (ArrayNode) a.get("proof").get("path");
              byte[] h = Base64.getDecoder().decode(path.get(0).asText());
              h[7] ^= 1;
              path.set(0, Base64.getEncoder().encodeToString(h));
            },
            "the checkpoint's tree size",
            a -> {
              ObjectNode proof = (ObjectNode) a.get("proof");
              proof.put(
                  "checkpoint", proof.get("checkpoint").asText().replaceFirst("\n4\n", "\n5\n"));
              proof.put("tree_size", 5);
            },
            "the ingest time",
            a -> {
              ObjectNode entry = (ObjectNode) a.get("proof").get("entry");
              entry.put("ingest_nanos", entry.get("ingest_nanos").asLong() + 1);
            });
    for (Map.Entry<String, Consumer<ObjectNode>> t : tamperings.entrySet()) {
      ObjectNode tampered = answer.deepCopy();
      t.getValue().accept(tampered);
      assertThat(tampered).as(t.getKey()).isNotEqualTo(answer);
      assertThat(IndependentProofCheck.check(tampered, server.ledger().verifierKey()))
          .as(t.getKey())
          .isNotNull();
      if (!t.getKey().endsWith("shown only")) {
        assertThat(projectCheck(tampered, pub)).as(t.getKey()).isPresent();
      }
      Path saved = dir.resolve("tampered.json");
      Files.writeString(saved, ServerTest.JSON.writeValueAsString(tampered));
      String[] cli = cli("proof", "check", "--public-key", pub.toString(), saved.toString());
      assertThat(cli[0]).as(t.getKey() + ": " + cli[1]).isEqualTo("1");
      assertThat(cli[1]).as(t.getKey()).startsWith("FAILED: ");
    }
  }

  /** The proof checked with the ledger module's own verifier; empty when it holds. */
  static Optional<String> projectCheck(JsonNode answer, Path pub) throws Exception {
    NoteVerifier key = KeyFiles.loadPublic(pub);
    JsonNode proof = answer.get("proof");
    JsonNode entry = proof.get("entry");
    try {
      SignedCheckpoint cp = SignedCheckpoint.open(proof.get("checkpoint").asText(), key);
      long seq = proof.get("leaf_index").asLong();
      Entry e =
          new Entry(
              seq,
              entry.get("ingest_nanos").asLong(),
              entry.get("payload").asText().getBytes(StandardCharsets.UTF_8));
      Rfc6962Hasher h = Rfc6962Hasher.create();
      byte[] leaf = h.hashLeaf(e.leafData());
      if (!Arrays.equals(leaf, Base64.getDecoder().decode(proof.get("leaf_hash").asText()))) {
        return Optional.of("the entry does not hash to the leaf hash");
      }
      List<byte[]> path = new ArrayList<>();
      proof.get("path").forEach(p -> path.add(Base64.getDecoder().decode(p.asText())));
      ProofVerifier.verifyInclusion(h, seq, cp.size(), leaf, path, cp.root());
      return Optional.empty();
    } catch (NoteException | ProofException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Runs the CLI; returns its exit code and output. */
  static String[] cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        Cli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void otherPayloadsAreShownAsTheyAre() throws Exception {
    server
        .ledger()
        .append(
            List.of(
                "{\"system\":{\"kind\":\"test\"}}".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xff, 0, 1}));
    JsonNode json = ServerTest.json(get(viewer, "/api/v1/events/0"));
    assertThat(json.get("kind").asText()).isEqualTo("other");
    assertThat(json.get("payload"))
        .isEqualTo(ServerTest.JSON.readTree("{\"system\":{\"kind\":\"test\"}}"));
    JsonNode bytes = ServerTest.json(get(viewer, "/api/v1/events/1"));
    assertThat(bytes.get("payload_base64").asText()).isEqualTo("/wAB");
  }

  @Test
  void refusalsSayWhatIsWrong() throws Exception {
    store(event("10:00:00", "alice", ""));
    String admin = Files.readString(data.resolve("admin.token")).strip();
    assertThat(get(admin, "/api/v1/events/0").statusCode()).isEqualTo(200); // recorded as 1
    HttpResponse<String> beyond = get(viewer, "/api/v1/events/2");
    assertThat(beyond.statusCode()).isEqualTo(404);
    assertThat(ServerTest.json(beyond).get("error").asText())
        .isEqualTo("no entry 2: the ledger holds entries 0 to 1");
    assertThat(get(viewer, "/api/v1/events/99999999999999999999").statusCode()).isEqualTo(400);
    for (String bad : List.of("abc", "-1", "1.5", "0x1")) {
      HttpResponse<String> r = get(viewer, "/api/v1/events/" + bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(ServerTest.json(r).get("error").asText()).startsWith("seq: '" + bad + "'");
    }
    HttpResponse<String> proof = get(viewer, "/api/v1/events/0?proof=yes");
    assertThat(proof.statusCode()).isEqualTo(400);
    assertThat(ServerTest.json(proof).get("error").asText())
        .isEqualTo("proof: 'yes' is not true or false");
    assertThat(get(null, "/api/v1/events/0").statusCode()).isEqualTo(401);
    assertThat(get(ingest, "/api/v1/events/0").statusCode()).isEqualTo(403);
    assertThat(ServerTest.json(get(ingest, "/api/v1/events/0")).get("error").asText())
        .contains("needs role 'viewer'");
    assertThat(get(ingest, "/api/v1/timeline?entity=user.name:alice").statusCode()).isEqualTo(403);
    assertThat(get(null, "/api/v1/timeline?entity=user.name:alice").statusCode()).isEqualTo(401);
    Map<String, String> badTimelines =
        Map.of(
            "", "entity: required",
            "entity=alice", "entity: expected field:value",
            "entity=user.name:alice&window=2x", "window: 'x' is not a unit",
            "entity=user.name:alice&window=30d", "window: at most 7d",
            "entity=user.name:alice&around=tomorrow", "around: ",
            "entity=user.name:alice&limit=0", "limit: '0'",
            "entity=source.ip:10.0.0.300", "entity: '10.0.0.300' is not an IPv4 or IPv6 address");
    for (Map.Entry<String, String> b : badTimelines.entrySet()) {
      HttpResponse<String> r = get(viewer, "/api/v1/timeline?" + b.getKey());
      assertThat(r.statusCode()).as(b.getKey()).isEqualTo(400);
      assertThat(ServerTest.json(r).get("error").asText()).as(b.getKey()).startsWith(b.getValue());
    }
  }

  @Test
  void everyReadAndTimelineIsRecordedInTheLedgerWithWhoAndHowMany() throws Exception {
    store(
        event("10:00:00", "alice", ",\"source\":{\"ip\":\"10.0.0.1\"}"),
        event("10:01:00", "bob", ""));
    server.indexer().orElseThrow().awaitPosition(2, Duration.ofSeconds(60));
    server.indexer().orElseThrow().index().refresh();
    assertThat(get(viewer, "/api/v1/events/1").statusCode()).isEqualTo(200);
    assertThat(get(viewer, "/api/v1/events/99").statusCode()).isEqualTo(404);
    assertThat(
            get(
                    viewer,
                    "/api/v1/timeline?entity=user.name:alice&around=2026-11-22T10:00:00Z"
                        + "&window=1h")
                .statusCode())
        .isEqualTo(200);

    List<SystemEntry> recorded = ServerTest.systemEntries(server.ledger());
    assertThat(recorded)
        .extracting(SystemEntry::kind, SystemEntry::actor, SystemEntry::query, SystemEntry::results)
        .containsExactly(
            tuple(SystemEntry.READ, "viewer", "seq:1", 1L),
            tuple(SystemEntry.TIMELINE, "viewer", "user.name:alice", 1L));
    assertThat(recorded.get(1).from()).hasValue(Instant.parse("2026-11-22T09:00:00Z"));
    assertThat(recorded.get(1).to()).hasValue(Instant.parse("2026-11-22T11:00:00Z"));
  }

  @Test
  void theTimelineOfAUserHasItsEventsAndThoseOfItsAddressesAndSessionsInTimeOrder()
      throws Exception {
    store(
        event("10:02:00", "alice", ",\"session\":{\"id\":\"s1\"}"),
        event("10:00:00", "alice", ",\"source\":{\"ip\":\"10.0.0.1\"}"),
        event("10:05:00", "bob", ",\"source\":{\"ip\":\"10.0.0.1\"}"),
        event("10:10:00", "carol", ",\"session\":{\"id\":\"s1\"}"),
        event("10:03:00", "mallory", ",\"sudo\":{\"run_as\":\"alice\"}"),
        event("10:04:00", "dave", ",\"source\":{\"ip\":\"10.9.9.9\"}"),
        event("13:00:00", "alice", ",\"source\":{\"ip\":\"10.0.0.1\"}"),
        event("10:05:00", "erin", ",\"source\":{\"ip\":\"10.0.0.1\"}"));
    server.indexer().orElseThrow().awaitPosition(8, Duration.ofSeconds(60));
    server.indexer().orElseThrow().index().refresh();
    HttpResponse<String> r =
        get(
            viewer,
            "/api/v1/timeline?entity=user.name:alice&around=2026-11-22T10:00:00Z&window=1h");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = ServerTest.json(r);
    List<String> lines = new ArrayList<>();
    for (JsonNode e : body.get("events")) {
      lines.add(
          e.get("@timestamp").asText().substring(11, 16)
              + " "
              + e.get("event").get("user").get("name").asText()
              + " "
              + e.get("reasons"));
    }
    assertThat(lines)
        .containsExactly(
            "10:00 alice [\"actor\"]",
            "10:02 alice [\"actor\"]",
            "10:03 mallory [\"target\"]",
            "10:05 bob [\"same_ip:10.0.0.1\"]",
            "10:05 erin [\"same_ip:10.0.0.1\"]",
            "10:10 carol [\"same_session:s1\"]");
    assertThat(body.get("total").asLong()).isEqualTo(6);
    assertThat(body.get("truncated").asBoolean()).isFalse();
    assertThat(body.get("followed").get("source_ips").get(0).asText()).isEqualTo("10.0.0.1");
    assertThat(body.get("followed").get("sessions").get(0).asText()).isEqualTo("s1");
    assertThat(body.get("index").get("position").asLong()).isEqualTo(8);
    JsonNode first = body.get("events").get(0);
    assertThat(r.body())
        .contains(
            "\"event\":"
                + new String(payload(first.get("seq").asLong()), StandardCharsets.UTF_8)
                + "}");

    JsonNode limited =
        ServerTest.json(
            get(
                viewer,
                "/api/v1/timeline?entity=source.ip:10.0.0.1&around=2026-11-22T10:00:00Z"
                    + "&window=4h&limit=2"));
    assertThat(limited.get("events")).hasSize(2); // alice, bob, erin and alice again from there
    assertThat(limited.get("total").asLong()).isEqualTo(4);
    assertThat(limited.get("truncated").asBoolean()).isTrue();
  }
}
