package dev.trailwatch.app.server;

import dev.trailwatch.event.SystemEntry;
import dev.trailwatch.ledger.Ledger;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/**
 * Records who read the log, in the log (DESIGN.md, "Access to the logs"): every search, export and
 * read of events is appended to the ledger as a {@link SystemEntry}, durably, before (for searches
 * and reads) or right after (for exports) the caller gets the data. The search index skips these
 * entries; {@code trailwatch cat} and {@code verify} see them like any other.
 *
 * <p>Use from an endpoint that returns events, with the token's {@link Tokens.Entry#actor()}:
 *
 * <pre>{@code
 * recorder.record(SystemEntry.read(caller.actor(), recorder.now(), seq, found ? 1 : 0));
 * }</pre>
 *
 * If recording fails the endpoint should answer 503 rather than the data: a read that is not
 * recorded must not happen. Thread-safe: appends go through the ledger's group commit.
 */
public final class AccessRecorder {
  private final Ledger ledger;
  private final InstantSource clock;

  public AccessRecorder(Ledger ledger, InstantSource clock) {
    this.ledger = ledger;
    this.clock = clock;
  }

  /** The time to put in an entry recorded now. */
  public Instant now() {
    return clock.instant();
  }

  /**
   * Appends {@code entry} to the ledger and returns its sequence number once it is durable.
   *
   * @throws IOException when the ledger cannot store it (stopped after an error, closing)
   */
  public long record(SystemEntry entry) throws IOException, InterruptedException {
    try {
      return ledger.append(List.of(entry.toJson())).first();
    } catch (IllegalStateException closed) {
      throw new IOException("the ledger is closed: " + closed.getMessage(), closed);
    }
  }

  /**
   * Records {@code entry} for an endpoint about to answer with data; if it cannot, answers 503
   * instead (saying {@code what} could not be recorded) and returns false.
   */
  boolean recordOrRefuse(SystemEntry entry, ServerResponse res, String what)
      throws InterruptedException {
    try {
      record(entry);
      return true;
    } catch (IOException e) {
      res.header(HeaderNames.RETRY_AFTER, "5");
      HttpApi.error(
          res,
          503,
          what + " could not be recorded in the ledger, so it is not answered: " + e.getMessage());
      return false;
    }
  }
}
