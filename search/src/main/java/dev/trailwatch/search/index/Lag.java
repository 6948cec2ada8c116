package dev.trailwatch.search.index;

/**
 * How far the index is behind the ledger.
 *
 * @param entries ledger entries not indexed yet
 * @param seconds how long ago the ledger accepted the oldest of them; 0 when there is none
 */
public record Lag(long entries, double seconds) {
  public static final Lag NONE = new Lag(0, 0);
}
