package dev.trailwatch.ledger.checkpoint;

import static java.util.Objects.requireNonNull;

/**
 * A signed note, or the checkpoint inside one, was rejected. The {@link #kind()} tells the caller
 * what went wrong without parsing the message: a {@link Kind#MALFORMED_NOTE} is damage or a foreign
 * format, {@link Kind#NOT_SIGNED} usually means the wrong public key was configured, and {@link
 * Kind#INVALID_SIGNATURE} means the note was modified or forged. The message is meant for a person
 * and names the key (as {@code name+hash}) and, where there is one, the offending line.
 */
public final class NoteException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a note was rejected. */
  public enum Kind {
    /** Not a well-formed signed note: encoding, layout, a bad signature line, too many lines. */
    MALFORMED_NOTE,
    /** Well-formed, but no signature line carries the expected key name and key hash. */
    NOT_SIGNED,
    /** A signature line names the expected key, but its signature does not verify. */
    INVALID_SIGNATURE,
    /** The (verified) note text is not a valid checkpoint body. */
    MALFORMED_CHECKPOINT,
  }

  private final Kind kind;

  public NoteException(Kind kind, String message) {
    super(message);
    this.kind = requireNonNull(kind, "kind");
  }

  /** What kind of rejection this is. */
  public Kind kind() {
    return kind;
  }
}
