package dev.trailwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The PostgreSQL side of {@link SearchVsPostgres}: a typical audit table, as issue 4 describes it,
 *
 * <pre>
 * events(seq bigint primary key, ts timestamptz not null, user_name text, source_ip inet,
 *        action text, outcome text, message text, doc jsonb)
 * </pre>
 *
 * with B-tree indexes on {@code ts}, {@code user_name}, {@code source_ip} and {@code action};
 * {@code doc} holds the rest of the event. Loaded with {@code COPY ... FROM STDIN (FORMAT csv)}
 * from the same NDJSON that Trailwatch imports (the indexes are built after the load, as for any
 * bulk load), then {@code VACUUM ANALYZE}. {@link #tune} adds what a DBA would add for these
 * queries. PostgreSQL keeps microseconds: timestamps are cut (not rounded) to them, so no event
 * moves into another day, and since the generator's times never decrease with {@code seq}, {@code
 * order by ts desc, seq desc} is Trailwatch's order. Not thread-safe: one connection.
 */
final class AuditTable implements AutoCloseable {
  static final String SCHEMA =
      "create table events(seq bigint primary key, ts timestamptz not null, user_name text,"
          + " source_ip inet, action text, outcome text, message text, doc jsonb)";

  static final List<String> INDEXES =
      List.of(
          "create index events_ts on events (ts)",
          "create index events_user_name on events (user_name)",
          "create index events_source_ip on events (source_ip)",
          "create index events_action on events (action)");

  /**
   * What a DBA would add for these queries: composite indexes that serve "newest first within one
   * user (or network)" from the index order, and a trigram index for {@code ilike '%needle%'}.
   */
  static final List<String> TUNED_INDEXES =
      List.of(
          "create index events_user_name_ts on events (user_name, ts)",
          "create index events_source_ip_ts on events (source_ip, ts)",
          "create extension if not exists pg_trgm",
          "create index events_message_trgm on events using gin (message gin_trgm_ops)");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Connection connection;
  private final Map<Probe.Kind, PreparedStatement> statements = new EnumMap<>(Probe.Kind.class);

  AuditTable(Connection connection) throws SQLException {
    this.connection = connection;
    try (Statement s = connection.createStatement()) {
      // Plans for the values at hand: a generic plan cannot use an index for inet's '<<'.
      s.execute("set plan_cache_mode = force_custom_plan");
    }
  }

  /** Seconds spent in each step of {@link #load}. */
  record LoadTimes(double copy, double indexes, double vacuumAnalyze) {}

  /**
   * Creates the table, copies every line of {@code ndjson} into it (line {@code i} is entry {@code
   * i}, as {@code trailwatch import} numbers a new ledger), builds the indexes and runs {@code
   * VACUUM ANALYZE}. {@code each} sees every event on the way, with its sequence number, and must
   * copy what it keeps: the event is taken apart afterwards.
   */
  LoadTimes load(Path ndjson, BiConsumer<Long, ObjectNode> each) throws IOException, SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(SCHEMA);
    }
    long t0 = System.nanoTime();
    CopyIn copy =
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn("copy events from stdin (format csv)");
    try (BufferedReader in = Files.newBufferedReader(ndjson, StandardCharsets.UTF_8)) {
      StringBuilder rows = new StringBuilder(1 << 20);
      String line;
      long seq = 0;
      while ((line = in.readLine()) != null) {
        ObjectNode event = (ObjectNode) JSON.readTree(line);
        each.accept(seq, event);
        csvRow(seq++, event, rows);
        if (rows.length() > 1 << 20) {
          byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
          copy.writeToCopy(bytes, 0, bytes.length);
          rows.setLength(0);
        }
      }
      byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
      copy.writeToCopy(bytes, 0, bytes.length);
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
    long t1 = System.nanoTime();
    execute(INDEXES);
    long t2 = System.nanoTime();
    execute(List.of("vacuum analyze events"));
    return new LoadTimes((t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
  }

  /** Adds {@link #TUNED_INDEXES} and analyzes again; returns the seconds it took. */
  double tune() throws SQLException {
    long t0 = System.nanoTime();
    execute(TUNED_INDEXES);
    execute(List.of("analyze events"));
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The table's size with and without its indexes, in bytes. */
  long[] sizes() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery(
                "select pg_total_relation_size('events'), pg_table_size('events'),"
                    + " pg_indexes_size('events')")) {
      r.next();
      return new long[] {r.getLong(1), r.getLong(2), r.getLong(3)};
    }
  }

  /** Runs the probe's SQL; the answer in the same form as Trailwatch's. */
  Answer query(Probe probe) throws SQLException {
    PreparedStatement ps = statements.get(probe.kind());
    if (ps == null) {
      ps = connection.prepareStatement(probe.kind().sql);
      statements.put(probe.kind(), ps);
    }
    bind(ps, probe);
    try (ResultSet r = ps.executeQuery()) {
      if (probe.kind().hits()) {
        List<Long> seqs = new ArrayList<>();
        long total = 0;
        while (r.next()) {
          seqs.add(r.getLong(1));
          total = r.getLong(2);
        }
        return Answer.hits(total, seqs);
      }
      List<List<String>> rows = new ArrayList<>();
      while (r.next()) {
        rows.add(Arrays.asList(r.getString(1), r.getString(2)));
      }
      return Answer.table(rows);
    }
  }

  /** The plan PostgreSQL chose for the probe ({@code EXPLAIN}), one line per node. */
  String explain(Probe probe) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("explain " + probe.kind().sql)) {
      ps.setObject(1, probe.range().from().atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
      ps.setObject(2, probe.range().to().atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
      for (int i = 0; i < probe.sqlParameters().size(); i++) {
        ps.setString(3 + i, probe.sqlParameters().get(i));
      }
      StringBuilder plan = new StringBuilder();
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          plan.append(r.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }

  /** The time range, then the probe's own parameters. */
  private static void bind(PreparedStatement ps, Probe probe) throws SQLException {
    ps.setObject(1, probe.range().from().atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
    ps.setObject(2, probe.range().to().atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
    for (int i = 0; i < probe.sqlParameters().size(); i++) {
      ps.setString(3 + i, probe.sqlParameters().get(i));
    }
  }

  private void execute(List<String> sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }

  /**
   * Appends the CSV row of one event (its canonical JSON, parsed): the columns, then the rest of
   * the event as {@code doc}. Removes the column fields from {@code event}.
   */
  static void csvRow(long seq, ObjectNode event, StringBuilder out) {
    String ts =
        Instant.parse(event.remove("@timestamp").asText())
            .truncatedTo(ChronoUnit.MICROS)
            .toString();
    String user = take(event, "user", "name");
    String ip = take(event, "source", "ip");
    String action = take(event, "event", "action");
    String outcome = take(event, "event", "outcome");
    JsonNode message = event.remove("message");
    out.append(seq).append(',').append(ts).append(',');
    csv(user, out);
    out.append(',');
    csv(ip, out);
    out.append(',');
    csv(action, out);
    out.append(',');
    csv(outcome, out);
    out.append(',');
    csv(message == null ? null : message.asText(), out);
    out.append(',');
    csv(event.toString(), out);
    out.append('\n');
  }

  /** Removes {@code group.name} from the event (and the group once empty); its text or null. */
  private static String take(ObjectNode event, String group, String name) {
    JsonNode g = event.get(group);
    if (!(g instanceof ObjectNode o) || !o.has(name)) {
      return null;
    }
    String value = o.remove(name).asText();
    if (o.isEmpty()) {
      event.remove(group);
    }
    return value;
  }

  /** A CSV field: nothing for null (COPY's NULL), otherwise quoted, quotes doubled. */
  private static void csv(String value, StringBuilder out) {
    if (value == null) {
      return;
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        out.append('"');
      }
      out.append(c);
    }
    out.append('"');
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement ps : statements.values()) {
      ps.close();
    }
    connection.close();
  }
}
