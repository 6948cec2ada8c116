package dev.trailwatch.search.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.event.SystemEntry;
import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import dev.trailwatch.ledger.Entry;
import dev.trailwatch.ledger.EntryIterator;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import dev.trailwatch.ledger.LedgerReader;
import dev.trailwatch.search.index.Indexer;
import dev.trailwatch.search.index.IndexerConfig;
import dev.trailwatch.search.query.Hits;
import dev.trailwatch.search.query.NaiveEvaluator;
import dev.trailwatch.search.query.ParsedQuery;
import dev.trailwatch.search.query.QueryException;
import dev.trailwatch.search.query.QueryParser;
import dev.trailwatch.search.query.RandomQueries;
import dev.trailwatch.search.query.StoredEvent;
import dev.trailwatch.search.query.Table;
import dev.trailwatch.search.query.TestSeeds;
import dev.trailwatch.search.query.TimeRange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search service over a real ledger and its index: pages joined are the one big answer of the
 * reference evaluator, totals are its counts, every hit is the ledger's bytes, and exports hold
 * every match.
 */
class SearchServiceTest {
  static final int EVENTS = 20_000;
  static final Optional<String> FROM = Optional.of("2026-11-01T00:00:00Z");
  static final Optional<String> TO = Optional.of("2026-11-10T00:00:00Z");
  static final TimeRange RANGE = new TimeRange(Instant.parse(FROM.get()), Instant.parse(TO.get()));

  @TempDir static Path dir;
  static Ledger ledger;
  static Indexer indexer;
  static LedgerReader reader;
  static SearchService service;
  static List<StoredEvent> events = new ArrayList<>();
  static NaiveEvaluator naive;

  @BeforeAll
  static void corpus() throws Exception {
    ledger = Ledger.open(LedgerConfig.of(dir).withMaxSegmentBytes(1 << 20));
    EventGenerator generator =
        new EventGenerator(
            TestSeeds.seed("service"),
            GeneratorConfig.defaults().withEvents(EVENTS).withUsers(200).withAddresses(1000));
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      batch.add(EventJson.canonical(generator.next()));
      if (i % 1000 == 0) {
        Instant at = Instant.parse("2026-11-03T00:00:00Z");
        batch.add(SystemEntry.search("t", at, "*", at, at, i).toJson());
      }
    }
    ledger.append(batch);
    indexer =
        Indexer.start(ledger, IndexerConfig.defaults().withThreads(2), InstantSource.system());
    assertThat(indexer.awaitPosition(ledger.size(), Duration.ofMinutes(5))).isTrue();
    indexer.index().refresh();
    reader = ledger.reader();
    try (EntryIterator it = reader.entries(0)) {
      while (it.next()) {
        Entry e = it.entry();
        if (!SystemEntry.isSystemEntry(e.payload())) {
          events.add(new StoredEvent(e.seq(), EventJson.decodeCanonical(e.payload())));
        }
      }
    }
    naive = new NaiveEvaluator(events);
    service = new SearchService(indexer.index(), reader, InstantSource.fixed(RANGE.to()));
  }

  @AfterAll
  static void close() throws Exception {
    reader.close();
    indexer.close();
    ledger.close();
  }

  private static long naiveTotal(String query) throws QueryException {
    ParsedQuery q = QueryParser.parse(query);
    return ((Hits) naive.evaluate(new ParsedQuery(q.filter(), List.of()), RANGE)).seqs().size();
  }

  /** Every page of {@code query}, joined. */
  private static List<SearchResult.Hit> allPages(String query, int limit) throws Exception {
    SearchRequest request = new SearchRequest(query, FROM, TO, limit, Optional.empty());
    List<SearchResult.Hit> all = new ArrayList<>();
    long total = -1;
    for (int pages = 0; ; pages++) {
      SearchResult page = service.search(request);
      assertThat(page.hits().size()).isLessThanOrEqualTo(limit);
      if (total >= 0) {
        assertThat(page.total()).as("the total is the same on every page").isEqualTo(total);
      }
      total = page.total();
      all.addAll(page.hits());
      if (page.next().isEmpty()) {
        return all;
      }
      assertThat(page.hits()).as("a page with a next is full").hasSize(limit);
      assertThat(pages).as("pages of %s", query).isLessThan(EVENTS + 1);
      request = request.after(page.next().get());
    }
  }

  @Test
  void pagesJoinedAreTheReferenceAnswerAndEveryHitIsTheLedgersBytes() throws Exception {
    long seed = TestSeeds.seed("paging");
    SplittableRandom random = new SplittableRandom(seed);
    RandomQueries queries = new RandomQueries(random, events);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      texts.add(queries.filter());
    }
    texts.addAll(
        List.of("", "*", "event.outcome:failure | head 250", "| fields user.name | head 7"));
    texts.add("event.action:login | sort -@timestamp | head 1001");
    int nonEmpty = 0;
    for (String text : texts) {
      int limit = 1 + random.nextInt(random.nextBoolean() ? 10 : 700);
      String context = "[" + text + "] limit " + limit + ", " + TestSeeds.reproduce();
      List<SearchResult.Hit> hits = allPages(text, limit);
      Hits expected = (Hits) naive.evaluate(QueryParser.parse(text), RANGE);
      assertThat(hits.stream().map(SearchResult.Hit::seq).toList())
          .as(context)
          .isEqualTo(expected.seqs());
      assertThat(service.search(SearchRequest.of(text, FROM, TO).withLimit(0)).total())
          .as(context)
          .isEqualTo(naiveTotal(text));
      for (SearchResult.Hit hit : hits) {
        assertThat(hit.event())
            .as(context)
            .isEqualTo(reader.read(hit.seq()).orElseThrow().payload());
      }
      nonEmpty += hits.isEmpty() ? 0 : 1;
    }
    assertThat(nonEmpty).isGreaterThan(texts.size() / 2);
  }

  @Test
  void pipelinesAnswerTheExecutorsTableAndTheTotalOfTheFilter() throws Exception {
    String text = "event.outcome:failure | stats count(), dc(user.name) by event.dataset";
    SearchResult r = service.search(SearchRequest.of(text, FROM, TO));
    assertThat(r.table()).contains((Table) naive.evaluate(QueryParser.parse(text), RANGE));
    assertThat(r.hits()).isEmpty();
    assertThat(r.next()).isEmpty();
    assertThat(r.total()).isEqualTo(naiveTotal(text));

    String sorted = "event.action:login | sort user.name | head 30";
    SearchResult s = service.search(SearchRequest.of(sorted, FROM, TO).withLimit(20));
    Hits expected = (Hits) naive.evaluate(QueryParser.parse(sorted), RANGE);
    assertThat(s.hits().stream().map(SearchResult.Hit::seq).toList())
        .isEqualTo(expected.seqs().subList(0, 20));
  }

  @Test
  void aCursorIsCheckedAndBelongsToItsSearch() throws Exception {
    SearchRequest first = SearchRequest.of("event.action:login", FROM, TO).withLimit(5);
    String next = service.search(first).next().orElseThrow();
    assertThat(next).matches("[A-Za-z0-9_-]+");
    for (String bad : List.of("", "!!!", "AAAA", next.substring(1), next + "AA")) {
      assertThatThrownBy(() -> service.search(first.after(bad)))
          .as(bad)
          .isInstanceOf(InvalidCursorException.class)
          .hasMessageStartingWith("cursor: ");
    }
    assertThatThrownBy(
            () -> service.search(SearchRequest.of("event.action:logout", FROM, TO).after(next)))
        .isInstanceOf(InvalidCursorException.class)
        .hasMessageContaining("another query");
  }

  @Test
  void aBadQueryOrRangeSaysWhereAndWhat() {
    assertThatThrownBy(() -> service.search(SearchRequest.of("user.name:", FROM, TO)))
        .isInstanceOf(QueryException.class)
        .hasMessage("line 1, column 11: expected a value after ':'");
    assertThatThrownBy(
            () -> service.search(SearchRequest.of("*", Optional.of("now-15x"), Optional.empty())))
        .isInstanceOf(QueryException.class)
        .hasMessageContaining("from:");
    assertThatThrownBy(() -> service.export("a:", FROM, TO, ExportFormat.CSV))
        .isInstanceOf(QueryException.class);
  }

  @Test
  void ndjsonExportIsEveryMatchingEntryInOrder() throws Exception {
    String text = "event.outcome:success";
    Hits expected = (Hits) naive.evaluate(QueryParser.parse(text), RANGE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Export export = service.export(text, FROM, TO, ExportFormat.NDJSON);
    export.writeTo(out);
    assertThat(export.complete()).isTrue();
    assertThat(export.sent()).isEqualTo(expected.seqs().size());
    ByteArrayOutputStream want = new ByteArrayOutputStream();
    for (long seq : expected.seqs()) {
      want.write(reader.read(seq).orElseThrow().payload());
      want.write('\n');
    }
    assertThat(out.toByteArray()).isEqualTo(want.toByteArray());
  }

  @Test
  void csvExportHasAHeaderAndOneParsableRowPerEvent() throws Exception {
    String text = "* | head 3000";
    Hits expected = (Hits) naive.evaluate(QueryParser.parse(text), RANGE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    service.export(text, FROM, TO, ExportFormat.CSV).writeTo(out);
    List<List<String>> rows = Csv.parse(out.toString(StandardCharsets.UTF_8));
    assertThat(rows).hasSize(expected.seqs().size() + 1);
    List<String> header = rows.get(0);
    assertThat(header.subList(0, 3)).containsExactly("seq", "@timestamp", "event.action");
    for (int i = 0; i < expected.seqs().size(); i++) {
      long seq = expected.seqs().get(i);
      AccessEvent e = EventJson.decodeCanonical(reader.read(seq).orElseThrow().payload());
      assertThat(rows.get(i + 1)).isEqualTo(EventCsv.cells(header, seq, e));
    }

    ByteArrayOutputStream picked = new ByteArrayOutputStream();
    service
        .export("event.action:login | fields user.name, source.ip", FROM, TO, ExportFormat.CSV)
        .writeTo(picked);
    assertThat(Csv.parse(picked.toString(StandardCharsets.UTF_8)).get(0))
        .containsExactly("user.name", "source.ip");
  }

  @Test
  void csvQuotingRoundTrips() {
    List<String> tricky =
        List.of("", "plain", "a,b", "say \"hi\"", "line\nbreak", "cr\r\nlf", "\"", ",", " x ");
    String row = EventCsv.row(tricky);
    assertThat(row).endsWith("\r\n");
    assertThat(Csv.parse(row)).containsExactly(tricky);
    assertThat(EventCsv.quote("plain")).isEqualTo("plain");
    assertThat(EventCsv.quote("a\"b")).isEqualTo("\"a\"\"b\"");
  }

  @Test
  void anExportCutShortCountsWhatItSent() throws Exception {
    Export export = service.export("*", FROM, TO, ExportFormat.NDJSON);
    OutputStream failing =
        new OutputStream() {
          long lines;

          @Override
          public void write(int b) throws IOException {
            if (b == '\n' && ++lines == 1500) {
              throw new IOException("the client went away");
            }
          }

          @Override
          public void write(byte[] b, int off, int len) {}
        };
    assertThatThrownBy(() -> export.writeTo(failing)).hasMessageContaining("went away");
    assertThat(export.complete()).isFalse();
    assertThat(export.sent()).isEqualTo(1499);
  }

  @Test
  void aTableExportsAsRows() throws Exception {
    String text = "| stats count() by event.outcome";
    Table table = (Table) naive.evaluate(QueryParser.parse(text), RANGE);
    ByteArrayOutputStream csv = new ByteArrayOutputStream();
    service.export(text, FROM, TO, ExportFormat.CSV).writeTo(csv);
    List<List<String>> rows = Csv.parse(csv.toString(StandardCharsets.UTF_8));
    assertThat(rows.get(0)).containsExactly("event.outcome", "count()");
    assertThat(rows).hasSize(table.rows().size() + 1);
    ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
    Export export = service.export(text, FROM, TO, ExportFormat.NDJSON);
    export.writeTo(ndjson);
    assertThat(export.sent()).isEqualTo(table.rows().size());
    assertThat(ndjson.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow())
        .startsWith("{\"event.outcome\":\"")
        .contains("\"count()\":");
  }

  /** A strict RFC 4180 reader for the tests. */
  static final class Csv {
    static List<List<String>> parse(String text) {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (c == '"' && cell.isEmpty()) {
          i++;
          while (true) {
            char q = text.charAt(i++);
            if (q == '"') {
              if (i < text.length() && text.charAt(i) == '"') {
                cell.append('"');
                i++;
              } else {
                break;
              }
            } else {
              cell.append(q);
            }
          }
        } else if (c == ',') {
          row.add(cell.toString());
          cell.setLength(0);
          i++;
        } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          row.add(cell.toString());
          cell.setLength(0);
          rows.add(row);
          row = new ArrayList<>();
          i += 2;
        } else {
          cell.append(c);
          i++;
        }
      }
      if (!cell.isEmpty() || !row.isEmpty()) {
        throw new IllegalArgumentException("the last row does not end with CRLF: " + row);
      }
      return rows;
    }
  }
}
