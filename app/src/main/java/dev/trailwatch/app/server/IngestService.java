package dev.trailwatch.app.server;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.ingest.EventSink;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.http.BatchDecoder;
import dev.trailwatch.ingest.http.BatchDecoder.Item;
import java.io.IOException;
import java.io.InputStream;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code POST /api/v1/events} without HTTP: decodes a batch, drops retried events, stores the rest
 * and answers only once they are durable. The HTTP layer maps {@link Outcome}s to responses.
 */
final class IngestService {
  private final Store sink;
  private final RecentEventIds recent;
  private final DiskGuard disk;
  private final BooleanSupplier ready;
  private final ServerConfig.Ingest config;
  private final long maxBodyBytes;
  private final InstantSource clock;
  private final Semaphore pendingBytes;
  private final IngestStats stats;
  private final dev.trailwatch.ingest.noise.NoiseFilter noise;
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();

  IngestService(
      Store sink,
      RecentEventIds recent,
      DiskGuard disk,
      BooleanSupplier ready,
      ServerConfig config,
      InstantSource clock,
      IngestStats stats,
      dev.trailwatch.ingest.noise.NoiseFilter noise) {
    this.noise = noise;
    this.sink = sink;
    this.recent = recent;
    this.disk = disk;
    this.ready = ready;
    this.config = config.ingest();
    this.maxBodyBytes = config.http().maxBodyBytes();
    this.clock = clock;
    this.pendingBytes =
        new Semaphore((int) Math.min(Integer.MAX_VALUE, config.ingest().maxPendingBytes()));
    this.stats = stats;
  }

  /** Where batches go, already in canonical form: the ledger ({@link LedgerSink}). */
  interface Store {
    CompletableFuture<EventSink.Stored> storeCanonical(List<byte[]> payloads)
        throws InterruptedException;
  }

  /** What became of a request. */
  sealed interface Outcome {
    /** Stored (possibly nothing, when every event was a retry). */
    record Stored(
        long accepted,
        long unparsed,
        long dropped,
        Optional<EventSink.Stored> range,
        List<Rejected> rejected,
        List<Duplicate> duplicates)
        implements Outcome {}

    /** Strict mode and some events were invalid: nothing stored. */
    record Invalid(List<Rejected> rejected) implements Outcome {}

    /** A client error for the whole batch (400, 413). */
    record Refused(int status, String message) implements Outcome {}

    /** Cannot store now: retry after this many seconds (503). */
    record Unavailable(String message, int retryAfterSeconds) implements Outcome {}
  }

  /**
   * An element or line stored as unparsed.
   *
   * @param position its line (NDJSON) or element (array) number
   * @param reason why
   * @param seq where its unparsed event went, or -1 when nothing was stored
   */
  record Rejected(long position, String reason, long seq) {}

  /**
   * An event whose {@code event.id} was already stored.
   *
   * @param position its line or element number
   * @param eventId its id
   * @param seq where it was stored before, or -1 while that batch is still being written
   */
  record Duplicate(long position, String eventId, long seq) {}

  Outcome ingest(InputStream body, BatchDecoder.Framing framing, boolean gzip, boolean strict)
      throws IOException, InterruptedException {
    inFlight.incrementAndGet();
    try {
      return ingestCounted(body, framing, gzip, strict);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** Waits until no request is being handled (new ones are refused once not ready). */
  void awaitIdle(java.time.Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Outcome ingestCounted(
      InputStream body, BatchDecoder.Framing framing, boolean gzip, boolean strict)
      throws IOException, InterruptedException {
    if (!ready.getAsBoolean()) {
      return new Outcome.Unavailable("the server is not ready (starting or stopping); retry", 2);
    }
    Optional<String> full = disk.problem();
    if (full.isPresent()) {
      stats.refusedDiskFull.increment();
      return new Outcome.Unavailable(full.get(), 30);
    }
    BatchDecoder.Batch batch;
    try {
      batch =
          BatchDecoder.decode(
              body, framing, gzip, maxBodyBytes, new ParseContext(clock.instant(), ZoneOffset.UTC));
    } catch (BatchDecoder.TooLargeException e) {
      return new Outcome.Refused(413, e.getMessage() + "; split the batch");
    } catch (BatchDecoder.NotJsonException e) {
      return new Outcome.Refused(400, e.getMessage());
    }
    List<Item> items = refuseReservedLabels(batch.items());
    if (strict) {
      List<Rejected> bad = new ArrayList<>();
      for (Item i : items) {
        i.error().ifPresent(reason -> bad.add(new Rejected(i.position(), reason, -1)));
      }
      if (!bad.isEmpty()) {
        return new Outcome.Invalid(bad);
      }
    }

    // Retries: reserve every event.id before storing, so concurrent retries store one copy.
    List<Item> toStore = new ArrayList<>(items.size());
    List<Long> reserved = new ArrayList<>();
    List<Long> reservedAt = new ArrayList<>(); // index into toStore
    List<Duplicate> duplicates = new ArrayList<>();
    long dropped = 0;
    for (Item i : items) {
      // Only noise rules need the whole event; canonical lines are decoded for them alone.
      if (i.error().isEmpty() && !noise.rules().isEmpty() && !noise.keep(i.event())) {
        dropped++;
        continue;
      }
      Optional<String> id = i.eventId();
      if (id.isPresent() && i.error().isEmpty()) {
        long h = RecentEventIds.hash(i.tenant().orElse(""), id.get());
        Optional<Long> seen = recent.reserve(h);
        if (seen.isPresent()) {
          duplicates.add(new Duplicate(i.position(), id.get(), seen.get()));
          continue;
        }
        reserved.add(h);
        reservedAt.add((long) toStore.size());
      }
      toStore.add(i);
    }
    stats.duplicates.add(duplicates.size());
    stats.dropped.add(dropped);
    if (toStore.isEmpty()) {
      return new Outcome.Stored(0, 0, dropped, Optional.empty(), List.of(), duplicates);
    }

    List<byte[]> payloads = new ArrayList<>(toStore.size());
    long bytes = 0;
    for (Item i : toStore) {
      byte[] p = i.canonical();
      payloads.add(p);
      bytes += p.length;
    }
    int permits = (int) Math.min(bytes, config.maxPendingBytes());
    if (!pendingBytes.tryAcquire(permits, config.maxWaitMillis(), TimeUnit.MILLISECONDS)) {
      reserved.forEach(recent::release);
      stats.refusedBusy.increment();
      return new Outcome.Unavailable(
          "the ledger is behind: more than "
              + (config.maxPendingBytes() >> 20)
              + " MiB of batches are waiting to be written; retry",
          1);
    }
    EventSink.Stored stored;
    try {
      stored = sink.storeCanonical(payloads).get();
    } catch (ExecutionException e) {
      reserved.forEach(recent::release);
      Throwable cause = e.getCause();
      stats.failed.increment();
      return new Outcome.Unavailable(
          "the batch could not be stored: " + (cause == null ? e : cause.getMessage()), 5);
    } finally {
      pendingBytes.release(permits);
    }
    for (int k = 0; k < reserved.size(); k++) {
      recent.commit(reserved.get(k), stored.firstSeq() + reservedAt.get(k));
    }
    List<Rejected> rejected = new ArrayList<>();
    long accepted = 0;
    for (int k = 0; k < toStore.size(); k++) {
      Item i = toStore.get(k);
      if (i.error().isPresent()) {
        rejected.add(new Rejected(i.position(), i.error().get(), stored.firstSeq() + k));
      } else {
        accepted++;
      }
    }
    stats.accepted.add(accepted);
    stats.unparsed.add(rejected.size());
    return new Outcome.Stored(
        accepted, rejected.size(), dropped, Optional.of(stored), rejected, duplicates);
  }

  /** Events carrying the labels of file inputs become unparsed: they could move a file position. */
  private List<Item> refuseReservedLabels(List<Item> items) {
    List<Item> out = null;
    for (int k = 0; k < items.size(); k++) {
      Item i = items.get(k);
      if (i.error().isPresent()) {
        continue;
      }
      Optional<String> reserved =
          i.labelKeys().stream().filter(FileInputs::reservedLabel).findFirst();
      if (reserved.isPresent()) {
        if (out == null) {
          out = new ArrayList<>(items);
        }
        String reason =
            "labels."
                + reserved.get()
                + " is reserved for Trailwatch's file inputs; rename the label";
        out.set(
            k,
            new Item(
                i.position(),
                dev.trailwatch.ingest.Unparsed.of(
                    EventJson.canonicalString(i.event()),
                    reason,
                    new ParseContext(clock.instant(), ZoneOffset.UTC)),
                Optional.of("position " + i.position() + ": " + reason)));
      }
    }
    return out == null ? items : out;
  }

  /** Replays the newest entries of the ledger into the table of recent ids (at start-up). */
  static void remember(RecentEventIds recent, AccessEvent event, long seq) {
    event
        .event()
        .id()
        .ifPresent(id -> recent.remember(RecentEventIds.hash(event.tenant().orElse(""), id), seq));
  }
}
