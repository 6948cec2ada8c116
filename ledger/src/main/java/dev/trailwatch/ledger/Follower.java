package dev.trailwatch.ledger;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Follows a live ledger from a sequence number, blocking for new entries: the consumer side of "the
 * ledger is the bus". A consumer remembers its position with {@link Cursors}. Not thread-safe: one
 * follower per consumer thread.
 */
public final class Follower implements AutoCloseable {
  private final Ledger ledger;
  private final RecordCursor cursor;

  Follower(Ledger ledger, SegmentSet segments, long fromSeq) {
    this.ledger = ledger;
    this.cursor = new RecordCursor(segments, fromSeq, ledger.size());
  }

  /** The sequence number of the next entry this follower returns. */
  public long position() {
    return cursor.expected();
  }

  /**
   * Returns up to {@code max} entries from the current position, waiting up to {@code timeout} for
   * at least one; an empty list when none arrived.
   *
   * @throws LedgerCorruptException if a stored record cannot be read
   */
  public List<Entry> poll(int max, Duration timeout) throws IOException, InterruptedException {
    List<Entry> out = new ArrayList<>();
    long size = ledger.size();
    if (size <= cursor.expected()) {
      size = ledger.awaitSize(cursor.expected(), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    cursor.setEnd(size);
    while (out.size() < max && cursor.next()) {
      SegmentReader r = cursor.reader();
      out.add(new Entry(r.seq(), r.ingestNanos(), r.copyPayload(), r.recordPosition()));
    }
    if (out.isEmpty() && cursor.problem().isPresent()) {
      LedgerProblem p = cursor.problem().get();
      throw new LedgerCorruptException(
          p.message(), p.file().orElse(segments(ledger)), p.offset(), p.seq());
    }
    return out;
  }

  private static java.nio.file.Path segments(Ledger ledger) {
    return Layout.segments(ledger.dataDir());
  }

  @Override
  public void close() throws IOException {
    cursor.close();
  }
}
