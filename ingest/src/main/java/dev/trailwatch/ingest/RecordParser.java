package dev.trailwatch.ingest;

import dev.trailwatch.event.AccessEvent;
import java.util.function.Consumer;

/**
 * Turns the records of one log format into access events.
 *
 * <p>The contract every parser keeps, whatever the input:
 *
 * <ul>
 *   <li>It never throws (bar an {@link Error}) and never drops a record: each record gives at least
 *       one event, and a record that cannot be parsed, or that holds nothing this parser knows,
 *       gives an {@linkplain AccessEvent#unparsed unparsed} event holding the record and the
 *       reason.
 *   <li>Every event it makes carries {@code event.dataset} (the parser's name) and keeps the
 *       original record in {@code message}.
 *   <li>It takes time linear in the length of the record (no backtracking regular expressions over
 *       unbounded input), which the fuzz tests check.
 *   <li>It is thread-safe: one instance serves every receiver.
 * </ul>
 */
public interface RecordParser {
  /** The format's name, as {@code trailwatch import --format} takes it: {@code sshd}, ... */
  String format();

  /**
   * Parses one record: a line for line formats, one JSON value (without the surrounding array or
   * wrapper) for JSON formats.
   */
  void parse(String record, ParseContext context, Consumer<AccessEvent> out);

  /** How a file or stream of this format splits into records. */
  default Framing framing() {
    return Framing.LINES;
  }

  /** How records are delimited in a file or stream. */
  enum Framing {
    /** One record per line. */
    LINES,
    /**
     * A sequence of JSON values (NDJSON, concatenated or pretty-printed); a top-level array is a
     * sequence of records.
     */
    JSON
  }
}
