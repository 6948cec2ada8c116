package dev.trailwatch.search.query;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.util.IntroSorter;

/**
 * Runs a parsed query against the search index: the filter through {@link LuceneQueries}, then
 * every pipeline stage over the matching documents' doc values ({@link IndexColumns}), with the
 * semantics of docs/QUERY.md that {@link NaiveEvaluator} states as plain Java.
 *
 * <p>It holds every matching document in memory (an int, and the values of the fields the stages
 * use), so it suits investigations over the millions of events of a time range, not billions.
 * Thread-safe if the searcher is; each call reads its own doc values.
 */
public final class PipelineExecutor {
  private final IndexSearcher searcher;

  public PipelineExecutor(IndexSearcher searcher) {
    this.searcher = searcher;
  }

  /** The result of {@code query} over the events in {@code range}. */
  public Result execute(ParsedQuery query, TimeRange range) throws IOException {
    int[] docs = searcher.search(LuceneQueries.of(query.filter(), range), new AllDocs());
    IndexColumns columns = new IndexColumns(searcher.getIndexReader(), docs);
    // Positions into docs; put in the pipeline's order (newest first, then as sorted) only when
    // a stage needs an order: stats, timechart and top do not.
    int[] hits = new int[docs.length];
    Arrays.setAll(hits, i -> i);
    boolean ordered = false;
    List<String> fields = List.of();
    Optional<Table> table = Optional.empty();
    List<Stage> stages = query.stages();
    for (int st = 0; st < stages.size(); st++) {
      Stage stage = stages.get(st);
      if (table.isPresent()) {
        if (stage instanceof Stage.Sort s
            && st + 1 < stages.size()
            && stages.get(st + 1) instanceof Stage.Head h) {
          table = Optional.of(table.get().sortedHead(s.keys(), h.count()));
          st++;
          continue;
        }
        table = Optional.of(onTable(table.get(), stage));
        continue;
      }
      if (!ordered && (stage instanceof Stage.Sort || stage instanceof Stage.Head)) {
        newestFirst(hits, columns);
        ordered = true;
      }
      switch (stage) {
        case Stage.Sort s -> hits = sorted(hits, order(columns, s.keys()));
        case Stage.Head h -> hits = Arrays.copyOf(hits, Math.min(h.count(), hits.length));
        case Stage.Fields f -> fields = f.names();
        case Stage.Stats s -> table = Optional.of(stats(columns, hits, s));
        case Stage.Timechart t ->
            table =
                Optional.of(timechart(columns, columns.longs(LuceneQueries.TIMESTAMP), hits, t));
        case Stage.Top t -> table = Optional.of(top(columns, hits, t));
      }
    }
    if (table.isPresent()) {
      return table.get();
    }
    if (!ordered) {
      newestFirst(hits, columns);
    }
    long[] seqs = columns.longs(LuceneQueries.SEQ);
    List<Long> out = new ArrayList<>(hits.length);
    for (int hit : hits) {
      out.add(seqs[hit]);
    }
    return new Hits(out, fields);
  }

  /** Sorts positions by time, newest first, then by sequence number, highest first. */
  private static void newestFirst(int[] hits, IndexColumns columns) throws IOException {
    long[] nanos = columns.longs(LuceneQueries.TIMESTAMP);
    long[] seqs = columns.longs(LuceneQueries.SEQ);
    new IntroSorter() {
      private int pivot;

      @Override
      protected void swap(int i, int j) {
        int t = hits[i];
        hits[i] = hits[j];
        hits[j] = t;
      }

      @Override
      protected void setPivot(int i) {
        pivot = hits[i];
      }

      @Override
      protected int comparePivot(int j) {
        int c = Long.compare(nanos[hits[j]], nanos[pivot]);
        return c != 0 ? c : Long.compare(seqs[hits[j]], seqs[pivot]);
      }
    }.sort(0, hits.length);
  }

  /** {@code hits} stably sorted by {@code order}. */
  private static int[] sorted(int[] hits, Comparator<Integer> order) {
    List<Integer> list = new ArrayList<>(hits.length);
    for (int hit : hits) {
      list.add(hit);
    }
    list.sort(order);
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  private static Table onTable(Table table, Stage stage) {
    return switch (stage) {
      case Stage.Sort s -> table.sorted(s.keys());
      case Stage.Head h -> table.head(h.count());
      case Stage.Fields f -> table.select(f.names());
      default -> throw new IllegalStateException("the parser lets no " + stage + " follow a table");
    };
  }

  /** Hits by the sort keys, each by its smallest (ascending) or largest (descending) value. */
  private static Comparator<Integer> order(IndexColumns columns, List<Stage.SortKey> keys)
      throws IOException {
    Comparator<Integer> order = (a, b) -> 0;
    for (Stage.SortKey key : keys) {
      Comparator<Value> values = Table.absentLast(key.descending());
      List<Value> sortValues = new ArrayList<>(columns.size());
      for (List<Value> v : columns.values(key.name())) {
        sortValues.add(v.stream().min(values).orElse(Value.ABSENT));
      }
      order = order.thenComparing(sortValues::get, values);
    }
    return order;
  }

  private static Table stats(IndexColumns columns, int[] hits, Stage.Stats stats)
      throws IOException {
    if (stats.by().size() == 1
        && stats.aggregations().stream().allMatch(a -> a instanceof Aggregation.Count)
        && IndexColumns.hasOrdinals(stats.by().get(0))) {
      // The common "count by one field": counted by the index's ordinals, no value per hit.
      List<String> header = new ArrayList<>(stats.by());
      stats.aggregations().forEach(a -> header.add(a.column()));
      List<List<Value>> rows = new ArrayList<>();
      columns
          .count(stats.by().get(0), hits)
          .forEach(
              (value, count) -> {
                List<Value> row = new ArrayList<>(header.size());
                row.add(value);
                stats.aggregations().forEach(a -> row.add(new Value.Int(count)));
                rows.add(row);
              });
      return new Table(header, rows).sorted(List.of(new Stage.SortKey(header.get(0), false)));
    }
    List<List<List<Value>>> keys = new ArrayList<>();
    for (String field : stats.by()) {
      keys.add(columns.values(field));
    }
    Groups groups = new Groups(columns, stats.aggregations());
    for (int hit : hits) {
      groups.add(hit, keys);
    }
    if (stats.by().isEmpty() && hits.length == 0) {
      groups.addEmpty();
    }
    return groups.table(stats.by());
  }

  private static Table timechart(
      IndexColumns columns, long[] nanos, int[] hits, Stage.Timechart chart) throws IOException {
    List<List<List<Value>>> keys = new ArrayList<>();
    keys.add(buckets(nanos, chart.span()));
    List<String> keyColumns = new ArrayList<>(List.of("_time"));
    if (chart.by().isPresent()) {
      keys.add(columns.values(chart.by().get()));
      keyColumns.add(chart.by().get());
    }
    Groups groups = new Groups(columns, chart.aggregations());
    for (int hit : hits) {
      groups.add(hit, keys);
    }
    return groups.table(keyColumns);
  }

  /** The bucket start of every document: its time rounded down to a multiple of the span. */
  private static List<List<Value>> buckets(long[] nanos, Duration span) {
    long width = span.toNanos();
    List<List<Value>> out = new ArrayList<>(nanos.length);
    for (long n : nanos) {
      out.add(List.of(new Value.Time(IndexColumns.instant(n - Math.floorMod(n, width)))));
    }
    return out;
  }

  private static Table top(IndexColumns columns, int[] hits, Stage.Top top) throws IOException {
    Map<Value, Long> counts;
    if (IndexColumns.hasOrdinals(top.field())) {
      counts = columns.count(top.field(), hits);
    } else {
      counts = new HashMap<>();
      List<List<Value>> values = columns.values(top.field());
      for (int hit : hits) {
        List<Value> v = values.get(hit);
        if (v.isEmpty()) {
          counts.merge(Value.ABSENT, 1L, Long::sum);
        }
        for (Value value : v) {
          counts.merge(value, 1L, Long::sum);
        }
      }
    }
    List<Map.Entry<Value, Long>> entries = new ArrayList<>(counts.entrySet());
    Comparator<Value> byValue = Table.absentLast(false);
    entries.sort(
        Comparator.<Map.Entry<Value, Long>>comparingLong(Map.Entry::getValue)
            .reversed()
            .thenComparing(Map.Entry::getKey, byValue));
    List<List<Value>> rows = new ArrayList<>();
    for (Map.Entry<Value, Long> e : entries.subList(0, Math.min(top.count(), entries.size()))) {
      rows.add(List.of(e.getKey(), new Value.Int(e.getValue())));
    }
    return new Table(List.of(top.field(), new Aggregation.Count().column()), rows);
  }

  /** Counts and distinct values per group key, filled one hit at a time. */
  private static final class Groups {
    private final List<Aggregation> aggregations;
    private final List<List<List<Value>>> distinctColumns = new ArrayList<>();
    private final Map<List<Value>, Accumulator> groups = new HashMap<>();

    Groups(IndexColumns columns, List<Aggregation> aggregations) throws IOException {
      this.aggregations = aggregations;
      for (Aggregation a : aggregations) {
        distinctColumns.add(
            a instanceof Aggregation.DistinctCount dc ? columns.values(dc.field()) : List.of());
      }
    }

    /** Adds {@code hit} to the group of every combination of its key values. */
    void add(int hit, List<List<List<Value>>> keys) {
      addCombinations(hit, keys, new Value[keys.size()], 0);
    }

    private void addCombinations(int hit, List<List<List<Value>>> keys, Value[] key, int k) {
      if (k == keys.size()) {
        groups.computeIfAbsent(List.of(key), x -> new Accumulator(aggregations.size())).add(hit);
        return;
      }
      List<Value> values = keys.get(k).get(hit);
      if (values.isEmpty()) {
        key[k] = Value.ABSENT;
        addCombinations(hit, keys, key, k + 1);
      }
      for (Value v : values) {
        key[k] = v;
        addCombinations(hit, keys, key, k + 1);
      }
    }

    /** The one row of {@code stats} without {@code by} over no events: zeros. */
    void addEmpty() {
      groups.put(List.of(), new Accumulator(aggregations.size()));
    }

    Table table(List<String> keyColumns) {
      List<String> header = new ArrayList<>(keyColumns);
      aggregations.forEach(a -> header.add(a.column()));
      List<List<Value>> rows = new ArrayList<>(groups.size());
      groups.forEach(
          (key, accumulator) -> {
            List<Value> row = new ArrayList<>(key);
            for (int a = 0; a < aggregations.size(); a++) {
              row.add(new Value.Int(accumulator.result(a, aggregations.get(a))));
            }
            rows.add(row);
          });
      return new Table(header, rows)
          .sorted(keyColumns.stream().map(c -> new Stage.SortKey(c, false)).toList());
    }

    private final class Accumulator {
      private long count;
      private final List<Set<Value>> distinct = new ArrayList<>();

      Accumulator(int size) {
        for (int a = 0; a < size; a++) {
          distinct.add(new HashSet<>());
        }
      }

      void add(int hit) {
        count++;
        for (int a = 0; a < aggregations.size(); a++) {
          if (aggregations.get(a) instanceof Aggregation.DistinctCount) {
            distinct.get(a).addAll(distinctColumns.get(a).get(hit));
          }
        }
      }

      long result(int a, Aggregation aggregation) {
        return aggregation instanceof Aggregation.Count ? count : distinct.get(a).size();
      }
    }
  }

  /** Collects the global ids of every matching document, in increasing order. */
  static final class AllDocs implements CollectorManager<AllDocs.Collector, int[]> {
    @Override
    public Collector newCollector() {
      return new Collector();
    }

    @Override
    public int[] reduce(Collection<Collector> collectors) {
      int total = collectors.stream().mapToInt(c -> c.size).sum();
      int[] all = new int[total];
      int at = 0;
      for (Collector c : collectors) {
        System.arraycopy(c.docs, 0, all, at, c.size);
        at += c.size;
      }
      Arrays.sort(all);
      return all;
    }

    static final class Collector extends SimpleCollector {
      private int[] docs = new int[64];
      private int size;
      private int docBase;

      @Override
      protected void doSetNextReader(LeafReaderContext context) {
        docBase = context.docBase;
      }

      @Override
      public void collect(int doc) {
        if (size == docs.length) {
          docs = Arrays.copyOf(docs, size * 2);
        }
        docs[size++] = docBase + doc;
      }

      @Override
      public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
      }
    }
  }
}
