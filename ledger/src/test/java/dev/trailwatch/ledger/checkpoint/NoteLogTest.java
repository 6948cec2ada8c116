package dev.trailwatch.ledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.ledger.checkpoint.NoteLog.Entry;
import dev.trailwatch.ledger.checkpoint.NoteLog.Parsed;
import dev.trailwatch.ledger.checkpoint.NoteLog.Tail;
import dev.trailwatch.ledger.checkpoint.NoteLog.TailKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Files of framed notes: round trips, torn tails at every byte, damage reported with offsets. */
class NoteLogTest {
  private final NoteSigner log =
      NoteSigner.generate("journal.example/\u00e9t\u00e9", TestRandom.secureRandom(41));
  private final NoteSigner witness =
      NoteSigner.generate("witness.example", TestRandom.secureRandom(42));

  private List<String> notes(SplittableRandom random, int count) {
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] root = new byte[32];
      random.nextBytes(root);
      List<String> extensions =
          random.nextBoolean() ? List.of("time " + random.nextLong(0, Long.MAX_VALUE)) : List.of();
      String text = new Checkpoint(log.name(), i, root, extensions).toNoteText();
      String note = log.sign(text);
      if (random.nextInt(3) == 0) { // a witness cosignature, as the witness location holds them
        String cosigned = witness.sign(text);
        note += cosigned.substring(cosigned.lastIndexOf("\n\n") + 2);
      }
      notes.add(note);
    }
    return notes;
  }

  private static byte[] file(List<String> notes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String note : notes) {
      out.writeBytes(NoteLog.frame(note));
    }
    return out.toByteArray();
  }

  @Test
  void frameAddsOneBlankLine() {
    String note = log.sign("a\n");

    assertThat(new String(NoteLog.frame(note), StandardCharsets.UTF_8)).isEqualTo(note + "\n");
  }

  @Test
  void frameRefusesWhatTheFileCannotHold() {
    // Source: C2SP signed-note (https://c2sp.org/signed-note), the example note; its text has an
    // empty line, which a note log cannot delimit.
    String quasimodo =
        "Ognuno sta solo sul cuor della terra\n"
            + "trafitto da un raggio di sole:\n"
            + "\n"
            + "ed \u00e8 subito sera.\n"
            + "\n"
            + "\u2014 quasimodo.example/salvatore"
            + " NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";

    assertThatThrownBy(() -> NoteLog.frame(quasimodo))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("its text has an empty line");
    assertThatThrownBy(() -> NoteLog.frame("not a note\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot log this note: malformed note:");
  }

  @Test
  void manyNotesRoundTrip() throws NoteException {
    SplittableRandom random = TestRandom.forTest("manyNotesRoundTrip");
    List<String> notes = notes(random, 200);
    byte[] file = file(notes);

    Parsed parsed = NoteLog.parse(file);

    assertThat(parsed.isClean()).as("seed %d", TestRandom.SEED).isTrue();
    assertThat(parsed.entries()).extracting(Entry::note).containsExactlyElementsOf(notes);
    assertThat(parsed.validLength()).isEqualTo(file.length);
    long offset = 0;
    for (int i = 0; i < notes.size(); i++) {
      Entry entry = parsed.entries().get(i);
      int length = notes.get(i).getBytes(StandardCharsets.UTF_8).length;
      assertThat(entry.offset()).as("entry %d, seed %d", i, TestRandom.SEED).isEqualTo(offset);
      assertThat(entry.length()).as("entry %d, seed %d", i, TestRandom.SEED).isEqualTo(length);
      assertThat(new String(file, (int) entry.offset(), entry.length(), StandardCharsets.UTF_8))
          .isEqualTo(entry.note());
      assertThat(Checkpoint.parse(log.verifier().open(entry.note())).size()).isEqualTo(i);
      offset = entry.end();
    }
  }

  @Test
  void emptyFileHasNoNotes() {
    Parsed parsed = NoteLog.parse(new byte[0]);

    assertThat(parsed.entries()).isEmpty();
    assertThat(parsed.isClean()).isTrue();
    assertThat(parsed.validLength()).isZero();
  }

  @Test
  void truncationAtEveryByteKeepsCompleteNotesAndReportsAnIncompleteTail() throws NoteException {
    SplittableRandom random = TestRandom.forTest("truncationAtEveryByte");
    List<String> notes = notes(random, 6);
    byte[] file = file(notes);
    List<Long> ends = new ArrayList<>();
    long end = 0;
    for (String note : notes) {
      end += note.getBytes(StandardCharsets.UTF_8).length + 1;
      ends.add(end);
    }

    for (int cut = 0; cut <= file.length; cut++) {
      Parsed parsed = NoteLog.parse(Arrays.copyOf(file, cut));
      final int at = cut;
      int complete = (int) ends.stream().filter(e -> e <= at).count();
      String why = "cut at " + cut + " of " + file.length + ", seed " + TestRandom.SEED;

      assertThat(parsed.entries())
          .as(why)
          .extracting(Entry::note)
          .containsExactlyElementsOf(notes.subList(0, complete));
      long valid = complete == 0 ? 0 : ends.get(complete - 1);
      assertThat(parsed.validLength()).as(why).isEqualTo(valid);
      if (cut == valid) {
        assertThat(parsed.tail()).as(why).isEmpty();
      } else {
        Tail tail = parsed.tail().orElseThrow();
        assertThat(tail.kind()).as(why + ": " + tail.reason()).isEqualTo(TailKind.INCOMPLETE);
        assertThat(tail.offset()).as(why).isEqualTo(valid);
        assertThat(tail.length()).as(why).isEqualTo(cut - valid);
        assertThat(tail.reason())
            .as(why)
            .isEqualTo(
                "incomplete note at end of file (interrupted write?): "
                    + (cut - valid)
                    + " bytes from offset "
                    + valid);
        parsed.throwIfMalformed(); // an incomplete tail is not an error
      }
    }
  }

  @Test
  void garbageInTheMiddleIsReportedWithItsOffset() {
    SplittableRandom random = TestRandom.forTest("garbageInTheMiddle");
    List<String> notes = notes(random, 3);
    byte[] first = NoteLog.frame(notes.get(0));
    record Case(String garbage, String problem) {}
    List<Case> cases =
        List.of(
            new Case("garbage\n\n", "line 3 (offset "),
            new Case(
                "\n", "line 1 (offset " + first.length + "): empty line where a note should start"),
            new Case("\u0000\u0000\u0000\u0000\n", "contains a control character U+0000"),
            new Case("x\n\n\u2014 \n\n", "line 3 (offset "),
            new Case("x\n\n\n", "expected a signature line, found an empty line"));
    for (Case c : cases) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(first);
      out.writeBytes(c.garbage().getBytes(StandardCharsets.UTF_8));
      int nextOffset = out.size();
      out.writeBytes(NoteLog.frame(notes.get(1)));
      out.writeBytes(NoteLog.frame(notes.get(2)));

      Parsed parsed = NoteLog.parse(out.toByteArray());

      String why = c.garbage() + ", seed " + TestRandom.SEED;
      assertThat(parsed.entries()).as(why).extracting(Entry::note).containsExactly(notes.get(0));
      Tail tail = parsed.tail().orElseThrow();
      assertThat(tail.kind()).as(why).isEqualTo(TailKind.MALFORMED);
      assertThat(tail.offset()).as(why).isEqualTo(first.length);
      assertThat(tail.reason())
          .as(why)
          .startsWith("malformed note at offset " + first.length + ": ")
          .contains(c.problem())
          .contains("; a well-formed note follows at offset ");
      // The search starts notes only after an empty line: after garbage that does not end in
      // one, the note after the next is the first it finds.
      long afterNext = nextOffset + NoteLog.frame(notes.get(1)).length;
      assertThat(tail.nextNoteOffset().orElseThrow()).as(why).isIn((long) nextOffset, afterNext);
      assertThat(tail.reason()).endsWith("offset " + tail.nextNoteOffset().getAsLong());
      assertThatThrownBy(parsed::throwIfMalformed)
          .isInstanceOf(NoteException.class)
          .hasMessage(tail.reason());
    }
  }

  @Test
  void damageInsideANoteIsReportedAtThatNote() {
    SplittableRandom random = TestRandom.forTest("damageInsideANote");
    List<String> notes = notes(random, 4);
    byte[] file = file(notes);
    int secondStart = NoteLog.frame(notes.get(0)).length;
    int thirdStart = secondStart + NoteLog.frame(notes.get(1)).length;
    // Replace the em dash of the second note's first signature line.
    int dash = indexOf(file, "\u2014".getBytes(StandardCharsets.UTF_8), secondStart);
    file[dash] = '-';

    Parsed parsed = NoteLog.parse(file);

    Tail tail = parsed.tail().orElseThrow();
    assertThat(parsed.entries()).hasSize(1);
    assertThat(tail.kind()).isEqualTo(TailKind.MALFORMED);
    assertThat(tail.offset()).isEqualTo(secondStart);
    assertThat(tail.reason())
        .startsWith("malformed note at offset " + secondStart + ": line ")
        .contains("not valid UTF-8");
    assertThat(tail.nextNoteOffset()).hasValue(thirdStart);
  }

  @Test
  void garbageAtTheEndIsMalformedNotIncomplete() {
    SplittableRandom random = TestRandom.forTest("garbageAtTheEnd");
    byte[] first = file(notes(random, 1));
    for (String garbage : List.of("\u0000\u0000\u0000", "x\n\nnot a signature", "\n", "\u00ff")) {
      byte[] bytes = garbage.getBytes(StandardCharsets.ISO_8859_1);
      byte[] file = Arrays.copyOf(first, first.length + bytes.length);
      System.arraycopy(bytes, 0, file, first.length, bytes.length);

      Parsed parsed = NoteLog.parse(file);

      Tail tail = parsed.tail().orElseThrow();
      assertThat(parsed.entries()).hasSize(1);
      assertThat(tail.kind()).as(garbage).isEqualTo(TailKind.MALFORMED);
      assertThat(tail.offset()).isEqualTo(first.length);
      assertThat(tail.nextNoteOffset()).isEmpty();
    }
  }

  @Test
  void aTornNoteFollowedByANewOneIsCaughtByTheSignature() {
    SplittableRandom random = TestRandom.forTest("tornThenAppended");
    List<String> notes = notes(random, 2);
    byte[] torn = Arrays.copyOf(NoteLog.frame(notes.get(0)), 5);
    byte[] next = NoteLog.frame(notes.get(1));
    byte[] file = Arrays.copyOf(torn, torn.length + next.length);
    System.arraycopy(next, 0, file, torn.length, next.length);

    Parsed parsed = NoteLog.parse(file);

    assertThat(parsed.isClean()).isTrue(); // structurally one note: "journ" glued to the next
    assertThat(parsed.entries()).hasSize(1);
    assertThatThrownBy(() -> log.verifier().open(parsed.entries().get(0).note()))
        .isInstanceOf(NoteException.class)
        .extracting(e -> ((NoteException) e).kind())
        .isEqualTo(NoteException.Kind.INVALID_SIGNATURE);
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
