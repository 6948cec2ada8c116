package dev.trailwatch.app.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.trailwatch.event.Rfc3339;
import dev.trailwatch.event.SystemEntry;
import dev.trailwatch.search.query.QueryException;
import dev.trailwatch.search.query.Table;
import dev.trailwatch.search.query.Value;
import dev.trailwatch.search.service.Export;
import dev.trailwatch.search.service.ExportFormat;
import dev.trailwatch.search.service.InvalidCursorException;
import dev.trailwatch.search.service.SearchRequest;
import dev.trailwatch.search.service.SearchResult;
import dev.trailwatch.search.service.SearchService;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/search} and {@code GET /api/v1/export} (docs/API.md), for tokens of role
 * {@code viewer} and above. Each search is recorded in the ledger before it is answered, and each
 * export once it ends, however it ends ({@link AccessRecorder}). A query, range, limit, cursor or
 * format that cannot be used is a 400 with what is wrong and, for queries, where. Thread-safe.
 */
final class SearchRoutes {
  private static final System.Logger LOG = System.getLogger(SearchRoutes.class.getName());

  private final Tokens tokens;
  private final Supplier<Optional<SearchService>> search;
  private final Supplier<AccessRecorder> recorder;

  /**
   * @param search the search service, empty while the server starts or when the index could not be
   *     opened
   * @param recorder where reads are recorded (null while the server starts)
   */
  SearchRoutes(
      Tokens tokens, Supplier<Optional<SearchService>> search, Supplier<AccessRecorder> recorder) {
    this.tokens = tokens;
    this.search = search;
    this.recorder = recorder;
  }

  void routes(HttpRouting.Builder r) {
    r.get("/api/v1/search", this::search).get("/api/v1/export", this::export);
  }

  private void search(ServerRequest req, ServerResponse res) throws Exception {
    Optional<Tokens.Entry> caller = HttpApi.caller(tokens, req, res, Role.VIEWER);
    if (caller.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    Optional<SearchService> service = available(res);
    if (service.isEmpty()) {
      return;
    }
    String q = param(req, "q").orElse("");
    int limit;
    try {
      limit =
          Integer.parseInt(
              param(req, "limit").orElse(Integer.toString(SearchService.DEFAULT_LIMIT)));
      if (limit < 0 || limit > SearchService.MAX_LIMIT) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      HttpApi.error(
          res,
          400,
          "limit: expected a whole number from 0 to "
              + SearchService.MAX_LIMIT
              + ", not '"
              + param(req, "limit").orElse("")
              + "'");
      return;
    }
    SearchResult result;
    try {
      result =
          service
              .get()
              .search(
                  new SearchRequest(
                      q, param(req, "from"), param(req, "to"), limit, param(req, "cursor")));
    } catch (QueryException e) {
      queryError(res, e);
      return;
    } catch (InvalidCursorException e) {
      HttpApi.error(res, 400, e.getMessage());
      return;
    }
    SystemEntry entry =
        SystemEntry.search(
            caller.get().actor(),
            recorder.get().now(),
            q,
            result.range().from(),
            result.range().to(),
            result.total());
    if (!recorded(res, entry)) {
      return;
    }
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(answer(result, (System.nanoTime() - started) / 1_000_000));
  }

  private void export(ServerRequest req, ServerResponse res) throws Exception {
    Optional<Tokens.Entry> caller = HttpApi.caller(tokens, req, res, Role.VIEWER);
    if (caller.isEmpty()) {
      return;
    }
    Optional<SearchService> service = available(res);
    if (service.isEmpty()) {
      return;
    }
    String formatName = param(req, "format").orElse("ndjson");
    Optional<ExportFormat> format = ExportFormat.of(formatName);
    if (format.isEmpty()) {
      HttpApi.error(res, 400, "format: expected ndjson or csv, not '" + formatName + "'");
      return;
    }
    String q = param(req, "q").orElse("");
    Export export;
    try {
      export = service.get().export(q, param(req, "from"), param(req, "to"), format.get());
    } catch (QueryException e) {
      queryError(res, e);
      return;
    }
    res.header(HeaderNames.CONTENT_TYPE, format.get().contentType());
    res.header(
        HeaderNames.CONTENT_DISPOSITION,
        "attachment; filename=\"trailwatch-export." + format.get().id() + "\"");
    ClientStream out = new ClientStream(res.outputStream());
    try {
      export.writeTo(out);
      out.close();
    } catch (IOException | RuntimeException e) {
      if (!out.failed) {
        // The index or the ledger failed, not the client: end the response without its last
        // chunk, so that the client sees a broken transfer, never a complete-looking short file.
        LOG.log(Level.ERROR, "export by " + caller.get().actor() + " failed: " + e, e);
        throw e;
      }
      LOG.log(
          Level.INFO,
          "export by {0} stopped after {1} results: the client went away ({2})",
          caller.get().actor(),
          export.sent(),
          e.toString());
    } finally {
      SystemEntry entry =
          SystemEntry.export(
              caller.get().actor(),
              recorder.get().now(),
              q,
              export.range().from(),
              export.range().to(),
              format.get().id(),
              export.sent(),
              export.complete());
      try {
        recorder.get().record(entry);
      } catch (IOException e) {
        LOG.log(Level.ERROR, "the export could not be recorded in the ledger: " + e, e);
      }
    }
  }

  /** The response stream, remembering whether writing to the client failed. */
  private static final class ClientStream extends FilterOutputStream {
    boolean failed;

    ClientStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException | RuntimeException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException | RuntimeException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      try {
        out.close();
      } catch (IOException | RuntimeException e) {
        failed = true;
        throw e;
      }
    }
  }

  /** The search service, or a 503 saying why there is none. */
  private Optional<SearchService> available(ServerResponse res) {
    Optional<SearchService> s = search.get();
    if (s.isEmpty() || recorder.get() == null) {
      res.header(HeaderNames.RETRY_AFTER, "5");
      HttpApi.error(
          res,
          503,
          "search is not available: the server is starting, or the search index could not be"
              + " opened (/readyz says which)");
    }
    return s.isEmpty() || recorder.get() == null ? Optional.empty() : s;
  }

  /** Records a search; answers 503 and returns false when the ledger cannot store the record. */
  private boolean recorded(ServerResponse res, SystemEntry entry) throws InterruptedException {
    return recorder.get().recordOrRefuse(entry, res, "the search");
  }

  private static Optional<String> param(ServerRequest req, String name) {
    return req.query().first(name).asOptional();
  }

  /** 400 with the position: {@code parameter} is {@code q}, {@code from} or {@code to}. */
  private static void queryError(ServerResponse res, QueryException e) {
    String parameter =
        e.problem().startsWith("from: ") ? "from" : e.problem().startsWith("to: ") ? "to" : "q";
    HttpApi.json(
        res,
        400,
        HttpApi.error(e.getMessage())
            .put("parameter", parameter)
            .put("line", e.line())
            .put("column", e.column())
            .put("problem", e.problem()));
  }

  /** The answer's JSON, with each hit's stored event as it is in the ledger. */
  static byte[] answer(SearchResult r, long tookMillis) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096 + r.hits().size() * 600);
    try (JsonGenerator g = HttpApi.JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("total", r.total());
      g.writeArrayFieldStart("hits");
      for (SearchResult.Hit hit : r.hits()) {
        g.writeStartObject();
        g.writeNumberField("seq", hit.seq());
        g.writeFieldName("event");
        g.writeRawValue(new String(hit.event(), StandardCharsets.UTF_8));
        g.writeEndObject();
      }
      g.writeEndArray();
      if (!r.fields().isEmpty()) {
        g.writeArrayFieldStart("fields");
        for (String f : r.fields()) {
          g.writeString(f);
        }
        g.writeEndArray();
      }
      if (r.next().isPresent()) {
        g.writeStringField("next", r.next().get());
      } else {
        g.writeNullField("next");
      }
      if (r.table().isPresent()) {
        g.writeFieldName("table");
        table(g, r.table().get());
      }
      g.writeStringField("from", Rfc3339.format(r.range().from()));
      g.writeStringField("to", Rfc3339.format(r.range().to()));
      g.writeNumberField("took_ms", tookMillis);
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void table(JsonGenerator g, Table t) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("columns");
    for (String c : t.columns()) {
      g.writeString(c);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("rows");
    for (List<Value> row : t.rows()) {
      g.writeStartArray();
      for (Value v : row) {
        switch (v) {
          case Value.Int i -> g.writeNumber(i.value());
          case Value.Absent a -> g.writeNull();
          default -> g.writeString(v.toString());
        }
      }
      g.writeEndArray();
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
