package dev.trailwatch.ledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Known answers published with golang.org/x/mod/sumdb/note (its example_test.go and note_test.go):
 * keys, key hashes and signed notes. Facts, used to prove that our encodings are Go's.
 */
class GoNoteVectorsTest {
  // Source: golang.org/x/mod/sumdb/note, example_test.go (ExampleSign, ExampleOpen).
  static final String PETER_SIGNER_KEY =
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  static final String PETER_VERIFIER_KEY =
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  static final String TEXT =
      "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";
  static final String PETER_SIGNATURE_LINE =
      "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
  static final String PETER_NOTE = TEXT + "\n" + PETER_SIGNATURE_LINE;

  // Source: golang.org/x/mod/sumdb/note, note_test.go (TestVerifierList, TestOpen).
  static final String ENOCH_VERIFIER_KEY =
      "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
  static final String ENOCH_SIGNATURE_LINE =
      "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

  @Test
  void parsesPublishedKeys() {
    NoteSigner signer = NoteSigner.parse(PETER_SIGNER_KEY);
    NoteVerifier verifier = NoteVerifier.parse(PETER_VERIFIER_KEY);

    assertThat(signer.name()).isEqualTo("PeterNeumann");
    assertThat(signer.keyHash()).isEqualTo(0xc74f20a3);
    assertThat(verifier.name()).isEqualTo("PeterNeumann");
    assertThat(verifier.keyHash()).isEqualTo(0xc74f20a3);
    assertThat(verifier.keyId()).isEqualTo("PeterNeumann+c74f20a3");
  }

  @Test
  void encodesPublishedKeysExactly() {
    NoteSigner signer = NoteSigner.parse(PETER_SIGNER_KEY);

    assertThat(signer.signerKey()).isEqualTo(PETER_SIGNER_KEY);
    assertThat(signer.verifier().verifierKey()).isEqualTo(PETER_VERIFIER_KEY);
    assertThat(NoteVerifier.parse(PETER_VERIFIER_KEY).verifierKey()).isEqualTo(PETER_VERIFIER_KEY);
    assertThat(signer.verifier()).isEqualTo(NoteVerifier.parse(PETER_VERIFIER_KEY));
  }

  @Test
  void signingReproducesThePublishedNoteByteForByte() {
    NoteSigner signer = NoteSigner.parse(PETER_SIGNER_KEY);

    assertThat(signer.sign(TEXT)).isEqualTo(PETER_NOTE);
  }

  @Test
  void opensThePublishedNote() throws NoteException {
    assertThat(NoteVerifier.parse(PETER_VERIFIER_KEY).open(PETER_NOTE)).isEqualTo(TEXT);
  }

  @Test
  void opensANoteSignedByTwoKeysWithEitherKey() throws NoteException {
    String note = TEXT + "\n" + PETER_SIGNATURE_LINE + ENOCH_SIGNATURE_LINE;
    NoteVerifier peter = NoteVerifier.parse(PETER_VERIFIER_KEY);
    NoteVerifier enoch = NoteVerifier.parse(ENOCH_VERIFIER_KEY);

    assertThat(peter.open(note)).isEqualTo(TEXT);
    assertThat(enoch.open(note)).isEqualTo(TEXT);
    assertThat(peter.inspect(note).signatures())
        .extracting(NoteVerifier.Found::keyId, NoteVerifier.Found::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "PeterNeumann+c74f20a3", NoteVerifier.Status.VERIFIED),
            org.assertj.core.groups.Tuple.tuple(
                "EnochRoot+af0cfe78", NoteVerifier.Status.UNKNOWN_KEY));
  }

  @Test
  void rejectsTheEnochSignatureForPetersKey() {
    String note = TEXT + "\n" + ENOCH_SIGNATURE_LINE;

    assertThatThrownBy(() -> NoteVerifier.parse(PETER_VERIFIER_KEY).open(note))
        .isInstanceOf(NoteException.class)
        .hasMessage(
            "checkpoint is not signed by key PeterNeumann+c74f20a3 (signatures found:"
                + " EnochRoot+af0cfe78)");
  }

  @Test
  void rejectsEveryProperSubstringOfThePublishedVerifierKey() {
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i <= PETER_VERIFIER_KEY.length(); i++) {
      for (int j = i + 1; j <= PETER_VERIFIER_KEY.length(); j++) {
        if (i == 0 && j == PETER_VERIFIER_KEY.length()) {
          continue;
        }
        String mangled = PETER_VERIFIER_KEY.substring(i, j);
        try {
          NoteVerifier.parse(mangled);
          accepted.add(mangled);
        } catch (IllegalArgumentException expected) {
          // as it should be
        }
      }
    }
    assertThat(accepted).isEmpty();
  }

  @Test
  void rejectsEverySingleCharacterChangeOfThePublishedKeys() {
    List<String> accepted = new ArrayList<>();
    for (String key : List.of(PETER_VERIFIER_KEY, PETER_SIGNER_KEY)) {
      for (int i = 0; i < key.length(); i++) {
        for (int delta : new int[] {1, -1}) {
          char[] chars = key.toCharArray();
          chars[i] += (char) delta;
          String mangled = new String(chars);
          try {
            if (key.startsWith("PRIVATE")) {
              NoteSigner.parse(mangled);
            } else {
              NoteVerifier.parse(mangled);
            }
            accepted.add(mangled);
          } catch (IllegalArgumentException expected) {
            // as it should be
          }
        }
      }
    }
    assertThat(accepted).isEmpty();
  }

  @Test
  void rejectsPublishedManglings() {
    // Source: golang.org/x/mod/sumdb/note, note_test.go (TestNewVerifier): a key of the wrong
    // length and a key of an unknown algorithm, each with a key hash that matches it.
    assertThatThrownBy(
            () ->
                NoteVerifier.parse(
                    "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))
        .isInstanceOf(IllegalArgumentException.class)
        // "EY==" leaves non-zero bits that Go ignores; we refuse non-canonical base64 outright.
        .hasMessageContaining("public key is not standard base64");
    assertThatThrownBy(
            () ->
                NoteVerifier.parse(
                    "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported type 0x65");
  }
}
