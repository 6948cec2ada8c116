package dev.trailwatch.ingest.parse;

import dev.trailwatch.event.AccessEvent;
import java.util.List;
import java.util.Optional;

/**
 * Reads the text of the syslog messages of one family of programs ({@code sshd}, {@code sudo},
 * ...). {@link SyslogFormat} does the rest: the header, routing by program, the fields every event
 * gets, and unparsed events for what no parser recognises.
 */
public interface ProgramParser {
  /**
   * The programs this parser reads, as {@link SyslogMessage#program()} names them; the first is
   * also the name of its format ({@code --format sshd}).
   */
  List<String> programs();

  /** The {@code event.dataset} of the events it makes. */
  String dataset();

  /**
   * The event the message describes, without what {@link SyslogFormat} fills in: {@code
   * event.dataset}, {@code message} (the raw line), {@code host.name}, the header's labels, and
   * {@code @timestamp} unless the text carries a better one. Empty when the text is not a message
   * this parser knows. Must not throw.
   */
  Optional<AccessEvent.Builder> parse(SyslogMessage message);
}
