package dev.trailwatch.search.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A table made by {@code stats}, {@code timechart} or {@code top}, with the operations the later
 * stages apply to it. Both evaluators use these operations, which only move rows and columns
 * around; what fills a table is computed by each evaluator on its own.
 *
 * @param columns column names: fields, {@code _time}, and aggregations like {@code count()}
 * @param rows one list of values per row, in column order
 */
public record Table(List<String> columns, List<List<Value>> rows) implements Result {
  public Table {
    columns = List.copyOf(columns);
    rows = rows.stream().map(List::copyOf).toList();
    for (List<Value> row : rows) {
      if (row.size() != columns.size()) {
        throw new IllegalArgumentException(
            "a row has " + row.size() + " values for " + columns.size() + " columns");
      }
    }
  }

  /**
   * {@code sort}: stable, so rows equal on every key keep their order; {@link Value#ABSENT} comes
   * last whether the key is ascending or descending.
   */
  Table sorted(List<Stage.SortKey> keys) {
    List<List<Value>> sorted = new ArrayList<>(rows);
    sorted.sort(order(keys));
    return new Table(columns, sorted);
  }

  /**
   * {@code sort} then {@code head n}, the same rows in the same order, without sorting every row:
   * the {@code n} first rows of the stable sort are kept in a bounded heap.
   */
  Table sortedHead(List<Stage.SortKey> keys, int n) {
    if (n >= rows.size()) {
      return sorted(keys);
    }
    Comparator<List<Value>> order = order(keys);
    Comparator<Integer> stable =
        (i, j) -> {
          int c = order.compare(rows.get(i), rows.get(j));
          return c != 0 ? c : Integer.compare(i, j);
        };
    PriorityQueue<Integer> kept = new PriorityQueue<>(n + 1, stable.reversed());
    for (int i = 0; i < rows.size(); i++) {
      kept.add(i);
      if (kept.size() > n) {
        kept.poll();
      }
    }
    List<Integer> best = new ArrayList<>(kept);
    best.sort(stable);
    List<List<Value>> out = new ArrayList<>(best.size());
    best.forEach(i -> out.add(rows.get(i)));
    return new Table(columns, out);
  }

  private Comparator<List<Value>> order(List<Stage.SortKey> keys) {
    Comparator<List<Value>> order = (a, b) -> 0;
    for (Stage.SortKey key : keys) {
      int column = columns.indexOf(key.name());
      order = order.thenComparing(row -> row.get(column), absentLast(key.descending()));
    }
    return order;
  }

  /** {@code head}: the first {@code n} rows. */
  Table head(int n) {
    return new Table(columns, rows.subList(0, Math.min(n, rows.size())));
  }

  /** {@code fields}: these columns, in this order. */
  Table select(List<String> names) {
    int[] picked = names.stream().mapToInt(columns::indexOf).toArray();
    List<List<Value>> selected = new ArrayList<>(rows.size());
    for (List<Value> row : rows) {
      List<Value> out = new ArrayList<>(picked.length);
      for (int c : picked) {
        out.add(row.get(c));
      }
      selected.add(out);
    }
    return new Table(names, selected);
  }

  /**
   * Ascending or descending by {@link Value#compareTo}, with {@link Value#ABSENT} last either way.
   */
  static Comparator<Value> absentLast(boolean descending) {
    Comparator<Value> present = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
    return (a, b) -> {
      boolean absentA = a instanceof Value.Absent;
      boolean absentB = b instanceof Value.Absent;
      if (absentA || absentB) {
        return Boolean.compare(absentA, absentB);
      }
      return present.compare(a, b);
    };
  }
}
