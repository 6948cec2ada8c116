package dev.trailwatch.ingest;

import dev.trailwatch.ingest.parse.AccessLogParser;
import dev.trailwatch.ingest.parse.ApacheErrorParser;
import dev.trailwatch.ingest.parse.AuditdParser;
import dev.trailwatch.ingest.parse.CloudTrailParser;
import dev.trailwatch.ingest.parse.EcsJsonParser;
import dev.trailwatch.ingest.parse.K8sAuditParser;
import dev.trailwatch.ingest.parse.OktaParser;
import dev.trailwatch.ingest.parse.ProgramParser;
import dev.trailwatch.ingest.parse.SshdParser;
import dev.trailwatch.ingest.parse.SuParser;
import dev.trailwatch.ingest.parse.SudoParser;
import dev.trailwatch.ingest.parse.SyslogFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every format Trailwatch reads, by the name {@code --format} and the configuration use. */
public final class Formats {
  private final Map<String, RecordParser> byName;
  private final SyslogFormat syslog;

  private Formats(Map<String, RecordParser> byName, SyslogFormat syslog) {
    this.byName = Collections.unmodifiableMap(byName);
    this.syslog = syslog;
  }

  /** The formats built into Trailwatch. */
  public static Formats standard() {
    List<ProgramParser> programs = programParsers();
    Map<String, RecordParser> byName = new LinkedHashMap<>();
    SyslogFormat syslog = new SyslogFormat("syslog", programs, Optional.empty());
    byName.put("syslog", syslog);
    for (ProgramParser p : programs) {
      // A format named after a program: syslog lines, that program's parser for lines whose
      // program is missing or unknown.
      String name = p.programs().get(0);
      byName.putIfAbsent(name, new SyslogFormat(name, programs, Optional.of(p)));
    }
    // Formats of their own (plain lines or JSON), after the syslog ones so that a parser reading
    // both (nginx) is asked for plain lines when named.
    add(byName, new EcsJsonParser());
    add(byName, new K8sAuditParser());
    add(byName, new CloudTrailParser());
    add(byName, new OktaParser());
    add(byName, AccessLogParser.nginx());
    add(byName, AccessLogParser.apache());
    add(byName, new ApacheErrorParser());
    add(byName, new AuditdParser()); // raw audit.log lines; "audit" is the syslog form
    return new Formats(byName, syslog);
  }

  private static List<ProgramParser> programParsers() {
    return new ArrayList<>(
        List.of(
            new SshdParser(),
            AccessLogParser.nginx(),
            AccessLogParser.apache(),
            new SudoParser(),
            new SuParser(),
            new AuditdParser()));
  }

  private static void add(Map<String, RecordParser> byName, RecordParser parser) {
    RecordParser previous = byName.put(parser.format(), parser);
    if (previous != null && !(previous instanceof SyslogFormat)) {
      throw new IllegalStateException(
          "two formats named " + parser.format() + ": " + previous + " and " + parser);
    }
  }

  /**
   * These formats and more: applications' JSON formats declared in the configuration ({@code
   * MappedJsonParser}s). A name that is taken already is refused.
   */
  public Formats with(List<RecordParser> extra) {
    Map<String, RecordParser> all = new LinkedHashMap<>(byName);
    for (RecordParser p : extra) {
      if (all.containsKey(p.format())) {
        throw new IllegalArgumentException(
            "the format name '" + p.format() + "' is taken by a built-in format; choose another");
      }
      all.put(p.format(), p);
    }
    return new Formats(all, syslog);
  }

  /** The format with this name. */
  public Optional<RecordParser> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The names of every format, in the order of the documentation. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** The syslog format, routing by program: what the syslog receiver uses. */
  public SyslogFormat syslog() {
    return syslog;
  }
}
