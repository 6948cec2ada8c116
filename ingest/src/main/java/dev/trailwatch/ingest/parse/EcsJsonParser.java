package dev.trailwatch.ingest.parse;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Decoded;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ingest.Unparsed;
import java.util.function.Consumer;

/**
 * JSON already in the schema (the HTTP API's format, docs/EVENTS.md): nested or flat ECS names. An
 * invalid event is stored as unparsed with every problem found.
 */
public final class EcsJsonParser implements RecordParser {
  @Override
  public String format() {
    return "ndjson";
  }

  @Override
  public Framing framing() {
    return Framing.JSON;
  }

  @Override
  public void parse(String record, ParseContext context, Consumer<AccessEvent> out) {
    switch (EventJson.decode(record)) {
      case Decoded.Valid v -> out.accept(v.event());
      case Decoded.Invalid i -> out.accept(Unparsed.of(i.raw(), i.summary(), context));
    }
  }
}
