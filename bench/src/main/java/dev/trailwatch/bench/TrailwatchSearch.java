package dev.trailwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.ledger.LedgerReader;
import dev.trailwatch.search.index.IndexFields;
import dev.trailwatch.search.index.SearchIndex;
import dev.trailwatch.search.query.Hits;
import dev.trailwatch.search.query.LuceneQueries;
import dev.trailwatch.search.query.ParsedQuery;
import dev.trailwatch.search.query.PipelineExecutor;
import dev.trailwatch.search.query.QueryParser;
import dev.trailwatch.search.query.Table;
import dev.trailwatch.search.query.Value;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedNumericSortField;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.FSDirectory;

/**
 * The Trailwatch side of {@link SearchVsPostgres}, one of two ways: over HTTP against a running
 * {@code trailwatch serve}, as users get it, or in this JVM on the index and ledger of a data
 * directory (while the search API does not exist yet). Both answer the newest {@link #LIMIT} hits
 * with their events read from the ledger, and an exact total.
 */
sealed interface TrailwatchSearch extends AutoCloseable {
  int LIMIT = 100;

  /** The mode's name in the report. */
  String mode();

  Answer search(Probe probe) throws Exception;

  @Override
  void close() throws IOException;

  /**
   * {@code GET /api/v1/search?q=...&from=...&to=...&limit=100} with a bearer token; the answer is
   * {@code {"total":N,"hits":[{"seq":S,"event":{...}}],"next":...,"table":{"columns":[...],
   * "rows":[[...]]},"took_ms":T}}.
   */
  final class Http implements TrailwatchSearch {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;
    private final String token;

    Http(int port, String token) {
      this.base = "http://127.0.0.1:" + port + "/api/v1/search";
      this.token = token;
    }

    @Override
    public String mode() {
      return "http";
    }

    /** The status of a search for everything in the last minute: 404 when there is no API. */
    int probeStatus() throws IOException, InterruptedException {
      return client
          .send(request("*", "now-1m", "now"), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }

    @Override
    public Answer search(Probe probe) throws IOException, InterruptedException {
      HttpResponse<byte[]> r =
          client.send(
              request(
                  probe.query(), probe.range().from().toString(), probe.range().to().toString()),
              HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IOException(
            "GET /api/v1/search?q="
                + probe.query()
                + " answered "
                + r.statusCode()
                + ": "
                + new String(r.body(), StandardCharsets.UTF_8));
      }
      return parse(JSON.readTree(r.body()));
    }

    /** The answer of the search API, in the form of {@link Answer}. */
    static Answer parse(JsonNode body) {
      JsonNode table = body.path("table");
      if (table.isObject()) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : table.path("rows")) {
          List<String> cells = new ArrayList<>();
          row.forEach(cell -> cells.add(cell.isNull() ? null : cell.asText()));
          rows.add(cells);
        }
        return Answer.table(rows);
      }
      List<Long> seqs = new ArrayList<>();
      for (JsonNode hit : body.path("hits")) {
        seqs.add(hit.path("seq").asLong());
      }
      return Answer.hits(body.path("total").asLong(), seqs);
    }

    private HttpRequest request(String query, String from, String to) {
      String uri =
          base
              + "?q="
              + URLEncoder.encode(query, StandardCharsets.UTF_8)
              + "&from="
              + URLEncoder.encode(from, StandardCharsets.UTF_8)
              + "&to="
              + URLEncoder.encode(to, StandardCharsets.UTF_8)
              + "&limit="
              + LIMIT;
      return HttpRequest.newBuilder(URI.create(uri))
          .header("Authorization", "Bearer " + token)
          .GET()
          .build();
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /**
   * The same work in this JVM, with the search module's classes: {@link QueryParser}, then for a
   * filter {@link LuceneQueries} and Lucene's top-N by {@code @timestamp} then {@code _seq}, both
   * descending, with an exact total; for a pipeline {@link PipelineExecutor}. No HTTP, no JSON: a
   * floor for what the API can do. With {@code fetchEvents}, each hit's event is also read from the
   * ledger ({@link LedgerReader#read}) and decoded, as the API must to answer it; without, only the
   * index is asked.
   */
  final class InProcess implements TrailwatchSearch {
    private static final Sort NEWEST_FIRST =
        new Sort(
            new SortedNumericSortField(IndexFields.TIMESTAMP, SortField.Type.LONG, true),
            new SortedNumericSortField(IndexFields.SEQ, SortField.Type.LONG, true));

    private final FSDirectory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final LedgerReader ledger;
    private final boolean fetchEvents;

    InProcess(Path data, boolean fetchEvents) throws IOException {
      this.directory = FSDirectory.open(SearchIndex.path(data));
      this.reader = DirectoryReader.open(directory);
      this.searcher = new IndexSearcher(reader);
      this.ledger = LedgerReader.open(data);
      this.fetchEvents = fetchEvents;
    }

    @Override
    public String mode() {
      return fetchEvents ? "inprocess, events read from the ledger" : "inprocess, index only";
    }

    @Override
    public Answer search(Probe probe) throws Exception {
      ParsedQuery parsed = QueryParser.parse(probe.query());
      if (!parsed.stages().isEmpty()) {
        return switch (new PipelineExecutor(searcher).execute(parsed, probe.range())) {
          case Table t -> Answer.table(rows(t));
          case Hits h -> throw new IllegalArgumentException("not a table: " + probe.query());
        };
      }
      TopFieldDocs top =
          searcher.search(
              LuceneQueries.of(parsed.filter(), probe.range()),
              new TopFieldCollectorManager(NEWEST_FIRST, LIMIT, null, Integer.MAX_VALUE));
      List<Long> seqs = new ArrayList<>(top.scoreDocs.length);
      var stored = searcher.storedFields();
      for (ScoreDoc d : top.scoreDocs) {
        long seq = stored.document(d.doc).getField(IndexFields.SEQ).numericValue().longValue();
        if (fetchEvents) {
          byte[] payload =
              ledger
                  .read(seq)
                  .orElseThrow(() -> new IOException("entry " + seq + " is not in the ledger"))
                  .payload();
          EventJson.decodeCanonical(payload);
        }
        seqs.add(seq);
      }
      return Answer.hits(top.totalHits.value(), seqs);
    }

    private static List<List<String>> rows(Table t) {
      List<List<String>> rows = new ArrayList<>();
      for (List<Value> row : t.rows()) {
        rows.add(row.stream().map(Value::toString).toList());
      }
      return rows;
    }

    @Override
    public void close() throws IOException {
      try (directory;
          reader;
          ledger) {
        // closed in reverse order
      }
    }
  }
}
