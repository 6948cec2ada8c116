package dev.trailwatch.ledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checkpoint text per C2SP tlog-checkpoint: the published example, strict parsing, extensions. */
class CheckpointTest {
  // Source: C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint), the example checkpoint.
  private static final String C2SP_TEXT =
      "example.com/behind-the-sofa\n"
          + "20852163\n"
          + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  private static final String C2SP_NOTE =
      C2SP_TEXT
          + "\n"
          + "\u2014 example.com/behind-the-sofa"
          + " Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
  private static final String ROOT_B64 = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

  @Test
  void parsesTheC2spExample() throws NoteException {
    Checkpoint checkpoint = Checkpoint.parse(C2SP_TEXT);

    assertThat(checkpoint.origin()).isEqualTo("example.com/behind-the-sofa");
    assertThat(checkpoint.size()).isEqualTo(20852163L);
    assertThat(HexFormat.of().formatHex(checkpoint.rootHash()))
        .isEqualTo("0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62");
    assertThat(checkpoint.extensions()).isEmpty();
    assertThat(checkpoint.toNoteText()).isEqualTo(C2SP_TEXT);
  }

  @Test
  void theC2spExampleNoteIsWellFormedButNotOurs() {
    NoteSigner ours =
        NoteSigner.generate("example.com/behind-the-sofa", TestRandom.secureRandom(31));

    NoteException e =
        catchThrowableOfType(NoteException.class, () -> ours.verifier().open(C2SP_NOTE));

    assertThat(e.kind()).isEqualTo(NoteException.Kind.NOT_SIGNED);
    assertThat(e).hasMessageContaining("signatures found: example.com/behind-the-sofa+033de0ae");
  }

  @Test
  void verifyThenParseRoundTrip() throws NoteException {
    NoteSigner signer = NoteSigner.generate("log.example/a", TestRandom.secureRandom(32));
    byte[] root =
        HexFormat.of().parseHex("0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62");
    Checkpoint checkpoint =
        new Checkpoint("log.example/a", 17, root, List.of("time 1732254000123456789", "index 17"));

    String note = signer.sign(checkpoint.toNoteText());
    Checkpoint read = Checkpoint.parse(signer.verifier().open(note));

    assertThat(read).isEqualTo(checkpoint).hasSameHashCodeAs(checkpoint);
    assertThat(read.extension("time")).contains("1732254000123456789");
    assertThat(read.extension("index")).contains("17");
  }

  @Test
  void formatsTheDocumentedLayout() {
    Checkpoint checkpoint =
        new Checkpoint(
            "example.com/behind-the-sofa",
            20852163,
            HexFormat.of()
                .parseHex("0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62"),
            List.of("time 1", "index 2"));

    assertThat(checkpoint.toNoteText()).isEqualTo(C2SP_TEXT + "time 1\nindex 2\n");
  }

  @Test
  void acceptsTheExtremeSizes() throws NoteException {
    assertThat(Checkpoint.parse("o\n0\n" + ROOT_B64 + "\n").size()).isZero();
    assertThat(Checkpoint.parse("o\n9223372036854775807\n" + ROOT_B64 + "\n").size())
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void parseIsStrict() {
    record Case(String text, String message) {}
    String root31 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
    String root33 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("o\n1\n" + ROOT_B64, "the text must end with a newline"));
    cases.add(
        new Case("o\n1\n", "expected at least 3 lines (origin, tree size, root hash), got 2"));
    cases.add(new Case("", "the text must end with a newline"));
    cases.add(new Case("\n1\n" + ROOT_B64 + "\n", "line 1 is empty"));
    cases.add(new Case("o\n\n" + ROOT_B64 + "\n", "line 2 is empty"));
    cases.add(new Case("o\n1\n" + ROOT_B64 + "\n\n", "line 4 is empty"));
    cases.add(new Case("o\n1\n" + ROOT_B64 + "\n\next\n", "line 4 is empty"));
    for (String size :
        List.of("01", "00", "-1", "+1", " 1", "1 ", "\uff11", "0x10", "1e3", "1_000", "1.0")) {
      cases.add(
          new Case(
              "o\n" + size + "\n" + ROOT_B64 + "\n",
              "line 2: tree size must be a decimal number without sign or leading zeros"));
    }
    cases.add(
        new Case(
            "o\n9223372036854775808\n" + ROOT_B64 + "\n",
            "tree size \"9223372036854775808\" exceeds 9223372036854775807"));
    cases.add(new Case("o\n1\n" + root31 + "\n", "root hash must be 32 bytes, got 31"));
    cases.add(new Case("o\n1\n" + root33 + "\n", "root hash must be 32 bytes, got 33"));
    cases.add(new Case("o\n1\n" + ROOT_B64.replace("=", "") + "\n", "not canonical base64"));
    cases.add(new Case("o\n1\n" + ROOT_B64.replace("I=", "J=") + "\n", "not canonical base64"));
    cases.add(new Case("o\n1\n" + ROOT_B64.replace("/", "_") + "\n", "is not standard base64"));
    cases.add(new Case("o\n1\n " + ROOT_B64 + "\n", "is not standard base64"));
    cases.add(new Case("o\tx\n1\n" + ROOT_B64 + "\n", "a control character U+0009"));
    for (Case c : cases) {
      NoteException e = catchThrowableOfType(NoteException.class, () -> Checkpoint.parse(c.text()));
      assertThat(e).as("%s", c.text()).isNotNull();
      assertThat(e.kind()).isEqualTo(NoteException.Kind.MALFORMED_CHECKPOINT);
      assertThat(e.getMessage())
          .as("%s", c.text())
          .startsWith("malformed checkpoint: ")
          .contains(c.message());
    }
  }

  @Test
  void extensionReadsKeyValueLines() throws NoteException {
    Checkpoint checkpoint =
        Checkpoint.parse(
            "o\n1\n" + ROOT_B64 + "\ntime 1732254000123456789\nindex 17\nflag\nindex 18\nk  two\n");

    assertThat(checkpoint.extensions())
        .containsExactly("time 1732254000123456789", "index 17", "flag", "index 18", "k  two");
    assertThat(checkpoint.extension("time")).contains("1732254000123456789");
    assertThat(checkpoint.extension("index")).as("the first line wins").contains("17");
    assertThat(checkpoint.extension("flag")).as("no value, no match").isEmpty();
    assertThat(checkpoint.extension("tim")).isEmpty();
    assertThat(checkpoint.extension("k")).contains(" two");
    assertThat(checkpoint.extension("absent")).isEmpty();
    for (String bad : List.of("", "a b", "a\nb")) {
      assertThatThrownBy(() -> checkpoint.extension(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("extension key must be non-empty");
    }
  }

  @Test
  void rootHashIsCopiedInAndOut() {
    byte[] root = new byte[32];
    Checkpoint checkpoint = new Checkpoint("o", 1, root);

    root[0] = 1;
    checkpoint.rootHash()[1] = 1;

    assertThat(checkpoint.rootHash()).isEqualTo(new byte[32]);
  }

  @Test
  void equalityIsByContent() {
    Checkpoint a = new Checkpoint("o", 1, new byte[32], List.of("x 1"));
    Checkpoint b = new Checkpoint("o", 1, new byte[32], new ArrayList<>(List.of("x 1")));
    byte[] otherRoot = new byte[32];
    otherRoot[31] = 1;

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(new Checkpoint("o", 1, otherRoot, List.of("x 1")));
    assertThat(a).isNotEqualTo(new Checkpoint("o", 2, new byte[32], List.of("x 1")));
    assertThat(a).isNotEqualTo(new Checkpoint("p", 1, new byte[32], List.of("x 1")));
    assertThat(a).isNotEqualTo(new Checkpoint("o", 1, new byte[32]));
    assertThat(a.toString())
        .isEqualTo(
            "Checkpoint[origin=o, size=1, rootHash=" + "00".repeat(32) + ", extensions=[x 1]]");
  }

  @Test
  void constructorRefusesWhatCannotBeWritten() {
    record Case(Runnable construct, String message) {}
    List<Case> cases =
        List.of(
            new Case(() -> new Checkpoint("", 1, new byte[32]), "origin must not be empty"),
            new Case(
                () -> new Checkpoint("a\nb", 1, new byte[32]), "origin must not contain a newline"),
            new Case(() -> new Checkpoint("a\u0000", 1, new byte[32]), "origin contains a control"),
            new Case(() -> new Checkpoint("o", -1, new byte[32]), "tree size must not be negative"),
            new Case(
                () -> new Checkpoint("o", 1, new byte[31]), "root hash must be 32 bytes, got 31"),
            new Case(
                () -> new Checkpoint("o", 1, new byte[32], List.of("")),
                "extension line must not be empty"),
            new Case(
                () -> new Checkpoint("o", 1, new byte[32], List.of("a\nb")),
                "extension line must not contain a newline"));
    for (Case c : cases) {
      assertThatThrownBy(c.construct()::run)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(c.message());
    }
    assertThat(new Checkpoint("o", 1, new byte[32], new ArrayList<>(List.of("a"))).extensions())
        .isUnmodifiable();
  }
}
