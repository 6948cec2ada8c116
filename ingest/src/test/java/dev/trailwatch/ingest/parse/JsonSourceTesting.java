package dev.trailwatch.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.RecordParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Shared by the tests of the JSON source parsers: the context, the real data folder, parsing. */
final class JsonSourceTesting {
  static final ParseContext CTX =
      new ParseContext(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  private static final Path DATA =
      Path.of(System.getProperty("trailwatch.shared.data", "../shared/data"));

  private JsonSourceTesting() {}

  /** A file or folder of the shared real data; the test is skipped, saying why, when absent. */
  static Path data(String relative) {
    Path p = DATA.resolve(relative);
    assumeTrue(
        Files.exists(p),
        "shared test data not found at "
            + p.toAbsolutePath()
            + " (set -Dtrailwatch.shared.data=<folder>)");
    return p;
  }

  /** Every event the parser makes of the record. */
  static List<AccessEvent> parse(RecordParser parser, String record) {
    List<AccessEvent> out = new ArrayList<>();
    parser.parse(record, CTX, out::add);
    return out;
  }

  /** The one event of the record. */
  static AccessEvent one(RecordParser parser, String record) {
    List<AccessEvent> events = parse(parser, record);
    assertThat(events).as(record).hasSize(1);
    return events.get(0);
  }

  /** The one event of the record, which must be parsed. */
  static AccessEvent parsed(RecordParser parser, String record) {
    AccessEvent e = one(parser, record);
    assertThat(e.isUnparsed()).as("%s gave %s", record, e.labels()).isFalse();
    return e;
  }

  /** The one event of the record, which must be unparsed; its reason. */
  static String unparsedReason(RecordParser parser, String record) {
    AccessEvent e = one(parser, record);
    assertThat(e.isUnparsed()).as(record).isTrue();
    assertThat(e.message()).hasValue(record);
    return e.labels().get(AccessEvent.PARSE_ERROR_LABEL);
  }

  /** A field's value as text ({@code labels.x} too), or null. */
  static String get(AccessEvent e, String name) {
    return e.get(name).map(Object::toString).orElse(null);
  }
}
