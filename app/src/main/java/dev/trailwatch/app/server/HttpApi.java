package dev.trailwatch.app.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailwatch.ingest.http.BatchDecoder;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The HTTP API's routes: health, readiness, the OpenAPI description, event ingest, search and
 * export ({@link SearchRoutes}), and the reads of {@link ReadRoutes}.
 */
final class HttpApi {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Tokens tokens;
  private final Supplier<IngestService> ingest;
  private final Supplier<Readiness> readiness;
  private final Supplier<String> metrics;
  private final ReadRoutes reads;
  private final SearchRoutes search;
  private final byte[] openApi;

  /** What {@code /readyz} says. */
  record Readiness(boolean ready, String status, ObjectNode detail) {}

  HttpApi(
      Tokens tokens,
      Supplier<IngestService> ingest,
      Supplier<Readiness> readiness,
      Supplier<String> metrics,
      Supplier<EventReads> reads,
      Supplier<AccessRecorder> recorder,
      SearchRoutes search) {
    this.metrics = metrics;
    this.reads = new ReadRoutes(tokens, reads, recorder);
    this.search = search;
    this.tokens = tokens;
    this.ingest = ingest;
    this.readiness = readiness;
    try (InputStream in = HttpApi.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the jar");
      }
      this.openApi = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void routes(HttpRouting.Builder r) {
    search.routes(r);
    r.get("/healthz", (req, res) -> json(res, 200, JSON.createObjectNode().put("status", "ok")))
        .get("/readyz", this::readyz)
        .get(
            "/metrics",
            (req, res) -> {
              res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
              res.send(metrics.get().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            })
        .get(
            "/api/v1/openapi.json",
            (req, res) -> {
              res.header(HeaderNames.CONTENT_TYPE, "application/json");
              res.send(openApi);
            })
        .post("/api/v1/events", this::postEvents)
        .any(
            "/api/v1/events",
            (req, res) -> {
              res.header(HeaderNames.ALLOW, "POST");
              error(res, 405, "use POST to send events");
            });
    reads.routes(r);
    r.any(
        (req, res) ->
            error(
                res,
                404,
                "no such endpoint: "
                    + req.prologue().method().text()
                    + " "
                    + req.path().path()
                    + " (see /api/v1/openapi.json)"));
  }

  private void readyz(ServerRequest req, ServerResponse res) {
    Readiness r = readiness.get();
    ObjectNode body = JSON.createObjectNode().put("status", r.status());
    body.set("detail", r.detail());
    if (!r.ready()) {
      res.header(HeaderNames.RETRY_AFTER, "2");
    }
    json(res, r.ready() ? 200 : 503, body);
  }

  private void postEvents(ServerRequest req, ServerResponse res) throws Exception {
    if (!authorize(req, res, Role.INGEST)) {
      return;
    }
    String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null);
    Optional<BatchDecoder.Framing> framing = BatchDecoder.Framing.ofContentType(contentType);
    if (framing.isEmpty()) {
      error(
          res,
          415,
          (contentType == null
                  ? "no Content-Type"
                  : "Content-Type '" + contentType + "' is not accepted")
              + "; send application/json (an array of events) or application/x-ndjson (one event"
              + " per line)");
      return;
    }
    String encoding =
        req.headers()
            .first(HeaderNames.CONTENT_ENCODING)
            .orElse("identity")
            .strip()
            .toLowerCase(Locale.ROOT);
    boolean gzip;
    switch (encoding) {
      case "gzip", "x-gzip" -> gzip = true;
      case "identity", "" -> gzip = false;
      default -> {
        error(res, 415, "Content-Encoding '" + encoding + "' is not accepted; use gzip or none");
        return;
      }
    }
    boolean strict =
        req.query()
            .first("strict")
            .map(v -> v.equalsIgnoreCase("true") || v.equals("1"))
            .orElse(false);
    IngestService service = ingest.get();
    if (service == null) {
      res.header(HeaderNames.RETRY_AFTER, "2");
      error(res, 503, "the server is starting (recovering the ledger); retry");
      return;
    }
    IngestService.Outcome outcome;
    try (InputStream body = req.content().inputStream()) {
      outcome = service.ingest(body, framing.get(), gzip, strict);
    }
    switch (outcome) {
      case IngestService.Outcome.Stored s -> json(res, 200, stored(s));
      case IngestService.Outcome.Invalid i -> {
        ObjectNode body =
            error(
                i.rejected().size()
                    + " event(s) are not valid and strict=true was asked: nothing was stored");
        body.set("rejected", rejected(i.rejected()));
        json(res, 422, body);
      }
      case IngestService.Outcome.Refused f -> error(res, f.status(), f.message());
      case IngestService.Outcome.Unavailable u -> {
        res.header(HeaderNames.RETRY_AFTER, Integer.toString(u.retryAfterSeconds()));
        error(res, 503, u.message());
      }
    }
  }

  private static ObjectNode stored(IngestService.Outcome.Stored s) {
    ObjectNode body = JSON.createObjectNode();
    long stored = s.accepted() + s.unparsed();
    body.put("stored", stored);
    body.put("accepted", s.accepted());
    body.put("unparsed", s.unparsed());
    body.put("duplicates", s.duplicates().size());
    body.put("dropped", s.dropped());
    if (s.range().isPresent()) {
      body.put("first_seq", s.range().get().firstSeq());
      body.put("last_seq", s.range().get().firstSeq() + s.range().get().count() - 1);
    } else {
      body.putNull("first_seq");
      body.putNull("last_seq");
    }
    body.set("rejected", rejected(s.rejected()));
    ArrayNode dups = body.putArray("duplicate_ids");
    for (IngestService.Duplicate d : s.duplicates()) {
      ObjectNode o = dups.addObject().put("position", d.position()).put("event_id", d.eventId());
      if (d.seq() >= 0) {
        o.put("seq", d.seq());
      } else {
        o.putNull("seq");
      }
    }
    return body;
  }

  private static ArrayNode rejected(java.util.List<IngestService.Rejected> list) {
    ArrayNode a = JSON.createArrayNode();
    for (IngestService.Rejected r : list) {
      ObjectNode o = a.addObject().put("position", r.position()).put("reason", r.reason());
      if (r.seq() >= 0) {
        o.put("seq", r.seq());
      }
    }
    return a;
  }

  /** Checks the bearer token; answers 401 or 403 and returns false when it does not allow this. */
  private boolean authorize(ServerRequest req, ServerResponse res, Role needed) {
    return caller(tokens, req, res, needed).isPresent();
  }

  /**
   * Who calls, if the bearer token allows {@code needed}; otherwise answers 401 or 403 and returns
   * empty.
   */
  static Optional<Tokens.Entry> caller(
      Tokens tokens, ServerRequest req, ServerResponse res, Role needed) {
    Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
    String token = null;
    if (header.isPresent() && header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = header.get().substring(7).strip();
    }
    Optional<Tokens.Entry> caller = tokens.identify(token);
    Optional<Role> role = caller.flatMap(Tokens.Entry::roleValue);
    if (role.isEmpty()) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"trailwatch\"");
      error(
          res,
          401,
          header.isEmpty()
              ? "no token: send 'Authorization: Bearer <token>'"
              : "the token is not valid (unknown, revoked or malformed)");
      return Optional.empty();
    }
    if (!role.get().allows(needed)) {
      error(
          res,
          403,
          "a token of role '"
              + role.get().id()
              + "' may not do this; it needs role '"
              + needed.id()
              + "' or "
              + (needed == Role.INGEST ? "'admin'" : "above"));
      return Optional.empty();
    }
    return caller;
  }

  static ObjectNode error(String message) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", message);
    return body;
  }

  static void error(ServerResponse res, int status, String message) {
    json(res, status, error(message));
  }

  static void json(ServerResponse res, int status, ObjectNode body) {
    res.status(Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    try {
      res.send(JSON.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
