package dev.trailwatch.ledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trailwatch.ledger.checkpoint.NoteVerifier.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link NoteVerifier#open} accepts and how it says no. */
class NoteVerifierTest {
  private static final String TEXT =
      "log.example\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
  private final NoteSigner log = NoteSigner.generate("log.example", TestRandom.secureRandom(11));
  private final NoteSigner witness =
      NoteSigner.generate("witness.example", TestRandom.secureRandom(12));
  private final NoteSigner otherLogKey =
      NoteSigner.generate("log.example", TestRandom.secureRandom(13));

  private static String signatureLine(String note) {
    return note.substring(note.lastIndexOf("\n\n") + 2);
  }

  @Test
  void ignoresSignaturesByOtherKeys() throws NoteException {
    String note = TEXT + "\n" + signatureLine(witness.sign(TEXT)) + signatureLine(log.sign(TEXT));

    assertThat(log.verifier().open(note)).isEqualTo(TEXT);
    assertThat(witness.verifier().open(note)).isEqualTo(TEXT);
  }

  @Test
  void ignoresASignatureWithOurNameButAnotherKeyHash() throws NoteException {
    String note =
        TEXT + "\n" + signatureLine(otherLogKey.sign(TEXT)) + signatureLine(log.sign(TEXT));

    assertThat(log.verifier().open(note)).isEqualTo(TEXT);
    assertThat(log.verifier().inspect(note).signatures())
        .extracting(NoteVerifier.Found::status)
        .containsExactly(Status.UNKNOWN_KEY, Status.VERIFIED);
  }

  @Test
  void notSignedNamesTheKeyAndWhatWasFound() {
    String note = witness.sign(TEXT);

    NoteException e = catchThrowableOfType(NoteException.class, () -> log.verifier().open(note));

    assertThat(e.kind()).isEqualTo(NoteException.Kind.NOT_SIGNED);
    assertThat(e)
        .hasMessage(
            "checkpoint is not signed by key "
                + log.verifier().keyId()
                + " (signatures found: "
                + witness.verifier().keyId()
                + ")");
  }

  @Test
  void notSignedHintsAtARotatedKey() {
    NoteException e =
        catchThrowableOfType(
            NoteException.class, () -> log.verifier().open(otherLogKey.sign(TEXT)));

    assertThat(e.kind()).isEqualTo(NoteException.Kind.NOT_SIGNED);
    assertThat(e).hasMessageContaining("is the verifier key out of date?");
  }

  @Test
  void invalidSignatureSaysTheNoteWasModified() {
    String signedOther = log.sign("log.example\n6\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    String forged = TEXT + "\n" + signatureLine(signedOther);

    NoteException e = catchThrowableOfType(NoteException.class, () -> log.verifier().open(forged));

    assertThat(e.kind()).isEqualTo(NoteException.Kind.INVALID_SIGNATURE);
    assertThat(e)
        .hasMessage(
            "signature by "
                + log.verifier().keyId()
                + " does not verify: the note was modified or signed by another key");
  }

  @Test
  void oneBadSignatureByOurKeyRejectsTheNoteEvenIfAnotherVerifies() {
    String good = signatureLine(log.sign(TEXT));
    String bad = signatureLine(log.sign("other\n"));

    assertThatThrownBy(() -> log.verifier().open(TEXT + "\n" + good + bad))
        .isInstanceOf(NoteException.class)
        .extracting(e -> ((NoteException) e).kind())
        .isEqualTo(NoteException.Kind.INVALID_SIGNATURE);
    assertThatThrownBy(() -> log.verifier().open(TEXT + "\n" + bad + good))
        .isInstanceOf(NoteException.class)
        .extracting(e -> ((NoteException) e).kind())
        .isEqualTo(NoteException.Kind.INVALID_SIGNATURE);
  }

  @Test
  void repeatedValidSignaturesAreFine() throws NoteException {
    String line = signatureLine(log.sign(TEXT));

    assertThat(log.verifier().open(TEXT + "\n" + line + line)).isEqualTo(TEXT);
  }

  @Test
  void acceptsOneHundredSignatureLinesButNotMore() throws NoteException {
    String ours = signatureLine(log.sign(TEXT));
    String theirs = signatureLine(witness.sign(TEXT));

    assertThat(log.verifier().open(TEXT + "\n" + theirs.repeat(99) + ours)).isEqualTo(TEXT);
    assertThatThrownBy(() -> log.verifier().open(TEXT + "\n" + theirs.repeat(100) + ours))
        .isInstanceOf(NoteException.class)
        .hasMessage("malformed note: more than 100 signature lines");
  }

  @Test
  void inspectReportsEveryLine() throws NoteException {
    String note =
        TEXT
            + "\n"
            + signatureLine(log.sign(TEXT))
            + signatureLine(witness.sign(TEXT))
            + signatureLine(log.sign("other\n"));

    NoteVerifier.Inspection inspection = log.verifier().inspect(note);

    assertThat(inspection.signatures())
        .extracting(NoteVerifier.Found::keyId, NoteVerifier.Found::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(log.verifier().keyId(), Status.VERIFIED),
            org.assertj.core.groups.Tuple.tuple(witness.verifier().keyId(), Status.UNKNOWN_KEY),
            org.assertj.core.groups.Tuple.tuple(log.verifier().keyId(), Status.INVALID));
    assertThat(inspection.toString())
        .isEqualTo(
            log.verifier().keyId()
                + " (verified), "
                + witness.verifier().keyId()
                + " (unknown key), "
                + log.verifier().keyId()
                + " (does not verify)");
  }

  @Test
  void rejectsMalformedNotes() {
    String line = signatureLine(log.sign(TEXT));
    String name = log.name();
    String base64 = line.substring(line.lastIndexOf(' ') + 1, line.length() - 1);
    record Case(String note, String message) {}
    List<Case> cases =
        List.of(
            new Case(TEXT, "no blank line separates the text from the signature lines"),
            new Case(TEXT + "\n", "no signature lines after the last blank line"),
            new Case(
                TEXT + "\n" + line.substring(0, line.length() - 1),
                "the last signature line does not end with a newline"),
            new Case(
                "\u0001" + TEXT + "\n" + line,
                "the note contains a control character U+0001 at index 0"),
            new Case(
                TEXT + "\n" + line + "Unexpected line.\n",
                "expected a signature line starting with an em dash and a space, found"
                    + " \"Unexpected line.\""),
            new Case(
                TEXT + "\n" + "\u2014 Bad Name " + base64 + "\n",
                "signature by \"Bad\" is not standard base64"),
            new Case(
                TEXT + "\n" + "\u2014 a+b " + base64 + "\n",
                "signature line has an invalid key name \"a+b\""),
            new Case(
                TEXT + "\n" + "\u2014 " + name + base64 + "\n",
                "signature line has no space between key name and signature: \"\u2014 "),
            new Case(TEXT + "\n" + "\u2014 " + name + " \n", "is too short"),
            new Case(TEXT + "\n" + "\u2014 " + name + " AAAAAA==\n", "is too short"),
            new Case(
                TEXT + "\n" + "\u2014 " + name + " " + base64.replace("=", "") + "\n",
                "is not standard base64: not canonical base64"),
            new Case(TEXT + "\n" + "- " + name + " " + base64 + "\n", "expected a signature line"),
            new Case(
                "\ud800" + TEXT + "\n" + line,
                "the note contains an unpaired surrogate U+D800 at index 0"));
    for (Case c : cases) {
      NoteException e =
          catchThrowableOfType(NoteException.class, () -> log.verifier().open(c.note()));
      assertThat(e).as("%s", c.note()).isNotNull();
      assertThat(e.kind()).as("%s", c.note()).isEqualTo(NoteException.Kind.MALFORMED_NOTE);
      assertThat(e.getMessage())
          .as("%s", c.note())
          .startsWith("malformed note: ")
          .contains(c.message());
    }
  }

  @Test
  void parseRejectsBadVerifierKeys() {
    String good = log.verifier().verifierKey();
    String key = good.substring(good.indexOf('+', good.indexOf('+') + 1) + 1);
    String hash = good.substring(good.indexOf('+') + 1, good.indexOf('+', good.indexOf('+') + 1));
    record Case(String key, String message) {}
    List<Case> cases =
        List.of(
            new Case("", "not a verifier key: expected name+hash+base64"),
            new Case("log.example", "got 1 part"),
            new Case("log.example+" + hash, "got 2 parts"),
            new Case("+" + hash + "+" + key, "invalid key name \"\""),
            new Case("log.example+ABCDEF12+" + key, "key hash must be 8 lowercase hex digits"),
            new Case("log.example+1234567+" + key, "key hash must be 8 lowercase hex digits"),
            new Case("log.example+00000000+" + key, "key hash mismatch in verifier key"),
            new Case("other.example+" + hash + "+" + key, "key hash mismatch in verifier key"),
            // 0x01 and 31 zero bytes, canonical base64: the length is what is wrong.
            new Case(
                "log.example+" + hash + "+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
                "must be 33 bytes"),
            new Case(
                good.substring(0, good.length() - 1) + "!", "public key is not standard base64"),
            new Case(log.signerKey(), "not a verifier key but a private signer key"));
    for (Case c : cases) {
      assertThatThrownBy(() -> NoteVerifier.parse(c.key()))
          .as("%s", c.key())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(c.message());
    }
  }

  @Test
  void parseRejectsBadSignerKeysWithoutEchoingThem() {
    String good = log.signerKey();
    String secret = good.substring(good.lastIndexOf('+') + 1);
    List<String> bad =
        List.of(
            good.substring("PRIVATE+".length()),
            good.replace("PRIVATE+KEY+", "PRIVATE+KEY+x"),
            good.substring(0, good.length() - 2),
            good.replace("+log.example+", "+other.example+"),
            good + "+extra");
    for (String key : bad) {
      assertThatThrownBy(() -> NoteSigner.parse(key))
          .as("%s", key)
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret.substring(4, 40)));
    }
  }
}
