package dev.trailwatch.app.server;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.ingest.EventSink;
import dev.trailwatch.ingest.Formats;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ingest.file.FilePositionStore;
import dev.trailwatch.ingest.file.FileTailer;
import dev.trailwatch.ingest.file.Position;
import dev.trailwatch.ledger.Entry;
import dev.trailwatch.ledger.EntryIterator;
import dev.trailwatch.ledger.LedgerReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The files named in {@code inputs.files}, followed like a log shipper ({@link FileTailer}).
 *
 * <p>Exactly once across crashes: positions are saved after each batch is durable, and at start the
 * ledger's entries after the saved position are searched for lines of the same file (their {@code
 * labels.log.*}), so a crash between "durable" and "position saved" does not store those lines
 * twice. The HTTP API refuses events that carry these labels, so that nobody can move a file's
 * position by sending a forged event.
 */
final class FileInputs implements AutoCloseable {
  private final List<FileTailer> tailers = new ArrayList<>();

  FileInputs(
      Path dataDir,
      List<ServerConfig.FileInput> inputs,
      Formats formats,
      ZoneId zone,
      EventSink sink,
      LedgerReader reader)
      throws IOException {
    Set<Path> seen = new HashSet<>();
    FilePositionStore positions = new FilePositionStore(dataDir.resolve("positions"));
    try {
      for (ServerConfig.FileInput in : inputs) {
        Path path = in.path().toAbsolutePath().normalize();
        if (!seen.add(path)) {
          throw new ConfigLoader.ConfigException(
              "inputs.files: " + path + " is listed twice; follow each file once");
        }
        RecordParser parser =
            formats
                .get(in.format())
                .orElseThrow(
                    () ->
                        new ConfigLoader.ConfigException(
                            "inputs.files: unknown format '"
                                + in.format()
                                + "' for "
                                + path
                                + "; use one of: "
                                + String.join(", ", formats.names())));
        FileTailer tailer =
            new FileTailer(FileTailer.Config.of(path, parser).withZone(zone), sink, positions);
        Optional<Position> saved = positions.load(path.toString());
        long after = saved.map(Position::lastSeq).orElse(Position.NO_SEQ);
        Optional<Position> fromLedger =
            FileTailer.fromStoredEvents(storedAfter(reader, after), path.toString());
        Optional<Position> from = fromLedger.or(() -> saved);
        if (from.isPresent()) {
          tailer.resumeFrom(from.get());
        } else {
          tailer.start();
        }
        tailers.add(tailer);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The events stored after {@code seq}, decoded lazily. */
  private static Iterable<AccessEvent> storedAfter(LedgerReader reader, long seq) {
    List<AccessEvent> out = new ArrayList<>();
    try (EntryIterator it = reader.entries(seq + 1)) {
      while (it.next()) {
        Entry e = it.entry();
        try {
          AccessEvent event = EventJson.decodeCanonical(e.payload());
          if (event.labels().containsKey(FileTailer.PATH_LABEL)) {
            out.add(event);
          }
        } catch (RuntimeException notAnEvent) {
          // system entries carry no file positions
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  List<FileTailer> tailers() {
    return tailers;
  }

  /** Stops following; what was read is stored and the positions saved. */
  @Override
  public void close() {
    for (FileTailer t : tailers) {
      t.close();
    }
  }

  /** Whether a label key is reserved for file inputs. */
  static boolean reservedLabel(String key) {
    return key.startsWith("log.file.") || key.equals("log.offset") || key.equals("log.next_offset");
  }
}
