package dev.trailwatch.search.query;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Outcome;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The reference semantics of the query language, written as plainly as possible: every filter and
 * stage evaluated over a list of events in memory, one event at a time. The index and {@link
 * PipelineExecutor} must give the same results; the equivalence test holds them to it. It also
 * answers whether one event matches a filter ({@link #matches}), which is what a detection rule
 * asks.
 *
 * <p>The events are put in the default order (newest first) and the words of every message cut
 * once, when the evaluator is made. Immutable and thread-safe.
 */
public final class NaiveEvaluator {
  /** The default order of events: newest first, then the higher sequence number first. */
  static final Comparator<StoredEvent> NEWEST_FIRST =
      Comparator.comparing((StoredEvent e) -> e.event().timestamp())
          .thenComparingLong(StoredEvent::seq)
          .reversed();

  private static final BigInteger BILLION = BigInteger.valueOf(1_000_000_000);

  private final List<StoredEvent> events;
  private final List<List<String>> words;

  public NaiveEvaluator(List<StoredEvent> events) {
    List<StoredEvent> sorted = new ArrayList<>(events);
    sorted.sort(NEWEST_FIRST);
    this.events = List.copyOf(sorted);
    this.words =
        this.events.stream()
            .map(e -> e.event().message().map(MessageText::words).orElse(List.of()))
            .toList();
  }

  /** True when {@code event} matches {@code filter}. */
  public static boolean matches(Filter filter, AccessEvent event) {
    return matches(filter, event, () -> event.message().map(MessageText::words).orElse(List.of()));
  }

  /** The result of {@code query} over the events in {@code range}. */
  public Result evaluate(ParsedQuery query, TimeRange range) {
    List<StoredEvent> hits = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      StoredEvent e = events.get(i);
      List<String> messageWords = words.get(i);
      if (range.contains(e.event().timestamp())
          && matches(query.filter(), e.event(), () -> messageWords)) {
        hits.add(e);
      }
    }
    List<String> fields = List.of();
    Optional<Table> table = Optional.empty();
    for (Stage stage : query.stages()) {
      if (table.isPresent()) {
        table = Optional.of(onTable(table.get(), stage));
        continue;
      }
      switch (stage) {
        case Stage.Sort s -> hits.sort(byKeys(s.keys()));
        case Stage.Head h ->
            hits = new ArrayList<>(hits.subList(0, Math.min(h.count(), hits.size())));
        case Stage.Fields f -> fields = f.names();
        case Stage.Stats s -> table = Optional.of(stats(hits, s));
        case Stage.Timechart t -> table = Optional.of(timechart(hits, t));
        case Stage.Top t -> table = Optional.of(top(hits, t));
      }
    }
    if (table.isPresent()) {
      return table.get();
    }
    return new Hits(hits.stream().map(StoredEvent::seq).toList(), fields);
  }

  private static Table onTable(Table table, Stage stage) {
    return switch (stage) {
      case Stage.Sort s -> table.sorted(s.keys());
      case Stage.Head h -> table.head(h.count());
      case Stage.Fields f -> table.select(f.names());
      default -> throw new IllegalStateException("the parser lets no " + stage + " follow a table");
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Filters

  private static boolean matches(Filter filter, AccessEvent e, Supplier<List<String>> words) {
    return switch (filter) {
      case Filter.All a -> true;
      case Filter.And and -> all(and.clauses(), e, words);
      case Filter.Or or -> any(or.clauses(), e, words);
      case Filter.Not not -> !matches(not.clause(), e, words);
      case Filter.Exists x -> e.get(x.field()).isPresent();
      case Filter.KeywordEquals k -> texts(e, k.field()).contains(k.value());
      case Filter.KeywordMatches k -> texts(e, k.field()).stream().anyMatch(k.pattern()::matches);
      case Filter.KeywordCompare k ->
          texts(e, k.field()).stream()
              .anyMatch(v -> k.comparison().accepts(Value.compareCodePoints(v, k.value())));
      case Filter.IntRange r ->
          e.get(r.field())
              .map(v -> (Integer) v)
              .filter(v -> v >= r.min() && v <= r.max())
              .isPresent();
      case Filter.TimestampRange r ->
          !e.timestamp().isBefore(r.min()) && !e.timestamp().isAfter(r.max());
      case Filter.IpPrefix p ->
          e.get(p.field())
              .filter(v -> inNetwork((IpAddress) v, p.network(), p.prefixLength()))
              .isPresent();
      case Filter.TextPhrase t -> Collections.indexOfSubList(words.get(), t.words()) >= 0;
      case Filter.TextMatches t -> words.get().stream().anyMatch(t.pattern()::matches);
    };
  }

  private static boolean all(List<Filter> clauses, AccessEvent e, Supplier<List<String>> words) {
    for (Filter c : clauses) {
      if (!matches(c, e, words)) {
        return false;
      }
    }
    return true;
  }

  private static boolean any(List<Filter> clauses, AccessEvent e, Supplier<List<String>> words) {
    for (Filter c : clauses) {
      if (matches(c, e, words)) {
        return true;
      }
    }
    return false;
  }

  /** The keyword values of a field: none, one, or the roles. */
  private static List<String> texts(AccessEvent e, String field) {
    Optional<Object> value = e.get(field);
    if (value.isEmpty()) {
      return List.of();
    }
    return value.get() instanceof List<?> list
        ? list.stream().map(String.class::cast).toList()
        : List.of(value.get().toString());
  }

  /**
   * True when the first {@code prefixLength} bits of both addresses agree, an IPv4 address being
   * its IPv4-mapped IPv6 address when the network is IPv6.
   */
  private static boolean inNetwork(IpAddress address, IpAddress network, int prefixLength) {
    byte[] a = sixteen(address);
    byte[] n = sixteen(network);
    int bits = network.isIpv4() ? 96 + prefixLength : prefixLength;
    for (int bit = 0; bit < bits; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((a[bit / 8] & mask) != (n[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] sixteen(IpAddress ip) {
    byte[] bytes = ip.bytes();
    if (bytes.length == 16) {
      return bytes;
    }
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(bytes, 0, mapped, 12, 4);
    return mapped;
  }

  // ---------------------------------------------------------------------------------------------
  // Values and stages

  /**
   * The values of a field in an event: none when absent, one, or each distinct role of {@code
   * user.roles} (the index keeps a role once even if an event lists it twice).
   */
  static List<Value> values(AccessEvent e, String field) {
    Optional<Object> value = e.get(field);
    if (value.isEmpty()) {
      return List.of();
    }
    return switch (value.get()) {
      case Instant t -> List.of(new Value.Time(t));
      case String s -> List.of(new Value.Text(s));
      case Outcome o -> List.of(new Value.Text(o.ecsValue()));
      case Integer i -> List.of(new Value.Int(i));
      case IpAddress ip -> List.of(new Value.Ip(ip));
      case List<?> list -> {
        Set<Value> distinct = new LinkedHashSet<>();
        list.forEach(v -> distinct.add(new Value.Text((String) v)));
        yield List.copyOf(distinct);
      }
      default -> throw new IllegalStateException("no values for " + field);
    };
  }

  /** {@link #values}, or one {@link Value#ABSENT}: how a group key sees a field. */
  private static List<Value> groupValues(AccessEvent e, String field) {
    List<Value> values = values(e, field);
    return values.isEmpty() ? List.of(Value.ABSENT) : values;
  }

  /**
   * Events in the order of the sort keys; a multi-valued field sorts by its smallest (ascending) or
   * largest (descending) value, an event without the field comes last.
   */
  private static Comparator<StoredEvent> byKeys(List<Stage.SortKey> keys) {
    Comparator<StoredEvent> order = (a, b) -> 0;
    for (Stage.SortKey key : keys) {
      Comparator<Value> values = Table.absentLast(key.descending());
      order =
          order.thenComparing(
              e -> groupValues(e.event(), key.name()).stream().min(values).orElseThrow(), values);
    }
    return order;
  }

  private static Table stats(List<StoredEvent> hits, Stage.Stats stats) {
    List<Function<AccessEvent, List<Value>>> keys = new ArrayList<>();
    for (String field : stats.by()) {
      keys.add(e -> groupValues(e, field));
    }
    List<String> columns = new ArrayList<>(stats.by());
    Table table = aggregate(hits, keys, stats.aggregations(), columns);
    if (stats.by().isEmpty() && table.rows().isEmpty()) {
      List<Value> zeros = new ArrayList<>();
      stats.aggregations().forEach(a -> zeros.add(new Value.Int(0)));
      return new Table(table.columns(), List.of(zeros));
    }
    return table;
  }

  private static Table timechart(List<StoredEvent> hits, Stage.Timechart chart) {
    List<Function<AccessEvent, List<Value>>> keys = new ArrayList<>();
    keys.add(e -> List.of(new Value.Time(bucket(e.timestamp(), chart.span()))));
    List<String> columns = new ArrayList<>(List.of("_time"));
    chart
        .by()
        .ifPresent(
            field -> {
              keys.add(e -> groupValues(e, field));
              columns.add(field);
            });
    return aggregate(hits, keys, chart.aggregations(), columns);
  }

  /** The start of the {@code span}-long bucket, counted from 1970-01-01T00:00Z, that holds t. */
  private static Instant bucket(Instant t, Duration span) {
    BigInteger nanos =
        BigInteger.valueOf(t.getEpochSecond())
            .multiply(BILLION)
            .add(BigInteger.valueOf(t.getNano()));
    BigInteger start = nanos.subtract(nanos.mod(BigInteger.valueOf(span.toNanos())));
    BigInteger nano = start.mod(BILLION);
    return Instant.ofEpochSecond(
        start.subtract(nano).divide(BILLION).longValueExact(), nano.longValue());
  }

  /**
   * Groups events by every combination of their key values (a multi-valued field puts an event in
   * one group per value), then one row per group, sorted by the keys.
   */
  private static Table aggregate(
      List<StoredEvent> hits,
      List<Function<AccessEvent, List<Value>>> keys,
      List<Aggregation> aggregations,
      List<String> keyColumns) {
    Map<List<Value>, List<AccessEvent>> groups = new HashMap<>();
    for (StoredEvent hit : hits) {
      List<List<Value>> combinations = List.of(List.of());
      for (Function<AccessEvent, List<Value>> key : keys) {
        List<List<Value>> longer = new ArrayList<>();
        for (List<Value> prefix : combinations) {
          for (Value v : key.apply(hit.event())) {
            List<Value> combination = new ArrayList<>(prefix);
            combination.add(v);
            longer.add(combination);
          }
        }
        combinations = longer;
      }
      for (List<Value> combination : combinations) {
        groups.computeIfAbsent(combination, k -> new ArrayList<>()).add(hit.event());
      }
    }
    List<List<Value>> rows = new ArrayList<>();
    for (Map.Entry<List<Value>, List<AccessEvent>> group : groups.entrySet()) {
      List<Value> row = new ArrayList<>(group.getKey());
      for (Aggregation a : aggregations) {
        row.add(new Value.Int(aggregate(a, group.getValue())));
      }
      rows.add(row);
    }
    List<String> columns = new ArrayList<>(keyColumns);
    aggregations.forEach(a -> columns.add(a.column()));
    List<Stage.SortKey> byKeys = keyColumns.stream().map(c -> new Stage.SortKey(c, false)).toList();
    return new Table(columns, rows).sorted(byKeys);
  }

  private static long aggregate(Aggregation aggregation, List<AccessEvent> group) {
    return switch (aggregation) {
      case Aggregation.Count c -> group.size();
      case Aggregation.DistinctCount dc -> {
        Set<Value> distinct = new HashSet<>();
        group.forEach(e -> distinct.addAll(values(e, dc.field())));
        yield distinct.size();
      }
    };
  }

  private static Table top(List<StoredEvent> hits, Stage.Top top) {
    Map<Value, Long> counts = new HashMap<>();
    for (StoredEvent hit : hits) {
      for (Value v : groupValues(hit.event(), top.field())) {
        counts.merge(v, 1L, Long::sum);
      }
    }
    List<List<Value>> rows = new ArrayList<>();
    counts.forEach((value, count) -> rows.add(List.of(value, new Value.Int(count))));
    String countColumn = new Aggregation.Count().column();
    return new Table(List.of(top.field(), countColumn), rows)
        .sorted(
            List.of(new Stage.SortKey(countColumn, true), new Stage.SortKey(top.field(), false)))
        .head(top.count());
  }
}
