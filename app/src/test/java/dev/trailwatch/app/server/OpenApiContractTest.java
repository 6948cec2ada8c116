package dev.trailwatch.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps /api/v1/openapi.json true: a probe for every documented operation and status, sent to a
 * real server. Each answer must have a documented status and a body that matches the documented
 * schema; every documented status must be produced by some probe; every probed route must be
 * documented.
 */
class OpenApiContractTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  Server server;
  Server full; // a server whose disk is "full" (storage.min_free_bytes above any disk)
  JsonNode spec;
  String admin;
  String viewer;
  String ingester;
  final HttpClient http = HttpClient.newHttpClient();

  record Probe(
      Server target, String method, String path, Map<String, String> headers, String body) {}

  @BeforeEach
  void start() throws Exception {
    // Checkpoints only when asked: entry 0 is covered by one, entry 1 not (409 with proof=true).
    server =
        Server.start(
            dir.resolve("a"),
            ServerTest.config(),
            Map.of(),
            lc -> lc.withCheckpointInterval(Duration.ofHours(1)));
    byte[] stored = ServerTest.canonicalEvent("a", null).getBytes(StandardCharsets.UTF_8);
    server.ledger().append(List.of(stored));
    server.ledger().checkpoint();
    server.ledger().append(List.of(stored));
    ServerConfig c = ServerTest.config();
    full =
        Server.start(
            dir.resolve("b"),
            new ServerConfig(
                c.http(),
                c.syslog(),
                new ServerConfig.Storage(Long.MAX_VALUE),
                null,
                null,
                null,
                null),
            Map.of("TRAILWATCH_ADMIN_TOKEN", "tw_fulldiskadmintoken0123456789"));
    admin = Files.readString(dir.resolve("a/admin.token")).strip();
    viewer = server.tokens().create(Role.VIEWER, "v", null, new SecureRandom()).token();
    ingester = server.tokens().create(Role.INGEST, "i", null, new SecureRandom()).token();
    HttpResponse<String> r = send(new Probe(server, "GET", "/api/v1/openapi.json", Map.of(), null));
    assertThat(r.statusCode()).isEqualTo(200);
    spec = JSON.readTree(r.body());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    full.close();
  }

  List<Probe> probes() {
    String ev =
        "{\"@timestamp\":\"2026-11-22T10:00:00Z\",\"event\":{\"action\":\"login\",\"outcome\":"
            + "\"success\"},\"user\":{\"name\":\"a\"}}";
    Map<String, String> json =
        Map.of("Authorization", "Bearer " + admin, "Content-Type", "application/json");
    Map<String, String> nd =
        Map.of("Authorization", "Bearer " + admin, "Content-Type", "application/x-ndjson");
    List<Probe> p = new ArrayList<>();
    p.add(new Probe(server, "GET", "/healthz", Map.of(), null));
    p.add(new Probe(server, "GET", "/readyz", Map.of(), null));
    p.add(new Probe(full, "GET", "/readyz", Map.of(), null));
    p.add(new Probe(server, "GET", "/metrics", Map.of(), null));
    p.add(new Probe(server, "GET", "/api/v1/openapi.json", Map.of(), null));
    p.add(new Probe(server, "POST", "/api/v1/events", json, "[" + ev + ",{\"x\":1}]"));
    p.add(new Probe(server, "POST", "/api/v1/events", nd, "not json"));
    p.add(
        new Probe(
            server, "POST", "/api/v1/events", Map.of("Content-Type", "application/json"), "[]"));
    p.add(
        new Probe(
            server,
            "POST",
            "/api/v1/events",
            Map.of("Authorization", "Bearer " + viewer, "Content-Type", "application/json"),
            "[]"));
    p.add(
        new Probe(
            server,
            "POST",
            "/api/v1/events",
            json,
            "[" + ev + ",\"" + "x".repeat(1 << 20) + "\"]"));
    p.add(
        new Probe(
            server,
            "POST",
            "/api/v1/events",
            Map.of("Authorization", "Bearer " + admin, "Content-Type", "text/plain"),
            ev));
    p.add(new Probe(server, "POST", "/api/v1/events?strict=true", json, "[{\"x\":1}]"));
    p.add(
        new Probe(
            full,
            "POST",
            "/api/v1/events",
            Map.of(
                "Authorization", "Bearer tw_fulldiskadmintoken0123456789",
                "Content-Type", "application/json"),
            "[" + ev + "]"));
    p.add(new Probe(server, "GET", "/api/v1/events", Map.of(), null));
    Map<String, String> asViewer = Map.of("Authorization", "Bearer " + viewer);
    p.add(new Probe(server, "GET", "/api/v1/events/0", asViewer, null));
    p.add(new Probe(server, "GET", "/api/v1/events/0?proof=true", asViewer, null));
    p.add(new Probe(server, "GET", "/api/v1/events/1?proof=true", asViewer, null));
    p.add(new Probe(server, "GET", "/api/v1/events/99", asViewer, null));
    p.add(new Probe(server, "GET", "/api/v1/events/x", asViewer, null));
    p.add(new Probe(server, "GET", "/api/v1/events/0", Map.of(), null));
    p.add(
        new Probe(
            server,
            "GET",
            "/api/v1/events/0",
            Map.of("Authorization", "Bearer " + ingester),
            null));
    String timeline = "/api/v1/timeline?entity=user.name:a&around=2026-11-22T10:00:00Z";
    p.add(new Probe(server, "GET", timeline, asViewer, null));
    p.add(new Probe(server, "GET", timeline + "&window=8d", asViewer, null));
    p.add(new Probe(server, "GET", timeline, Map.of(), null));
    p.add(new Probe(server, "GET", timeline, Map.of("Authorization", "Bearer " + ingester), null));
    Map<String, String> view = Map.of("Authorization", "Bearer " + viewer);
    Map<String, String> ingest = Map.of("Authorization", "Bearer " + ingester);
    for (String op : List.of("/api/v1/search", "/api/v1/export")) {
      p.add(new Probe(server, "GET", op + "?q=user.name:a&from=2026-11-01T00:00:00Z", view, null));
      p.add(new Probe(server, "GET", op + "?q=user.name:", view, null));
      p.add(new Probe(server, "GET", op, Map.of(), null));
      p.add(new Probe(server, "GET", op, ingest, null));
    }
    p.add(
        new Probe(
            server,
            "GET",
            "/api/v1/search?q=%7C%20stats%20count()%20by%20user.name&from=now-30d",
            view,
            null));
    p.add(new Probe(server, "GET", "/api/v1/search?cursor=nope", view, null));
    p.add(new Probe(server, "GET", "/api/v1/export?format=xml", view, null));
    return p;
  }

  HttpResponse<String> send(Probe p) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.target().httpPort() + p.path()))
            .method(
                p.method(),
                p.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(p.body(), StandardCharsets.UTF_8));
    p.headers().forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyAnswerIsDocumentedAndEveryDocumentedStatusHappens() throws Exception {
    Set<String> documented = new TreeSet<>();
    spec.get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op ->
                            op.getValue()
                                .get("responses")
                                .fieldNames()
                                .forEachRemaining(
                                    status ->
                                        documented.add(
                                            op.getKey().toUpperCase(Locale.ROOT)
                                                + " "
                                                + path.getKey()
                                                + " "
                                                + status))));
    Set<String> seen = new TreeSet<>();
    for (Probe p : probes()) {
      HttpResponse<String> r = send(p);
      String path =
          documentedPath(
              p.path().contains("?") ? p.path().substring(0, p.path().indexOf('?')) : p.path());
      String key = p.method() + " " + path + " " + r.statusCode();
      assertThat(documented).as("documented: " + key + " (" + r.body() + ")").contains(key);
      seen.add(key);
      JsonNode response =
          spec.get("paths")
              .get(path)
              .get(p.method().toLowerCase(Locale.ROOT))
              .get("responses")
              .get(Integer.toString(r.statusCode()));
      JsonNode content = response.get("content");
      String type = r.headers().firstValue("Content-Type").orElse("");
      if (content != null && content.has("application/json")) {
        assertThat(type).as(key).startsWith("application/json");
        List<String> problems = new ArrayList<>();
        validate(
            JSON.readTree(r.body()), content.get("application/json").get("schema"), "$", problems);
        assertThat(problems).as(key + ": " + r.body()).isEmpty();
      } else if (content != null && content.has("text/plain")) {
        assertThat(type).as(key).startsWith("text/plain");
      }
      if (response.has("headers")) {
        response
            .get("headers")
            .fieldNames()
            .forEachRemaining(
                h -> assertThat(r.headers().firstValue(h)).as(key + " header " + h).isPresent());
      }
    }
    assertThat(seen).as("every documented status is produced by a probe").isEqualTo(documented);
  }

  /**
   * The documented path that {@code path} is an instance of ({@code {name}} stands for a segment).
   */
  String documentedPath(String path) {
    Iterator<String> paths = spec.get("paths").fieldNames();
    while (paths.hasNext()) {
      String documented = paths.next();
      if (path.matches(documented.replaceAll("\\{[^/]+}", "[^/]+"))) {
        return documented;
      }
    }
    return path;
  }

  /** A JSON Schema subset: type, enum, required, properties, items, oneOf, $ref. */
  void validate(JsonNode value, JsonNode schema, String at, List<String> problems) {
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asText(); // "#/components/schemas/X"
      JsonNode target = spec;
      for (String part : ref.substring(2).split("/")) {
        target = target.get(part);
      }
      validate(value, target, at, problems);
      return;
    }
    if (schema.has("oneOf")) {
      int matches = 0;
      for (JsonNode alt : schema.get("oneOf")) {
        List<String> p = new ArrayList<>();
        validate(value, alt, at, p);
        matches += p.isEmpty() ? 1 : 0;
      }
      if (matches != 1) {
        problems.add(at + ": matches " + matches + " of oneOf");
      }
      return;
    }
    if (schema.has("enum")) {
      boolean any = false;
      for (JsonNode e : schema.get("enum")) {
        any |= e.equals(value);
      }
      if (!any) {
        problems.add(at + ": " + value + " not in " + schema.get("enum"));
      }
    }
    if (schema.has("type")) {
      List<String> types = new ArrayList<>();
      if (schema.get("type").isArray()) {
        schema.get("type").forEach(t -> types.add(t.asText()));
      } else {
        types.add(schema.get("type").asText());
      }
      if (types.stream().noneMatch(t -> hasType(value, t))) {
        problems.add(at + ": " + value.getNodeType() + " is not " + types);
        return;
      }
    }
    if (value.isObject()) {
      if (schema.has("required")) {
        for (JsonNode req : schema.get("required")) {
          if (!value.has(req.asText())) {
            problems.add(at + ": missing " + req.asText());
          }
        }
      }
      if (schema.has("properties")) {
        Iterator<Map.Entry<String, JsonNode>> it = schema.get("properties").properties().iterator();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> prop = it.next();
          if (value.has(prop.getKey())) {
            validate(value.get(prop.getKey()), prop.getValue(), at + "." + prop.getKey(), problems);
          }
        }
        if (schema.has("additionalProperties")
            && schema.get("additionalProperties").isBoolean()
            && !schema.get("additionalProperties").asBoolean()) {
          value
              .fieldNames()
              .forEachRemaining(
                  f -> {
                    if (!schema.get("properties").has(f)) {
                      problems.add(at + ": undocumented property " + f);
                    }
                  });
        }
      }
    }
    if (value.isArray() && schema.has("items")) {
      int i = 0;
      for (JsonNode item : value) {
        validate(item, schema.get("items"), at + "[" + i++ + "]", problems);
      }
    }
  }

  static boolean hasType(JsonNode v, String type) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "null" -> v.isNull();
      default -> false;
    };
  }
}
