package dev.trailwatch.ledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Generate, sign, open; keys survive their text forms; bad text is refused before signing. */
class NoteSignerTest {
  private static final String TEXT =
      "log.example/a\n17\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

  @Test
  void generateSignOpenRoundTrip() throws NoteException {
    SplittableRandom random = TestRandom.forTest("generateSignOpenRoundTrip");
    for (int i = 0; i < 20; i++) {
      long seed = random.nextLong();
      NoteSigner signer = NoteSigner.generate("log.example/" + i, TestRandom.secureRandom(seed));
      String text = "line " + i + "\nsecond line \u00e9\u4e2d\ud83d\ude00\n";
      String why = "seed " + TestRandom.SEED + ", key seed " + seed;

      String note = signer.sign(text);

      assertThat(note).as(why).startsWith(text + "\n\u2014 log.example/" + i + " ").endsWith("\n");
      assertThat(signer.verifier().open(note)).as(why).isEqualTo(text);
      assertThat(NoteVerifier.parse(signer.verifier().verifierKey()).open(note))
          .as(why)
          .isEqualTo(text);
    }
  }

  @Test
  void signatureLineCarriesKeyHashAndA64ByteSignature() {
    NoteSigner signer = NoteSigner.generate("log.example", TestRandom.secureRandom(1));
    String note = signer.sign(TEXT);
    String line = note.substring(TEXT.length() + 1, note.length() - 1);
    String[] parts = line.split(" ");

    assertThat(parts).hasSize(3);
    assertThat(parts[0]).isEqualTo("\u2014");
    assertThat(parts[1]).isEqualTo("log.example");
    byte[] decoded = Base64.getDecoder().decode(parts[2]);
    assertThat(decoded).hasSize(4 + 64);
    int hash =
        (decoded[0] & 0xff) << 24
            | (decoded[1] & 0xff) << 16
            | (decoded[2] & 0xff) << 8
            | decoded[3] & 0xff;
    assertThat(hash).isEqualTo(signer.keyHash());
  }

  @Test
  void signingIsDeterministic() {
    NoteSigner signer = NoteSigner.generate("log.example", TestRandom.secureRandom(2));

    assertThat(signer.sign(TEXT)).isEqualTo(signer.sign(TEXT));
  }

  @Test
  void textsWithBlankLinesRoundTrip() throws NoteException {
    NoteSigner signer = NoteSigner.generate("log.example", TestRandom.secureRandom(3));
    for (String text :
        List.of("\n", "a\n\nb\n", "a\n\n", "a\n\n\n", "\u2014 x y\n\n\u2014 z w\n")) {
      assertThat(signer.verifier().open(signer.sign(text))).as("%s", text).isEqualTo(text);
    }
  }

  @Test
  void signerKeyRoundTrips() {
    SplittableRandom random = TestRandom.forTest("signerKeyRoundTrips");
    for (int i = 0; i < 10; i++) {
      long seed = random.nextLong();
      NoteSigner signer = NoteSigner.generate("name-" + i, TestRandom.secureRandom(seed));
      String why = "seed " + TestRandom.SEED + ", key seed " + seed;

      NoteSigner parsed = NoteSigner.parse(signer.signerKey());

      assertThat(parsed).as(why).isEqualTo(signer).hasSameHashCodeAs(signer);
      assertThat(parsed.signerKey()).as(why).isEqualTo(signer.signerKey());
      assertThat(parsed.verifier()).as(why).isEqualTo(signer.verifier());
      assertThat(NoteVerifier.parse(signer.verifier().verifierKey()))
          .as(why)
          .isEqualTo(signer.verifier())
          .hasSameHashCodeAs(signer.verifier());
      assertThat(NoteVerifier.parse(signer.verifier().verifierKey()).keyHash())
          .as(why)
          .isEqualTo(signer.keyHash());
    }
  }

  @Test
  void jdkKeyObjectsRoundTrip() throws NoteException {
    NoteSigner signer = NoteSigner.generate("log.example", TestRandom.secureRandom(4));

    NoteSigner fromJdk = NoteSigner.of("log.example", signer.privateKey());
    NoteVerifier verifierFromJdk = NoteVerifier.of("log.example", signer.verifier().publicKey());

    assertThat(fromJdk).isEqualTo(signer);
    assertThat(verifierFromJdk).isEqualTo(signer.verifier());
    assertThat(verifierFromJdk.open(fromJdk.sign(TEXT))).isEqualTo(TEXT);
  }

  @Test
  void differentKeysAndNamesAreNotEqual() {
    NoteSigner a = NoteSigner.generate("log.example", TestRandom.secureRandom(5));
    NoteSigner b = NoteSigner.generate("log.example", TestRandom.secureRandom(6));
    NoteSigner renamed = NoteSigner.of("other.example", a.privateKey());

    assertThat(a).isNotEqualTo(b).isNotEqualTo(renamed);
    assertThat(a.verifier()).isNotEqualTo(b.verifier()).isNotEqualTo(renamed.verifier());
    assertThat(renamed.keyHash()).isNotEqualTo(a.keyHash());
  }

  @Test
  void toStringNeverShowsTheKey() {
    NoteSigner signer = NoteSigner.generate("log.example", TestRandom.secureRandom(7));
    String secret = signer.signerKey().substring(signer.signerKey().lastIndexOf('+') + 1);

    assertThat(signer.toString())
        .isEqualTo("NoteSigner[" + signer.verifier().keyId() + "]")
        .doesNotContain(secret);
  }

  @Test
  void refusesTextThatCannotBeANote() {
    NoteSigner signer = NoteSigner.generate("log.example", TestRandom.secureRandom(8));

    assertThatThrownBy(() -> signer.sign("no newline"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("note text must end with a newline");
    assertThatThrownBy(() -> signer.sign(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("note text must end with a newline");
    assertThatThrownBy(() -> signer.sign("tab\there\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("note text contains a control character U+0009 at index 3");
    assertThatThrownBy(() -> signer.sign("cr\r\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("note text contains a control character U+000D at index 2");
    assertThatThrownBy(() -> signer.sign("lone \ud800 surrogate\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("note text contains an unpaired surrogate U+D800 at index 5");
  }

  @Test
  void refusesInvalidNames() {
    for (String name :
        List.of(
            "", "a b", "a+b", "tab\t", "nbsp\u00a0", "ideographic\u3000space", "nl\n", "\u0001")) {
      assertThatThrownBy(() -> NoteSigner.generate(name, TestRandom.secureRandom(9)))
          .as("%s", name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid key name");
    }
  }

  @Test
  void acceptsUrlAndUnicodeNames() throws NoteException {
    for (String name :
        List.of(
            "example.com/log42",
            "caf\u00e9",
            "\u65e5\u672c",
            "a=b:c/d_e",
            "\ud836\udc00" /* U+1D800, whose low 16 bits look like a surrogate */)) {
      NoteSigner signer = NoteSigner.generate(name, TestRandom.secureRandom(10));
      assertThat(NoteSigner.parse(signer.signerKey())).isEqualTo(signer);
      assertThat(signer.verifier().open(signer.sign(TEXT))).isEqualTo(TEXT);
    }
  }
}
