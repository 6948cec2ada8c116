package dev.trailwatch.app.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.trailwatch.app.proof.ProofJson;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.event.Rfc3339;
import dev.trailwatch.ledger.Entry;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerReader;
import dev.trailwatch.ledger.Proof;
import dev.trailwatch.ledger.SignedCheckpoint;
import dev.trailwatch.search.index.EventDocuments;
import dev.trailwatch.search.index.Indexer;
import dev.trailwatch.search.index.SearchIndex;
import dev.trailwatch.search.timeline.Timeline;
import dev.trailwatch.search.timeline.TimelineQuery;
import dev.trailwatch.search.timeline.TimelineResult;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.lucene.search.IndexSearcher;

/**
 * What the read endpoints answer, without HTTP: one stored entry, with its inclusion proof against
 * the latest signed checkpoint, and the timeline of an entity. Entries are read from the ledger in
 * {@link #read(long)} only. Thread-safe.
 */
final class EventReads {
  private final Ledger ledger;
  private final LedgerReader reader;
  private final Supplier<Optional<Indexer>> indexer;

  /**
   * @param reader a reader of {@code ledger}, shared (it is thread-safe) and closed by the caller
   */
  EventReads(Ledger ledger, LedgerReader reader, Supplier<Optional<Indexer>> indexer) {
    this.ledger = ledger;
    this.reader = reader;
    this.indexer = indexer;
  }

  /** The answer for one entry. */
  sealed interface EntryAnswer {
    /** The entry as JSON, with its proof when one was asked for. */
    record Found(ObjectNode body) implements EntryAnswer {}

    /** No entry {@code seq}: the ledger holds {@code size} entries. */
    record Missing(long seq, long size) implements EntryAnswer {}

    /** The entry is stored but no signed checkpoint covers it yet. */
    record NotYetCovered(long seq, long checkpointSize) implements EntryAnswer {}
  }

  /** Entry {@code seq}; with {@code proof}, its inclusion proof against the latest checkpoint. */
  EntryAnswer entry(long seq, boolean proof) throws IOException {
    long size = ledger.size();
    if (seq < 0 || seq >= size) {
      return new EntryAnswer.Missing(seq, size);
    }
    Entry entry = read(seq, offsetOf(seq));
    ObjectNode body = entryJson(entry);
    if (proof) {
      SignedCheckpoint cp = ledger.latestCheckpoint();
      if (seq >= cp.size()) {
        return new EntryAnswer.NotYetCovered(seq, cp.size());
      }
      Proof.Inclusion inclusion;
      try (LedgerReader reader = ledger.reader()) {
        inclusion = reader.inclusion(seq, cp.size());
      }
      body.set(
          "proof",
          ProofJson.inclusion(
              ledger.origin(), entry, inclusion, cp.root(), Optional.of(cp.note())));
    }
    return new EntryAnswer.Found(body);
  }

  /**
   * The stored entry {@code seq}, which must be below the ledger's size: the one place where the
   * read endpoints read the ledger.
   */
  Entry read(long seq, long offsetHint) throws IOException {
    return reader
        .read(seq, offsetHint)
        .orElseThrow(
            () ->
                new IOException(
                    "entry " + seq + " cannot be read; `trailwatch verify` says what is wrong"));
  }

  /**
   * Where entry {@code seq}'s record starts, as the search index remembers it; -1 (the ledger then
   * finds it by scanning its segment) when the index is not open or has not reached it.
   */
  private long offsetOf(long seq) throws IOException {
    Optional<Indexer> running = indexer.get();
    if (running.isEmpty()) {
      return -1;
    }
    SearchIndex index = running.get().index();
    IndexSearcher searcher = index.acquire();
    try {
      return EventDocuments.offsetOf(searcher, seq).orElse(-1);
    } finally {
      index.release(searcher);
    }
  }

  /**
   * {@code {"seq", "ingested", "ingest_nanos", "kind", ...}}: an event's stored JSON, byte for
   * byte, under {@code event}; any other JSON (a system entry) under {@code payload}; anything else
   * as {@code payload_base64}.
   */
  static ObjectNode entryJson(Entry e) {
    ObjectNode o = HttpApi.JSON.createObjectNode();
    o.put("seq", e.seq());
    o.put("ingested", e.ingestTime().toString());
    o.put("ingest_nanos", e.ingestNanos());
    Optional<String> text = ProofJson.utf8(e.payload());
    if (text.isPresent() && isEvent(e.payload())) {
      o.put("kind", "event");
      o.putRawValue("event", new RawValue(text.get()));
    } else if (text.isPresent() && isJson(text.get())) {
      o.put("kind", "other");
      o.putRawValue("payload", new RawValue(text.get()));
    } else {
      o.put("kind", "other");
      o.put("payload_base64", Base64.getEncoder().encodeToString(e.payload()));
    }
    return o;
  }

  private static boolean isEvent(byte[] payload) {
    try {
      EventJson.decodeCanonical(payload);
      return true;
    } catch (RuntimeException notAnEvent) {
      return false;
    }
  }

  private static boolean isJson(String text) {
    try {
      return HttpApi.JSON.readTree(text) != null;
    } catch (IOException e) {
      return false;
    }
  }

  /** The answer for a timeline. */
  sealed interface TimelineAnswer {
    /** The timeline, and how far the index had come. */
    record Found(TimelineResult result, ObjectNode body) implements TimelineAnswer {}

    /** The search index is not open (starting, or it could not be opened). */
    record NoIndex(String reason) implements TimelineAnswer {}
  }

  /** The timeline {@code query} asks for, with each event as {@link #entryJson} shows it. */
  TimelineAnswer timeline(TimelineQuery query) throws IOException {
    Optional<Indexer> running = indexer.get();
    if (running.isEmpty()) {
      return new TimelineAnswer.NoIndex("the search index is not open (starting, or see /readyz)");
    }
    long position = running.get().position();
    SearchIndex index = running.get().index();
    IndexSearcher searcher = index.acquire();
    try {
      return timeline(query, position, searcher);
    } finally {
      index.release(searcher);
    }
  }

  private TimelineAnswer timeline(TimelineQuery query, long position, IndexSearcher searcher)
      throws IOException {
    TimelineResult result = new Timeline(searcher).run(query);
    ObjectNode body = HttpApi.JSON.createObjectNode();
    body.put("entity", query.entity().toString());
    body.put("from", Rfc3339.format(query.around().minus(query.window())));
    body.put("to", Rfc3339.format(query.around().plus(query.window())));
    body.put("total", result.total());
    body.put("truncated", result.truncated());
    ObjectNode followed = body.putObject("followed");
    ArrayNode ips = followed.putArray("source_ips");
    result.addresses().forEach(a -> ips.add(a.toString()));
    ArrayNode sessions = followed.putArray("sessions");
    result.sessions().forEach(sessions::add);
    followed.put("truncated", result.pivotsTruncated());
    body.putObject("index").put("position", position).put("ledger_size", ledger.size());
    ArrayNode events = body.putArray("events");
    for (TimelineResult.Hit hit : result.hits()) {
      ObjectNode e = events.addObject();
      e.put("seq", hit.seq());
      e.put("@timestamp", Rfc3339.format(hit.timestamp()));
      ArrayNode reasons = e.putArray("reasons");
      hit.reasons().forEach(reasons::add);
      e.setAll(entryJson(read(hit.seq(), EventDocuments.offsetOf(searcher, hit.seq()).orElse(-1))));
    }
    return new TimelineAnswer.Found(result, body);
  }
}
