package dev.trailwatch.app.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailwatch.event.SystemEntry;
import dev.trailwatch.search.query.QueryException;
import dev.trailwatch.search.timeline.TimelineQuery;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The read endpoints, for role {@code viewer} and above: {@code GET /api/v1/events/{seq}} (one
 * stored entry, with {@code ?proof=true} its inclusion proof) and {@code GET /api/v1/timeline}.
 * Each handler has one place where who read what and how many results is known: where it answers
 * 200.
 */
final class ReadRoutes {
  /** Seconds until the next checkpoint: the ledger signs one every second while entries arrive. */
  static final int CHECKPOINT_RETRY_SECONDS = 1;

  private final Tokens tokens;
  private final Supplier<EventReads> reads;
  private final Supplier<AccessRecorder> recorder;

  /** Each read is recorded in the ledger through {@code recorder} before it is answered. */
  ReadRoutes(Tokens tokens, Supplier<EventReads> reads, Supplier<AccessRecorder> recorder) {
    this.tokens = tokens;
    this.reads = reads;
    this.recorder = recorder;
  }

  void routes(HttpRouting.Builder r) {
    r.get("/api/v1/events/{seq}", this::event)
        .any("/api/v1/events/{seq}", (req, res) -> notAllowed(res, "to read an entry"))
        .get("/api/v1/timeline", this::timeline)
        .any("/api/v1/timeline", (req, res) -> notAllowed(res, "for a timeline"));
  }

  private static void notAllowed(ServerResponse res, String what) {
    res.header(HeaderNames.ALLOW, "GET");
    HttpApi.error(res, 405, "use GET " + what);
  }

  private void event(ServerRequest req, ServerResponse res) throws Exception {
    Optional<Tokens.Entry> caller = HttpApi.caller(tokens, req, res, Role.VIEWER);
    if (caller.isEmpty()) {
      return;
    }
    String text = req.path().pathParameters().get("seq");
    long seq = -1;
    if (!text.isEmpty() && text.length() <= 18 && text.chars().allMatch(Character::isDigit)) {
      seq = Long.parseLong(text);
    }
    if (seq < 0) {
      HttpApi.error(
          res,
          400,
          "seq: '"
              + shorten(text)
              + "' is not an entry number; use a whole number from 0, like /api/v1/events/42");
      return;
    }
    Optional<String> proofText = req.query().first("proof").asOptional();
    if (proofText.isPresent() && !proofText.get().matches("true|false|1|0")) {
      HttpApi.error(res, 400, "proof: '" + shorten(proofText.get()) + "' is not true or false");
      return;
    }
    boolean proof = proofText.isPresent() && proofText.get().matches("true|1");
    EventReads service = reads.get();
    AccessRecorder audit = recorder.get();
    if (service == null || audit == null) {
      starting(res);
      return;
    }
    switch (service.entry(seq, proof)) {
      case EventReads.EntryAnswer.Found f -> {
        if (audit.recordOrRefuse(
            SystemEntry.read(caller.get().actor(), audit.now(), seq, 1), res, "the read")) {
          HttpApi.json(res, 200, f.body());
        }
      }
      case EventReads.EntryAnswer.Missing m ->
          HttpApi.error(
              res,
              404,
              "no entry "
                  + m.seq()
                  + ": the ledger holds "
                  + (m.size() == 0 ? "no entries yet" : "entries 0 to " + (m.size() - 1)));
      case EventReads.EntryAnswer.NotYetCovered n -> {
        ObjectNode body =
            HttpApi.error(
                "entry "
                    + n.seq()
                    + " is stored but not yet covered by a signed checkpoint (the latest covers"
                    + " entries below "
                    + n.checkpointSize()
                    + "); the next is signed within a second: retry after "
                    + CHECKPOINT_RETRY_SECONDS
                    + " s");
        body.put("seq", n.seq());
        body.put("checkpoint_size", n.checkpointSize());
        body.put("retry_after_seconds", CHECKPOINT_RETRY_SECONDS);
        res.header(HeaderNames.RETRY_AFTER, Integer.toString(CHECKPOINT_RETRY_SECONDS));
        HttpApi.json(res, 409, body);
      }
    }
  }

  private void timeline(ServerRequest req, ServerResponse res) throws Exception {
    Optional<Tokens.Entry> caller = HttpApi.caller(tokens, req, res, Role.VIEWER);
    if (caller.isEmpty()) {
      return;
    }
    TimelineQuery query;
    try {
      query =
          TimelineQuery.parse(
              req.query().first("entity").asOptional(),
              req.query().first("around").asOptional(),
              req.query().first("window").asOptional(),
              req.query().first("limit").asOptional(),
              Instant.now());
    } catch (QueryException e) {
      HttpApi.error(res, 400, e.problem());
      return;
    }
    EventReads service = reads.get();
    AccessRecorder audit = recorder.get();
    if (service == null || audit == null) {
      starting(res);
      return;
    }
    switch (service.timeline(query)) {
      case EventReads.TimelineAnswer.Found f -> {
        SystemEntry entry =
            SystemEntry.timeline(
                caller.get().actor(),
                audit.now(),
                query.entity().toString(),
                query.around().minus(query.window()),
                query.around().plus(query.window()),
                f.result().hits().size());
        if (audit.recordOrRefuse(entry, res, "the timeline")) {
          HttpApi.json(res, 200, f.body());
        }
      }
      case EventReads.TimelineAnswer.NoIndex n -> {
        res.header(HeaderNames.RETRY_AFTER, "2");
        HttpApi.error(res, 503, n.reason());
      }
    }
  }

  private static void starting(ServerResponse res) {
    res.header(HeaderNames.RETRY_AFTER, "2");
    HttpApi.error(res, 503, "the server is starting (recovering the ledger); retry");
  }

  private static String shorten(String s) {
    return dev.trailwatch.search.query.Words.shorten(s);
  }
}
