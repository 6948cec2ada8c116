package dev.trailwatch.ledger;

import java.io.IOException;
import java.util.Optional;

/**
 * Entries in sequence order. {@link #next()} returns false at the end, or at the first damaged or
 * missing record, which {@link #stoppedBy()} then describes: a reader reads what is intact and says
 * what is not. Not thread-safe.
 */
public final class EntryIterator implements AutoCloseable {
  private final RecordCursor cursor;

  EntryIterator(RecordCursor cursor) {
    this.cursor = cursor;
  }

  public boolean next() throws IOException {
    return cursor.next();
  }

  /** The current entry (a copy). */
  public Entry entry() {
    SegmentReader r = cursor.reader();
    return new Entry(r.seq(), r.ingestNanos(), r.copyPayload(), r.recordPosition());
  }

  public long seq() {
    return cursor.reader().seq();
  }

  /** Why the iteration ended before the end of the ledger, if it did. */
  public Optional<LedgerProblem> stoppedBy() {
    return cursor.problem();
  }

  @Override
  public void close() throws IOException {
    cursor.close();
  }
}
