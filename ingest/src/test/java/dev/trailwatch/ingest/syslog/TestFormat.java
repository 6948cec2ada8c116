package dev.trailwatch.ingest.syslog;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.parse.ProgramParser;
import dev.trailwatch.ingest.parse.SyslogFormat;
import dev.trailwatch.ingest.parse.SyslogMessage;
import java.util.List;
import java.util.Optional;

/**
 * A syslog format whose one program parser reads the test programs' messages: it keeps the text in
 * the label {@code test.text} and the app name in {@code service.name}, so that a test can see that
 * a message arrived parsed, with its header. Other programs are unparsed, as in production.
 */
final class TestFormat {
  static final String DATASET = "test";

  /** The programs the test parser claims. */
  static final List<String> PROGRAMS = List.of("twtest", "twapp", "twrelay");

  private TestFormat() {}

  static SyslogFormat create() {
    return new SyslogFormat("syslog", List.of(new TestPrograms()), Optional.empty());
  }

  private static final class TestPrograms implements ProgramParser {
    @Override
    public List<String> programs() {
      return PROGRAMS;
    }

    @Override
    public String dataset() {
      return DATASET;
    }

    @Override
    public Optional<AccessEvent.Builder> parse(SyslogMessage m) {
      AccessEvent.Builder b =
          AccessEvent.builder()
              .action("test_message")
              .outcome(Outcome.UNKNOWN)
              .userName("tester")
              .label("test.text", m.text());
      m.appName().ifPresent(b::serviceName);
      return Optional.of(b);
    }
  }
}
