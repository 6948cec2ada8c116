package dev.trailwatch.ledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every single-byte change of a signed note, anywhere (text, em dash, key name, base64, newlines),
 * makes {@link NoteVerifier#open} throw {@link NoteException}: it never returns text.
 */
class NoteTamperTest {
  private final NoteSigner log = NoteSigner.generate("log.example", TestRandom.secureRandom(21));
  private final NoteSigner witness =
      NoteSigner.generate("witness.example", TestRandom.secureRandom(22));
  private final String text =
      new Checkpoint("log.example", 17, new byte[32], List.of("time 1732254000123456789"))
          .toNoteText();

  @Test
  void everySingleByteReplacementIsRejected() {
    byte[] note = log.sign(text).getBytes(StandardCharsets.UTF_8);
    SplittableRandom random = TestRandom.forTest("everySingleByteReplacementIsRejected");
    int tried = 0;
    for (int i = 0; i < note.length; i++) {
      Set<Byte> replacements = new LinkedHashSet<>();
      replacements.add((byte) (note[i] + 1));
      replacements.add((byte) (note[i] - 1));
      replacements.add((byte) (note[i] ^ 0x80));
      replacements.add((byte) '\n');
      replacements.add((byte) random.nextInt(256));
      replacements.add((byte) random.nextInt(256));
      replacements.remove(note[i]);
      for (byte replacement : replacements) {
        byte[] tampered = note.clone();
        tampered[i] = replacement;
        assertRejected(log.verifier(), tampered, "byte " + i + " set to 0x" + hex(replacement));
        tried++;
      }
    }
    assertThat(tried).isGreaterThan(note.length * 3);
  }

  @Test
  void everySingleByteDeletionIsRejected() {
    byte[] note = log.sign(text).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < note.length; i++) {
      byte[] tampered = new byte[note.length - 1];
      System.arraycopy(note, 0, tampered, 0, i);
      System.arraycopy(note, i + 1, tampered, i, note.length - i - 1);
      assertRejected(log.verifier(), tampered, "byte " + i + " deleted");
    }
  }

  @Test
  void changesInACosignedNoteAreRejectedByBothKeys() {
    String signed = log.sign(text);
    String cosigned = signed + witnessLine();
    byte[] note = cosigned.getBytes(StandardCharsets.UTF_8);
    int textLength = text.getBytes(StandardCharsets.UTF_8).length;
    SplittableRandom random = TestRandom.forTest("changesInACosignedNote");
    for (int i = 0; i < textLength + 1; i++) {
      byte[] tampered = note.clone();
      byte replacement = (byte) (note[i] ^ (1 + random.nextInt(255)));
      tampered[i] = replacement;
      String where = "byte " + i + " of the text set to 0x" + hex(replacement);
      assertRejected(log.verifier(), tampered, where);
      assertRejected(witness.verifier(), tampered, where);
    }
  }

  private String witnessLine() {
    String cosig = witness.sign(text);
    return cosig.substring(cosig.lastIndexOf("\n\n") + 2);
  }

  private static void assertRejected(NoteVerifier verifier, byte[] tampered, String change) {
    // A reader decodes the file; invalid UTF-8 becomes U+FFFD, which changes the text as well.
    String note = new String(tampered, StandardCharsets.UTF_8);
    Throwable thrown = catchThrowable(() -> verifier.open(note));
    assertThat(thrown)
        .as(
            "%s accepted a note with %s (seed %d): %s",
            verifier, change, TestRandom.SEED, Arrays.toString(tampered))
        .isInstanceOf(NoteException.class);
  }

  private static String hex(byte b) {
    return HexFormat.of().toHexDigits(b);
  }
}
