package dev.trailwatch.app.cli;

import dev.trailwatch.app.importing.RecordImport;
import dev.trailwatch.ingest.Formats;
import dev.trailwatch.ingest.JsonLines;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import dev.trailwatch.ledger.SignedCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trailwatch import}: access events from files into the ledger. */
@Command(
    mixinStandardHelpOptions = true,
    name = "import",
    description = {
      "Import access events from files into the ledger, durably, in file order.",
      "Lines that are not valid events are not dropped: each is stored as an unparsed event and"
          + " reported with its line number and reason.",
      "Files ending in .gz (or starting with gzip's magic bytes) are decompressed.",
      "Formats: ${COMPLETION-CANDIDATES}"
    })
final class ImportCommand implements Callable<Integer> {
  private static final int SHOW_REJECTED = 20;

  @Mixin DataDirOption data;

  @Option(
      names = {"--format", "-f"},
      paramLabel = "FORMAT",
      completionCandidates = FormatNames.class,
      description = {
        "Input format (default: guessed from the first file's first line, and said): ndjson (one"
            + " JSON event per line, ECS field names); syslog routes"
            + " each line by its program; sshd, sudo, su read auth.log-style syslog lines;"
            + " nginx, apache, apache_error, auditd, k8s-audit, cloudtrail, okta read those"
            + " logs. `trailwatch import --help` lists all."
      })
  String format;

  @Option(
      names = {"--config", "-c"},
      paramLabel = "FILE",
      defaultValue = "${env:TRAILWATCH_CONFIG}",
      description =
          "The server's YAML configuration, for the JSON formats declared under mappings (default:"
              + " $TRAILWATCH_CONFIG).")
  Path config;

  @Option(
      names = "--timezone",
      defaultValue = "UTC",
      paramLabel = "ZONE",
      description =
          "The zone of timestamps that carry none, as in BSD syslog (default UTC; e.g."
              + " Europe/Berlin). Their year is the latest that puts them not after now.")
  String timezone;

  @Option(
      names = "--witness",
      paramLabel = "PATH",
      defaultValue = "${env:TRAILWATCH_WITNESS}",
      description =
          "Also append every checkpoint to this folder or file on other storage (default:"
              + " $TRAILWATCH_WITNESS).")
  Path witness;

  @Option(
      names = "--verify",
      description =
          "When the import is durable, verify the whole ledger as `trailwatch verify` does (every"
              + " hash, the Merkle tree, every checkpoint's signature) and exit as it would.")
  boolean verify;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "Files to import; - for standard input.")
  List<String> files;

  @Spec CommandSpec spec;

  /**
   * On SIGTERM or Ctrl-C, closes the ledger (finishing accepted appends and signing a final
   * checkpoint) before the JVM exits, and says how far the import got.
   */
  private static final class Interruption implements AutoCloseable {
    private final Thread hook;

    void arm() {
      Runtime.getRuntime().addShutdownHook(hook);
    }

    Interruption(Ledger ledger, PrintStream err) {
      hook =
          new Thread(
              () -> {
                try {
                  ledger.close();
                  err.printf(
                      "%ntrailwatch: interrupted: the first %,d entries are durable and signed;"
                          + " importing the same file again would store its events twice%n",
                      ledger.size());
                } catch (IOException | RuntimeException e) {
                  err.println("trailwatch: interrupted: " + e.getMessage());
                }
              },
              "import-interrupted");
    }

    @Override
    public void close() {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook runs
      }
    }
  }

  /** The file as records: decompressed when gzip, split into lines when a JSON document. */
  private static InputStream open(String file, RecordParser parser) throws IOException {
    InputStream raw = file.equals("-") ? System.in : Files.newInputStream(Path.of(file));
    java.io.BufferedInputStream in = new java.io.BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    InputStream data = in;
    if (b1 == 0x1f && b2 == 0x8b) {
      data =
          new java.io.BufferedInputStream(new java.util.zip.GZIPInputStream(in, 1 << 16), 1 << 16);
    }
    if (parser.framing() == RecordParser.Framing.JSON && !parser.format().equals("ndjson")) {
      data.mark(1 << 20);
      byte[] head = data.readNBytes(1 << 20);
      data.reset();
      if (JsonLines.isDocument(head, head.length)) {
        data = new JsonLines(data, file);
      }
    }
    return data;
  }

  /** The format of the file, guessed from its start; says what it guessed. */
  private static String sniff(String file, PrintStream err) throws IOException {
    if (file.equals("-")) {
      return "ndjson";
    }
    byte[] head;
    try (InputStream in = open(file, new dev.trailwatch.ingest.parse.EcsJsonParser())) {
      head = in.readNBytes(64 << 10);
    }
    String guess =
        dev.trailwatch.ingest.Sniffer.sniff(head, head.length, file)
            .orElseThrow(
                () ->
                    new UserError(
                        file
                            + ": cannot tell its format from its first line; pass --format (see"
                            + " --help)"));
    String name = file.toLowerCase(java.util.Locale.ROOT).replaceFirst("\\.gz$", "");
    boolean obvious =
        guess.equals("ndjson") && (name.endsWith(".ndjson") || name.endsWith(".jsonl"));
    if (!obvious) {
      err.println(
          "trailwatch: " + file + " looks like " + guess + " (pass --format to say otherwise)");
    }
    return guess;
  }

  /** The names {@code --format} takes, for the help text. */
  static final class FormatNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Formats.standard().names().iterator();
    }
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    Formats formats;
    try {
      formats =
          config == null
              ? Formats.standard()
              : dev.trailwatch.app.server.ConfigLoader.load(Optional.of(config), java.util.Map.of())
                  .formats();
    } catch (dev.trailwatch.app.server.ConfigLoader.ConfigException e) {
      throw new UserError("configuration: " + e.getMessage());
    }
    if (format == null) {
      format = sniff(files.get(0), Cli.err(spec));
    }
    RecordParser parser =
        formats
            .get(format)
            .orElseThrow(
                () ->
                    new UserError(
                        "unknown --format '"
                            + format
                            + "'; use one of: "
                            + String.join(", ", formats.names())));
    java.time.ZoneId zone;
    try {
      zone = java.time.ZoneId.of(timezone);
    } catch (java.time.DateTimeException e) {
      throw new UserError(
          "--timezone '" + timezone + "' is not a time zone (e.g. UTC, Europe/Berlin, +02:00)");
    }
    RecordImport.RecordDecoder decoder =
        format.equals("ndjson")
            ? RecordImport.ndjson(InstantSource.system())
            : RecordImport.parser(
                parser, new ParseContext(java.time.Instant.now(), zone), InstantSource.system());
    long totalBytes = 0;
    for (String f : files) {
      if (!f.equals("-")) {
        Path p = Path.of(f);
        if (!Files.isRegularFile(p)) {
          throw new NoSuchFileException(f, null, "no such file (or not a regular file)");
        }
        totalBytes += Files.size(p);
      }
    }
    final long expectedBytes = totalBytes;
    PrintWriter out = spec.commandLine().getOut();
    PrintStream err = Cli.err(spec);
    long started = System.nanoTime();
    LedgerConfig config = LedgerConfig.of(data.dir()).withWitness(Optional.ofNullable(witness));
    long valid = 0;
    long unparsed = 0;
    long firstSeq = -1;
    long lastSeq = -1;
    SignedCheckpoint checkpoint;
    int[] shown = {0};
    try (Ledger ledger = Ledger.open(config);
        Progress progress = Progress.start("import", "MB", 1_000_000, totalBytes, err);
        Interruption interruption = new Interruption(ledger, err)) {
      interruption.arm();
      long[] before = {0};
      RecordImport.Listener listener =
          new RecordImport.Listener() {
            @Override
            public void bytesRead(long total) {
              progress.update(before[0] + total, expectedBytes);
            }

            @Override
            public void rejected(RecordImport.Rejected line) {
              if (shown[0]++ < SHOW_REJECTED) {
                err.println("trailwatch: " + line.describe() + " (stored as unparsed)");
              }
            }
          };
      RecordImport importer =
          new RecordImport(
              ledger, decoder, listener, Math.max(1, Runtime.getRuntime().availableProcessors()));
      for (String f : files) {
        RecordImport.Summary s;
        try (InputStream in = open(f, parser)) {
          s = importer.run(in, f);
        }
        before[0] += f.equals("-") ? 0 : Files.size(Path.of(f));
        valid += s.valid();
        unparsed += s.unparsed();
        if (s.events() > 0) {
          firstSeq = firstSeq < 0 ? s.first().first() : firstSeq;
          lastSeq = s.last().last();
        }
      }
      checkpoint = ledger.checkpoint();
      if (ledger.witnessProblem().isPresent()) {
        err.println(
            "trailwatch: warning: checkpoints could not be copied to the witness: "
                + ledger.witnessProblem().get());
      }
    }
    if (shown[0] > SHOW_REJECTED) {
      err.println(
          "trailwatch: ... and "
              + (shown[0] - SHOW_REJECTED)
              + " more lines stored as unparsed (see `trailwatch cat`: event.dataset is unparsed)");
    }
    double secs = (System.nanoTime() - started) / 1e9;
    long events = valid + unparsed;
    out.printf(
        "imported %,d events from %d file%s in %.2f s (%,.0f events/s): %,d valid, %,d stored as"
            + " unparsed%n",
        events,
        files.size(),
        files.size() == 1 ? "" : "s",
        secs,
        events / Math.max(secs, 1e-9),
        valid,
        unparsed);
    if (events > 0) {
      out.printf("entries %d..%d, durable%n", firstSeq, lastSeq);
    }
    out.printf(
        "checkpoint #%d: %,d entries, root %s, signed %s%n",
        checkpoint.index(),
        checkpoint.size(),
        HexFormat.of().formatHex(checkpoint.root()),
        checkpoint.time());
    if (verify) {
      return VerifyCommand.run(data.dir(), Optional.empty(), Optional.ofNullable(witness), spec);
    }
    return ExitCodes.OK;
  }
}
