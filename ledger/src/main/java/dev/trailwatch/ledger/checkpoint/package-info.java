/**
 * Signed checkpoints: the log's state as C2SP signed notes that an auditor verifies holding only a
 * public key.
 *
 * <ul>
 *   <li>{@link dev.trailwatch.ledger.checkpoint.NoteSigner} and {@link
 *       dev.trailwatch.ledger.checkpoint.NoteVerifier}: Ed25519 (the JDK's own) in the key and
 *       signature encodings of golang.org/x/mod/sumdb/note, so Go tooling reads our keys and notes.
 *   <li>{@link dev.trailwatch.ledger.checkpoint.Checkpoint}: the note text, per C2SP
 *       tlog-checkpoint.
 *   <li>{@link dev.trailwatch.ledger.checkpoint.NoteLog}: a file of notes, each followed by a blank
 *       line, read structurally with torn tails told apart from damage.
 *   <li>{@link dev.trailwatch.ledger.checkpoint.KeyFiles}: {@code signing.key} (0600) and {@code
 *       signing.pub}, written by rename.
 * </ul>
 *
 * Verify, then parse: read a checkpoint as {@code Checkpoint.parse(verifier.open(note))}, never the
 * other way round. Everything here is immutable or stateless, and thread-safe.
 */
package dev.trailwatch.ledger.checkpoint;
