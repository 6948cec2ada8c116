package dev.trailwatch.ledger;

import dev.trailwatch.ledger.checkpoint.Checkpoint;
import dev.trailwatch.ledger.checkpoint.NoteException;
import dev.trailwatch.ledger.checkpoint.NoteVerifier;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A checkpoint as the ledger writes it: the C2SP checkpoint body (origin, tree size, root hash)
 * plus two extension lines, {@code index N} (its position in the checkpoint log, from 0, so that a
 * removed checkpoint leaves a gap) and {@code time RFC3339} (when it was signed), and the whole
 * signed note.
 */
public record SignedCheckpoint(Checkpoint checkpoint, long index, Instant time, String note) {
  static final String INDEX = "index";
  static final String TIME = "time";

  public long size() {
    return checkpoint.size();
  }

  public byte[] root() {
    return checkpoint.rootHash();
  }

  /** Verifies the signature of {@code note} first, then parses it ("verify, then parse"). */
  public static SignedCheckpoint open(String note, NoteVerifier verifier) throws NoteException {
    String text = verifier.open(note);
    Checkpoint cp = Checkpoint.parse(text);
    String indexText =
        cp.extension(INDEX)
            .orElseThrow(
                () ->
                    new NoteException(
                        NoteException.Kind.MALFORMED_CHECKPOINT,
                        "checkpoint has no '" + INDEX + "' line"));
    String timeText =
        cp.extension(TIME)
            .orElseThrow(
                () ->
                    new NoteException(
                        NoteException.Kind.MALFORMED_CHECKPOINT,
                        "checkpoint has no '" + TIME + "' line"));
    long index;
    Instant time;
    try {
      index = Long.parseLong(indexText);
      time = Instant.parse(timeText);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new NoteException(
          NoteException.Kind.MALFORMED_CHECKPOINT,
          "checkpoint has an unreadable index or time line");
    }
    if (index < 0) {
      throw new NoteException(
          NoteException.Kind.MALFORMED_CHECKPOINT, "checkpoint has a negative index");
    }
    return new SignedCheckpoint(cp, index, time, note);
  }
}
