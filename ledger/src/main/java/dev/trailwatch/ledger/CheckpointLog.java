package dev.trailwatch.ledger;

import dev.trailwatch.ledger.checkpoint.NoteLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The file of every signed checkpoint, appended in order ({@code DIR/checkpoints}), and the same
 * format at a witness location: signed notes separated by a blank line, human-readable with {@code
 * cat}. An append is fsynced before the checkpoint counts as written.
 */
final class CheckpointLog {
  /** The notes of a checkpoint file as written, before any signature check. */
  record Contents(List<NoteLog.Entry> notes, Optional<NoteLog.Tail> tail) {
    /**
     * Whether the damage at the end of the file, if any, is what an interrupted append leaves: an
     * incomplete note, or garbage (zeros after a power loss) with no valid note after it.
     */
    boolean tailIsInterruptedWrite() {
      return tail.isEmpty()
          || tail.get().kind() == NoteLog.TailKind.INCOMPLETE
          || tail.get().nextNoteOffset().isEmpty();
    }
  }

  private CheckpointLog() {}

  static Contents read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Contents(List.of(), Optional.empty());
    }
    NoteLog.Parsed parsed = NoteLog.parse(bytes);
    return new Contents(parsed.entries(), parsed.tail());
  }

  static void append(Path file, String note) throws IOException {
    DurableFiles.appendDurably(file, NoteLog.frame(note));
  }

  /** Where a witness path puts this ledger's checkpoints: a folder gets one file per origin. */
  static Path witnessFile(Path witness, String origin) {
    if (Files.isDirectory(witness) || witness.toString().endsWith("/")) {
      return witness.resolve(origin.replaceAll("[^A-Za-z0-9._-]", "_") + ".checkpoints");
    }
    return witness;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
