package dev.trailwatch.ingest.file;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ingest.Unparsed;
import java.util.function.Consumer;

/**
 * A test format: every non-empty line is an event of {@code user.name: tester} with the line in
 * {@code message}; a line {@code boom} makes it throw (which parsers must not do) and a line {@code
 * nothing} makes it emit nothing (ditto).
 */
final class LinesParser implements RecordParser {
  private final Framing framing;

  LinesParser() {
    this(Framing.LINES);
  }

  LinesParser(Framing framing) {
    this.framing = framing;
  }

  @Override
  public String format() {
    return "test-lines";
  }

  @Override
  public Framing framing() {
    return framing;
  }

  @Override
  public void parse(String record, ParseContext context, Consumer<AccessEvent> out) {
    if (record.equals("boom")) {
      throw new IllegalStateException("boom");
    }
    if (record.equals("nothing")) {
      return;
    }
    if (record.isEmpty()) {
      out.accept(Unparsed.of(record, "empty line", context));
      return;
    }
    out.accept(
        AccessEvent.builder()
            .timestamp(context.receivedAt())
            .action("line")
            .outcome(Outcome.UNKNOWN)
            .dataset("test")
            .userName("tester")
            .message(record)
            .label("test.parsed", "yes")
            .build());
  }
}
