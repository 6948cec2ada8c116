package dev.trailwatch.search.query;

/** What {@code stats} and {@code timechart} compute for each group. */
public sealed interface Aggregation {
  /** The column this aggregation fills: {@code count()}, {@code dc(user.name)}. */
  String column();

  /** {@code count()}: how many events are in the group. */
  record Count() implements Aggregation {
    @Override
    public String column() {
      return "count()";
    }
  }

  /**
   * {@code dc(field)}: how many distinct values of {@code field} the group's events have; events
   * without the field add none, and each value of a multi-valued field counts.
   */
  record DistinctCount(String field) implements Aggregation {
    @Override
    public String column() {
      return "dc(" + field + ")";
    }
  }
}
