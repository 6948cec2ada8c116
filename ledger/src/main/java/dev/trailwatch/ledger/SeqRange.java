package dev.trailwatch.ledger;

/** The sequence numbers {@code [first, first + count)} given to one appended batch. */
public record SeqRange(long first, long count) {
  public SeqRange {
    if (first < 0 || count < 0) {
      throw new IllegalArgumentException("bad range: first=" + first + ", count=" + count);
    }
  }

  /** The last sequence number of the range; {@code first - 1} for an empty range. */
  public long last() {
    return first + count - 1;
  }

  public long end() {
    return first + count;
  }

  @Override
  public String toString() {
    return count == 0 ? "[]" : "[" + first + ".." + last() + "]";
  }
}
