package dev.trailwatch.app.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailwatch.app.server.AccessRecorder;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.event.SystemEntry;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import dev.trailwatch.ledger.LedgerLockedException;
import dev.trailwatch.ledger.LedgerReader;
import dev.trailwatch.search.index.Indexer;
import dev.trailwatch.search.index.IndexerConfig;
import dev.trailwatch.search.index.ReadOnlyIndex;
import dev.trailwatch.search.query.QueryException;
import dev.trailwatch.search.query.QueryParser;
import dev.trailwatch.search.query.Table;
import dev.trailwatch.search.query.TimeExpressions;
import dev.trailwatch.search.query.Value;
import dev.trailwatch.search.service.EventCsv;
import dev.trailwatch.search.service.InvalidCursorException;
import dev.trailwatch.search.service.SearchRequest;
import dev.trailwatch.search.service.SearchResult;
import dev.trailwatch.search.service.SearchService;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trailwatch search}: the query language from the command line, offline or on a server. */
@Command(
    mixinStandardHelpOptions = true,
    name = "search",
    description = {
      "Search events with the query language of docs/QUERY.md, newest first; pipelines print"
          + " their table.",
      "Offline on a data directory (the index is brought up to date first, with progress on"
          + " standard error), or on a running server with --server URL --token T.",
      "Exit codes: 0 done (also when nothing matches), 2 a query that cannot run (with the"
          + " line and column), or could not run."
    })
final class SearchCommand implements Callable<Integer> {
  private static final Duration PROGRESS_EVERY = Duration.ofMillis(200);

  /** The columns of events in the table format, unless a fields stage names others. */
  static final List<String> TABLE_COLUMNS =
      List.of(
          "@timestamp",
          "seq",
          "user.name",
          "event.action",
          "event.outcome",
          "source.ip",
          "host.name",
          "message");

  /** How many characters of a cell the table format shows. */
  static final int MAX_CELL = 80;

  enum Format {
    table,
    json,
    csv
  }

  @Mixin DataDirOption data;

  @Parameters(
      index = "0",
      paramLabel = "QUERY",
      defaultValue = "",
      description = "The query, in quotes (default: every event).")
  String query;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description = "Start: RFC 3339 or relative like now-15m (default: now-24h).")
  String from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      description = "End, excluded: RFC 3339 or relative (default: now).")
  String to;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "Print at most N events (default: 100).")
  long limit;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (aligned, for reading), json (each stored event, one per line) or csv.")
  Format format;

  @Option(names = "--count", description = "Print only the number of matching events.")
  boolean count;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "Search a running server, like http://127.0.0.1:8080, instead of --data.")
  URI server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:TRAILWATCH_TOKEN}",
      description = "With --server: a token of role viewer or above (default: $TRAILWATCH_TOKEN).")
  String token;

  @Spec CommandSpec spec;

  /** One page of the search, from wherever it runs. */
  interface Pages {
    SearchResult search(SearchRequest request)
        throws QueryException, InvalidCursorException, IOException;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (limit < 1) {
      throw new UserError("--limit must be 1 or more, not " + limit + " (--count counts)");
    }
    try { // before any work: a query that cannot run is told at once
      QueryParser.parse(query);
      TimeExpressions.range(
          Optional.ofNullable(from), Optional.ofNullable(to), InstantSource.system());
    } catch (QueryException e) {
      throw new UserError(pointAt(e), ExitCodes.CANNOT_RUN, e);
    }
    if (server != null) {
      if (token == null || token.isBlank()) {
        throw new UserError("--server needs --token T (or TRAILWATCH_TOKEN): a viewer's token");
      }
      RemoteSearch remote = new RemoteSearch(server, token.strip());
      return print(remote::search);
    }
    return offline(data.dir());
  }

  /**
   * On a data directory: with the writer lock, the index is caught up first and the search is
   * recorded in the ledger; beside a running server, its last index commit is searched.
   */
  private int offline(Path dir) throws IOException, InterruptedException {
    LedgerReader.open(dir).close(); // refuses what is not a data directory, before writing to it
    InstantSource clock = InstantSource.system();
    Ledger ledger;
    try {
      ledger = Ledger.open(LedgerConfig.of(dir));
    } catch (LedgerLockedException running) {
      return besideServer(dir, running.holder(), clock);
    }
    try (ledger) {
      Indexer indexer = Indexer.start(ledger, IndexerConfig.defaults(), clock);
      try {
        catchUp(indexer, ledger);
        indexer.index().refresh();
        try (LedgerReader reader = ledger.reader()) {
          SearchService service = new SearchService(indexer.index(), reader, clock);
          AccessRecorder recorder = new AccessRecorder(ledger, clock);
          boolean[] recorded = {false};
          int code =
              print(
                  request -> {
                    SearchResult r = service.search(request);
                    if (!recorded[0]) {
                      record(recorder, r);
                      recorded[0] = true;
                    }
                    return r;
                  });
          // The index takes in the search's own entry too, so the next search starts caught up.
          indexer.awaitPosition(ledger.size(), Duration.ofSeconds(10));
          return code;
        }
      } finally {
        indexer.close();
      }
    }
  }

  private void record(AccessRecorder recorder, SearchResult r) throws IOException {
    try {
      recorder.record(
          SystemEntry.search(
              "cli:" + System.getProperty("user.name", "unknown"),
              recorder.now(),
              query,
              r.range().from(),
              r.range().to(),
              r.total()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while recording the search", e);
    }
  }

  private int besideServer(Path dir, String holder, InstantSource clock) throws IOException {
    try (LedgerReader reader = LedgerReader.open(dir)) {
      Optional<ReadOnlyIndex> index = ReadOnlyIndex.open(dir, reader.origin());
      if (index.isEmpty()) {
        throw new UserError(
            "the data directory "
                + dir
                + " is in use by "
                + holder
                + ", whose search index is not built yet; search it with --server URL --token T,"
                + " or again later");
      }
      try (ReadOnlyIndex committed = index.get()) {
        long size = reader.size();
        Cli.err(spec)
            .printf(
                "trailwatch: %s holds %s: searching its index as last committed (%,d of %,d"
                    + " entries); --server URL searches it live and records the search%n",
                holder, dir, committed.cursor(), size);
        return print(new SearchService(committed, reader, clock)::search);
      }
    }
  }

  /** Brings the index up to the ledger, with progress on standard error when it lags. */
  private void catchUp(Indexer indexer, Ledger ledger) throws IOException, InterruptedException {
    long size = ledger.size();
    if (indexer.awaitPosition(size, Duration.ZERO)) {
      return;
    }
    PrintStream err = Cli.err(spec);
    err.printf(
        "trailwatch: the search index is %,d entries behind the ledger; indexing them first%n",
        size - indexer.position());
    try (Progress progress = Progress.start("index", "entries", 1, size, err)) {
      while (!indexer.awaitPosition(size, PROGRESS_EVERY)) {
        progress.update(indexer.position(), size);
      }
      progress.update(size, size);
    }
  }

  /** Runs the search page by page and prints it; a query that cannot run is a usage error. */
  private int print(Pages pages) throws IOException {
    Optional<String> f = Optional.ofNullable(from);
    Optional<String> t = Optional.ofNullable(to);
    int first = count ? 0 : (int) Math.min(limit, SearchService.MAX_LIMIT);
    SearchRequest request = new SearchRequest(query, f, t, first, Optional.empty());
    PrintStream out = Cli.out(spec);
    try {
      SearchResult page = pages.search(request);
      if (count) {
        out.println(page.total());
        return ExitCodes.OK;
      }
      if (page.table().isPresent()) {
        printTable(page.table().get(), out);
        return ExitCodes.OK;
      }
      Printer printer = new Printer(format, page.fields(), out);
      long printed = 0;
      while (true) {
        for (SearchResult.Hit hit : page.hits()) {
          if (printed == limit) {
            break;
          }
          printer.hit(hit);
          printed++;
        }
        if (printed >= limit || page.next().isEmpty()) {
          break;
        }
        page =
            pages.search(
                request
                    .withLimit((int) Math.min(limit - printed, SearchService.MAX_LIMIT))
                    .after(page.next().get()));
      }
      printer.finish();
      if (format == Format.table) {
        Cli.err(spec)
            .printf(
                "%,d of %,d matching events%s%n",
                printed,
                page.total(),
                printed < page.total() && printed == limit ? " (--limit N for more)" : "");
      }
      return ExitCodes.OK;
    } catch (QueryException e) {
      throw new UserError(pointAt(e), ExitCodes.CANNOT_RUN, e);
    } catch (InvalidCursorException e) {
      throw new UserError(e.getMessage()); // cannot happen: the cursors are the server's own
    } finally {
      out.flush();
    }
  }

  /** The message, then the line of the query (or the time) with a caret under the column. */
  String pointAt(QueryException e) {
    String label;
    String text;
    if (e.problem().startsWith("from: ") && from != null) {
      label = "--from ";
      text = from;
    } else if (e.problem().startsWith("to: ") && to != null) {
      label = "--to ";
      text = to;
    } else {
      label = "";
      text = query;
    }
    List<String> lines = text.lines().toList();
    if (e.line() > lines.size() && !(lines.isEmpty() && e.line() == 1)) {
      return e.getMessage();
    }
    String line = lines.isEmpty() ? "" : lines.get(e.line() - 1);
    StringBuilder caret = new StringBuilder("  " + " ".repeat(label.length()));
    int cps = 0;
    for (int i = 0;
        i < line.length() && cps < e.column() - 1;
        i += Character.charCount(line.codePointAt(i))) {
      caret.append(line.charAt(i) == '\t' ? '\t' : ' ');
      cps++;
    }
    caret.append(" ".repeat(Math.max(0, e.column() - 1 - cps))).append('^');
    return e.getMessage() + "\n  " + label + line + "\n" + caret;
  }

  /** Prints hits in one format; the table format aligns its columns at the end. */
  private static final class Printer {
    private final Format format;
    private final List<String> columns;
    private final PrintStream out;
    private final List<List<String>> rows = new ArrayList<>();

    Printer(Format format, List<String> fields, PrintStream out) {
      this.format = format;
      this.out = out;
      this.columns =
          switch (format) {
            case table -> fields.isEmpty() ? TABLE_COLUMNS : fields;
            case csv -> EventCsv.columns(fields);
            case json -> List.of();
          };
      if (format == Format.csv) {
        out.print(EventCsv.row(columns));
      }
    }

    void hit(SearchResult.Hit hit) throws IOException {
      switch (format) {
        case json -> {
          out.write(hit.event());
          out.write('\n');
        }
        case csv ->
            out.print(
                EventCsv.row(
                    EventCsv.cells(columns, hit.seq(), EventJson.decodeCanonical(hit.event()))));
        case table -> {
          List<String> cells =
              EventCsv.cells(columns, hit.seq(), EventJson.decodeCanonical(hit.event()));
          rows.add(cells.stream().map(c -> c.isEmpty() ? "(absent)" : c).toList());
        }
      }
    }

    void finish() {
      if (format == Format.table) {
        printAligned(columns, rows, out);
      }
    }
  }

  private void printTable(Table table, PrintStream out) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    for (List<Value> row : table.rows()) {
      rows.add(
          row.stream().map(v -> v instanceof Value.Absent ? "(absent)" : v.toString()).toList());
    }
    switch (format) {
      case table -> printAligned(table.columns(), rows, out);
      case csv -> {
        out.print(EventCsv.row(table.columns()));
        rows.forEach(r -> out.print(EventCsv.row(r)));
      }
      case json -> {
        for (List<Value> row : table.rows()) {
          ObjectNode o = JsonNodeFactory.instance.objectNode();
          for (int c = 0; c < row.size(); c++) {
            switch (row.get(c)) {
              case Value.Int i -> o.put(table.columns().get(c), i.value());
              case Value.Absent a -> o.putNull(table.columns().get(c));
              default -> o.put(table.columns().get(c), row.get(c).toString());
            }
          }
          out.write(o.toString().getBytes(StandardCharsets.UTF_8));
          out.write('\n');
        }
      }
    }
  }

  /** Columns left-aligned, two spaces apart, cells cut at {@link #MAX_CELL} characters. */
  static void printAligned(List<String> columns, List<List<String>> rows, PrintStream out) {
    List<List<String>> all = new ArrayList<>();
    all.add(columns);
    for (List<String> row : rows) {
      all.add(row.stream().map(SearchCommand::cut).toList());
    }
    int[] width = new int[columns.size()];
    for (List<String> row : all) {
      for (int c = 0; c < row.size(); c++) {
        width[c] = Math.max(width[c], row.get(c).codePointCount(0, row.get(c).length()));
      }
    }
    for (List<String> row : all) {
      StringBuilder sb = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        String cell = row.get(c);
        sb.append(cell);
        if (c < row.size() - 1) {
          sb.append(" ".repeat(width[c] - cell.codePointCount(0, cell.length()) + 2));
        }
      }
      out.println(sb);
    }
  }

  /** One line, at most {@link #MAX_CELL} characters. */
  private static String cut(String cell) {
    String one = cell.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    return one.codePointCount(0, one.length()) <= MAX_CELL
        ? one
        : one.substring(0, one.offsetByCodePoints(0, MAX_CELL - 3)) + "...";
  }
}
