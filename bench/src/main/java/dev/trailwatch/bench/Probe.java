package dev.trailwatch.bench;

import dev.trailwatch.search.query.TimeRange;
import java.util.List;

/**
 * One query of {@link SearchVsPostgres} with its parameters, as each system is asked it: the
 * Trailwatch query (docs/QUERY.md) over a time range, and the SQL over the audit table with its
 * parameters (the time range comes first, as {@code ts >= ? and ts < ?}).
 *
 * @param kind which of the five queries
 * @param what the parameter, for the report (a user, a network, a needle, a day)
 * @param query the Trailwatch query
 * @param range its time range, {@code from} inclusive, {@code to} exclusive
 * @param sqlParameters the SQL's parameters after the two of the time range
 */
record Probe(Kind kind, String what, String query, TimeRange range, List<String> sqlParameters) {
  Probe {
    sqlParameters = List.copyOf(sqlParameters);
  }

  /**
   * The five queries, with their targets (median milliseconds), the Trailwatch query and
   * PostgreSQL's. The hit queries ask PostgreSQL for the total in the same statement ({@code
   * count(*) over ()}), as the search API's answer carries it.
   */
  enum Kind {
    USER_DAY(
        "events of one user in a day, newest 100",
        5,
        "select seq, count(*) over () from events where ts >= ? and ts < ? and user_name = ?"
            + " order by ts desc, seq desc limit 100"),
    ACTIONS_DAY(
        "count by action over a day",
        100,
        "select action, count(*) from events where ts >= ? and ts < ? group by action"),
    NETWORK_WEEK(
        "events from a /16 over 7 days, newest 100",
        10,
        "select seq, count(*) over () from events where ts >= ? and ts < ?"
            + " and source_ip << cast(? as inet) order by ts desc, seq desc limit 100"),
    NEEDLE_MONTH(
        "full-text needle in message over 30 days, newest 100",
        200,
        "select seq, count(*) over () from events where ts >= ? and ts < ? and message ilike ?"
            + " order by ts desc, seq desc limit 100"),
    TOP_IPS_WEEK(
        "stats count() by source.ip | sort -count | head 10 over 7 days",
        500,
        "select source_ip, count(*) from events where ts >= ? and ts < ? group by source_ip"
            + " order by count(*) desc, source_ip asc nulls last limit 10");

    final String title;
    final double targetMillis;
    final String sql;

    Kind(String title, double targetMillis, String sql) {
      this.title = title;
      this.targetMillis = targetMillis;
      this.sql = sql;
    }

    /** Whether the answer is events (a total and the newest 100), not a table. */
    boolean hits() {
      return this == USER_DAY || this == NETWORK_WEEK || this == NEEDLE_MONTH;
    }

    /** Whether the table's rows come in a defined order (else they are compared as a set). */
    boolean ordered() {
      return this == TOP_IPS_WEEK;
    }
  }
}
