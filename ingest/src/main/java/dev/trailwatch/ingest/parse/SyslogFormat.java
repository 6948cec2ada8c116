package dev.trailwatch.ingest.parse;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Field;
import dev.trailwatch.event.InvalidEventException;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ingest.Unparsed;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Syslog lines into events: the header by {@link SyslogParser}, the text by the {@link
 * ProgramParser} registered for the message's program. The format {@code syslog} routes every
 * message by its program; a format named after one program ({@code sshd}, {@code sudo}) routes the
 * same way but sends messages without a known program to that program's parser, so that a plain
 * auth.log imports with either.
 *
 * <p>What no parser recognises, and what is not syslog at all, is stored as unparsed: with the
 * header's time, host, program and labels when the header could be read.
 */
public final class SyslogFormat implements RecordParser {
  private final String name;
  private final Map<String, ProgramParser> byProgram = new HashMap<>();
  private final Optional<ProgramParser> fallback;

  /**
   * @param name the format's name
   * @param parsers the program parsers, the first to claim a program wins
   * @param fallback the parser for messages whose program none claims
   */
  public SyslogFormat(String name, List<ProgramParser> parsers, Optional<ProgramParser> fallback) {
    this.name = name;
    for (ProgramParser p : parsers) {
      for (String program : p.programs()) {
        byProgram.putIfAbsent(program, p);
      }
    }
    this.fallback = fallback;
  }

  @Override
  public String format() {
    return name;
  }

  @Override
  public void parse(String record, ParseContext context, Consumer<AccessEvent> out) {
    SyslogMessage m;
    try {
      m = SyslogParser.parse(record, context);
    } catch (SyslogParser.SyslogFormatException e) {
      out.accept(Unparsed.of(record, "not a syslog message: " + e.describe(), context));
      return;
    }
    out.accept(toEvent(m, context));
  }

  /** The event for a message whose header has been read (by this class or a receiver). */
  public AccessEvent toEvent(SyslogMessage m, ParseContext context) {
    ProgramParser parser = byProgram.get(m.program());
    if (parser == null) {
      parser = fallback.orElse(null);
    }
    if (parser == null) {
      return unparsed(
          m,
          m.appName().isEmpty()
              ? "no parser for syslog messages without a program name"
              : "no parser for the program " + Unparsed.quote(m.appName().get()),
          context);
    }
    Optional<AccessEvent.Builder> parsed;
    try {
      parsed = parser.parse(m);
    } catch (RuntimeException e) {
      // A parser bug must not lose the message.
      return unparsed(m, parser.dataset() + ": parser failed: " + e, context);
    }
    if (parsed.isEmpty()) {
      return unparsed(m, parser.dataset() + ": not a message this parser recognises", context);
    }
    AccessEvent.Builder b = parsed.get();
    b.dataset(parser.dataset()).message(m.raw());
    if (!b.has(Field.TIMESTAMP)) {
      b.timestamp(m.timestamp().orElse(context.receivedAt()));
    }
    if (!b.has(Field.HOST_NAME)) {
      m.hostname().ifPresent(b::hostName);
    }
    if (!b.has(Field.SERVICE_NAME) && !m.program().isEmpty()) {
      b.serviceName(m.program());
    }
    m.labels().forEach(b::label);
    try {
      return b.build();
    } catch (InvalidEventException e) {
      return unparsed(m, parser.dataset() + ": " + e.getMessage(), context);
    }
  }

  private static AccessEvent unparsed(SyslogMessage m, String reason, ParseContext context) {
    return Unparsed.of(
        m.raw(),
        reason,
        m.timestamp().orElse(context.receivedAt()),
        m.hostname().orElse(null),
        m.appName().orElse(null),
        m.labels());
  }
}
