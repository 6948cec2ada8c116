package dev.trailwatch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailwatch.event.Rfc3339;
import dev.trailwatch.search.query.QueryException;
import dev.trailwatch.search.query.Table;
import dev.trailwatch.search.query.TimeRange;
import dev.trailwatch.search.query.Value;
import dev.trailwatch.search.service.SearchRequest;
import dev.trailwatch.search.service.SearchResult;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code trailwatch search --server URL}: the same search through {@code GET /api/v1/search} of a
 * running server, answered as a {@link SearchResult} so that the command prints it as it prints a
 * local one. The server records each search (who: the token's name). Not thread-safe.
 */
final class RemoteSearch {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI server;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  RemoteSearch(URI server, String token) {
    this.server = server;
    this.token = token;
  }

  SearchResult search(SearchRequest request) throws QueryException, IOException {
    StringBuilder uri = new StringBuilder(server.toString().replaceAll("/+$", ""));
    uri.append("/api/v1/search?q=").append(encode(request.query()));
    uri.append("&limit=").append(request.limit());
    request.from().ifPresent(f -> uri.append("&from=").append(encode(f)));
    request.to().ifPresent(t -> uri.append("&to=").append(encode(t)));
    request.cursor().ifPresent(c -> uri.append("&cursor=").append(encode(c)));
    HttpResponse<byte[]> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(URI.create(uri.toString()))
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofMinutes(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + server, e);
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("cannot reach the server at " + server + ": " + e.getMessage());
    }
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UserError(
          server
              + " answered "
              + r.statusCode()
              + " with something that is not JSON: is it a"
              + " Trailwatch server?");
    }
    if (r.statusCode() == 400 && body.has("line") && body.has("column")) {
      throw new QueryException(
          body.get("line").asInt(), body.get("column").asInt(), body.get("problem").asText());
    }
    if (r.statusCode() != 200) {
      throw new UserError(
          "the server answered "
              + r.statusCode()
              + ": "
              + body.path("error").asText("(no reason)"));
    }
    return result(body);
  }

  private static SearchResult result(JsonNode body) {
    List<SearchResult.Hit> hits = new ArrayList<>();
    for (JsonNode h : body.get("hits")) {
      // The server sends each stored entry as it is; Jackson writes canonical JSON back alike.
      hits.add(
          new SearchResult.Hit(
              h.get("seq").asLong(), h.get("event").toString().getBytes(StandardCharsets.UTF_8)));
    }
    List<String> fields = new ArrayList<>();
    body.path("fields").forEach(f -> fields.add(f.asText()));
    Optional<Table> table = Optional.empty();
    if (body.hasNonNull("table")) {
      JsonNode t = body.get("table");
      List<String> columns = new ArrayList<>();
      t.get("columns").forEach(c -> columns.add(c.asText()));
      List<List<Value>> rows = new ArrayList<>();
      for (JsonNode row : t.get("rows")) {
        List<Value> values = new ArrayList<>();
        for (JsonNode v : row) {
          values.add(
              v.isNull()
                  ? Value.ABSENT
                  : v.isIntegralNumber() ? new Value.Int(v.asLong()) : new Value.Text(v.asText()));
        }
        rows.add(values);
      }
      table = Optional.of(new Table(columns, rows));
    }
    return new SearchResult(
        new TimeRange(
            Rfc3339.parse(body.get("from").asText()), Rfc3339.parse(body.get("to").asText())),
        body.get("total").asLong(),
        hits,
        fields,
        body.get("next").isNull() ? Optional.empty() : Optional.of(body.get("next").asText()),
        table);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
