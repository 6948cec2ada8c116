package dev.trailwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailwatch.app.server.IndexedSeqs;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user runs them: exit codes, what they print, one-sentence errors. */
class CliTest {
  @TempDir Path tmp;
  Path data;
  Path events;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Cli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    Run r =
        new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    assertThat(r.err()).as("no stack trace for the user").doesNotContain("\tat ");
    return r;
  }

  @BeforeEach
  void setUp() {
    data = tmp.resolve("data");
    events = tmp.resolve("events.ndjson");
    Run gen =
        run("generate", "--count", "3000", "--seed", "7", "--invalid", "0.01", events.toString());
    assertThat(gen.code()).isZero();
  }

  private Run importEvents() {
    return run("import", "--data", data.toString(), events.toString());
  }

  @Test
  void helpListsEveryCommand() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    for (String c :
        List.of(
            "generate",
            "import",
            "verify",
            "reindex",
            "search",
            "cat",
            "checkpoint",
            "proof",
            "keys",
            "serve",
            "token")) {
      assertThat(r.out()).contains("  " + c);
    }
    assertThat(run("proof", "check", "--help").out()).contains("--public-key");
  }

  @Test
  void importKeepsInvalidLinesAsUnparsedAndSaysWhere() throws IOException {
    Run r = importEvents();
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("imported 3,000 events").contains("stored as unparsed");
    assertThat(r.err())
        .containsPattern("events\\.ndjson:\\d+(:\\d+)?: .+ \\(stored as unparsed\\)");
    Run cat = run("cat", "--data", data.toString());
    assertThat(cat.code()).isZero();
    List<String> lines = cat.out().lines().toList();
    assertThat(lines).hasSize(3000);
    ObjectMapper json = new ObjectMapper();
    long unparsed = 0;
    for (int i = 0; i < lines.size(); i++) {
      JsonNode n = json.readTree(lines.get(i));
      assertThat(n.get("seq").asLong()).isEqualTo(i);
      if ("unparsed".equals(n.at("/event/dataset").asText())) {
        unparsed++;
        assertThat(n.at("/labels/parse_error").asText()).isNotEmpty();
        assertThat(n.get("message").asText()).isNotEmpty();
      }
    }
    assertThat(unparsed).as("about 1%% of 3,000 lines").isBetween(10L, 60L);
    assertThat(r.out()).contains(String.format("%,d stored as unparsed", unparsed));
  }

  /**
   * {@code import --verify}: the events are durable and the whole ledger verified in one command;
   * lines that already are canonical (the generator writes them so) are stored byte for byte.
   */
  @Test
  void importVerifyStoresCanonicalLinesAsTheyAreAndVerifies() throws IOException {
    Run r = run("import", "--verify", "--data", data.toString(), events.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("imported 3,000 events").contains("intact: 3,000 entries");
    // Some invalid lines are not even UTF-8: compare bytes.
    List<String> lines =
        new String(Files.readAllBytes(events), StandardCharsets.ISO_8859_1).lines().toList();
    int same = 0;
    try (dev.trailwatch.ledger.LedgerReader reader = dev.trailwatch.ledger.LedgerReader.open(data);
        dev.trailwatch.ledger.EntryIterator it = reader.entries(0)) {
      for (String line : lines) {
        assertThat(it.next()).isTrue();
        String stored = new String(it.entry().payload(), StandardCharsets.ISO_8859_1);
        if (!stored.contains("\"dataset\":\"unparsed\"")) {
          assertThat(stored).isEqualTo(line);
          same++;
        }
      }
      assertThat(it.next()).isFalse();
    }
    assertThat(same).as("the valid lines").isGreaterThan(2_900);

    // After tampering, the same command refuses to append and points to `verify`.
    Files.writeString(events, lines.get(0) + "\n", StandardCharsets.ISO_8859_1);
    Path segment;
    try (var files = Files.list(data.resolve("segments"))) {
      segment = files.sorted().findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(segment);
    int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("\"action\":\"") + 10;
    bytes[at] ^= 1;
    Files.write(segment, bytes);
    Run again = run("import", "--verify", "--data", data.toString(), events.toString());
    assertThat(again.code()).as(again.out() + again.err()).isEqualTo(ExitCodes.CANNOT_RUN);
    assertThat(again.err()).contains("do not match its CRC").contains("trailwatch verify");
  }

  @Test
  void verifyExitCodesIntactTamperedCannotRun() throws IOException {
    importEvents();
    Run ok = run("verify", "--data", data.toString());
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).startsWith("intact: 3,000 entries");

    Path seg = data.resolve("segments").resolve("00000000000000000000.seg");
    try (FileChannel ch =
        FileChannel.open(seg, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      var b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, 5000);
      b.put(0, (byte) (b.get(0) ^ 0x20));
      b.rewind();
      ch.write(b, 5000);
    }
    Run bad = run("verify", "--data", data.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out())
        .containsPattern("TAMPERED: entry \\d+ \\(.*00000000000000000000\\.seg at offset \\d+\\)");

    Run proof = run("proof", "inclusion", "--data", data.toString(), "2500");
    assertThat(proof.code()).as("a proof on a damaged ledger is a found problem").isEqualTo(1);
    assertThat(proof.err()).contains("the ledger is damaged").doesNotContain("internal error");

    Run none = run("verify", "--data", tmp.resolve("nothing").toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err())
        .isEqualTo("trailwatch: no data directory at " + tmp.resolve("nothing") + "\n");
  }

  @Test
  void anAuditorVerifiesWithOnlyThePublicKey() throws IOException {
    importEvents();
    Run key = run("keys", "export-public", "--data", data.toString());
    assertThat(key.code()).isZero();
    Path pub = tmp.resolve("ledger.pub");
    Files.writeString(pub, key.out());
    // The auditor's copy: no private key at all.
    Path copy = tmp.resolve("audit-copy");
    copyTree(data, copy);
    deleteTree(copy.resolve("keys"));
    Run r = run("verify", "--data", copy.toString(), "--public-key", pub.toString());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("checked with the public key you gave");

    // Someone replaces the key in the data directory and re-signs: the auditor's key catches it.
    Path other = tmp.resolve("other");
    run("generate", "--count", "10", other.resolve("e.ndjson").toString());
    run("import", "--data", other.resolve("d").toString(), other.resolve("e.ndjson").toString());
    Files.writeString(
        tmp.resolve("other.pub"),
        run("keys", "export-public", "--data", other.resolve("d").toString()).out());
    Run wrongKey =
        run(
            "verify",
            "--data",
            copy.toString(),
            "--public-key",
            tmp.resolve("other.pub").toString());
    assertThat(wrongKey.code()).isEqualTo(1);

    Run badKeyFile = run("verify", "--data", copy.toString(), "--public-key", events.toString());
    assertThat(badKeyFile.code()).isEqualTo(2);
  }

  @Test
  void inclusionAndConsistencyProofsCheckOfflineAndFailWhenChanged() throws IOException {
    importEvents();
    Files.writeString(
        tmp.resolve("first.checkpoint"), run("checkpoint", "--data", data.toString()).out());
    run("generate", "--count", "500", "--seed", "8", tmp.resolve("more.ndjson").toString());
    assertThat(
            run("import", "--data", data.toString(), tmp.resolve("more.ndjson").toString()).code())
        .isZero();
    Path pub = tmp.resolve("ledger.pub");
    Files.writeString(pub, run("keys", "export-public", "--data", data.toString()).out());

    Run incl = run("proof", "inclusion", "--data", data.toString(), "1234");
    assertThat(incl.code()).isZero();
    Path proof = tmp.resolve("p.json");
    Files.writeString(proof, incl.out());
    Run check = run("proof", "check", "--public-key", pub.toString(), proof.toString());
    assertThat(check.code()).as(check.out() + check.err()).isZero();
    assertThat(check.out()).startsWith("OK: entry 1234");

    ObjectMapper json = new ObjectMapper();
    ObjectNode p = (ObjectNode) json.readTree(incl.out());
    ObjectNode entry = (ObjectNode) p.get("entry");
    entry.put(
        "payload",
        entry
            .get("payload")
            .asText()
            .replace("\"outcome\":\"success\"", "\"outcome\":\"failure\"")
            .replace(
                "\"outcome\":\"failure\",\"category\"", "\"outcome\":\"success\",\"category\""));
    entry.put("payload", entry.get("payload").asText() + " ");
    Files.writeString(proof, json.writeValueAsString(p));
    Run changed = run("proof", "check", "--public-key", pub.toString(), proof.toString());
    assertThat(changed.code()).isEqualTo(1);
    assertThat(changed.out()).contains("FAILED: the entry does not hash to the proof's leaf hash");

    Run cons = run("proof", "consistency", "--data", data.toString(), "3000", "3500");
    assertThat(cons.code()).isZero();
    Files.writeString(proof, cons.out());
    ObjectNode c = (ObjectNode) json.readTree(cons.out());
    c.remove("old_checkpoint");
    Files.writeString(proof, json.writeValueAsString(c));
    Run consCheck =
        run(
            "proof",
            "check",
            "--public-key",
            pub.toString(),
            "--old-checkpoint",
            tmp.resolve("first.checkpoint").toString(),
            proof.toString());
    assertThat(consCheck.code()).as(consCheck.out() + consCheck.err()).isZero();
    assertThat(consCheck.out()).contains("extends checkpoint");
  }

  @Test
  void aSecondWriterIsToldWhoHoldsTheDirectory() throws Exception {
    importEvents();
    try (Ledger ledger = Ledger.open(LedgerConfig.of(data))) {
      Run r = importEvents();
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err())
          .startsWith(
              "trailwatch: the data directory "
                  + data
                  + " is already open for writing by process "
                  + ProcessHandle.current().pid());
      assertThat(ledger.size()).isEqualTo(3000);
      // Readers work beside the writer.
      assertThat(run("verify", "--data", data.toString()).code()).isZero();
    }
  }

  @Test
  void reindexRebuildsTheIndexFromTheLedgerWithEveryEventOnce() throws Exception {
    importEvents();
    Path index = data.resolve("index");
    Files.createDirectories(index);
    Files.writeString(index.resolve("segments_9"), "damaged"); // whatever was there goes
    Run r = run("reindex", "--data", data.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("indexed 3,000 events of 3,000 entries in")
        .containsPattern("index .*index: [0-9.,]+ MB \\([0-9.,]+ MB per million events\\); ledger");
    assertThat(r.err()).doesNotContain("warning");
    Map<Long, Integer> seqs = IndexedSeqs.of(index);
    assertThat(seqs).hasSize(3000);
    assertThat(seqs.values()).allMatch(n -> n == 1);
    assertThat(seqs.keySet()).allMatch(s -> s >= 0 && s < 3000);

    Run again = run("reindex", "--data", data.toString());
    assertThat(again.code()).isZero();
    assertThat(IndexedSeqs.of(index)).hasSize(3000);
  }

  @Test
  void reindexRefusesWhileAServerHoldsTheDataDirectory() throws Exception {
    importEvents();
    try (Ledger ledger = Ledger.open(LedgerConfig.of(data))) {
      Run r = run("reindex", "--data", data.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err())
          .startsWith("trailwatch: the data directory " + data + " is in use by process ")
          .contains("stop it first")
          .doesNotContain("internal error");
      assertThat(r.err().lines()).hasSize(1);
      assertThat(ledger.size()).isEqualTo(3000);
    }
    Run none = run("reindex", "--data", tmp.resolve("nothing").toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("no such data directory");
    assertThat(Files.exists(tmp.resolve("nothing"))).as("nothing is created").isFalse();
  }

  @Test
  void catReadsWhatIsIntactAfterACrashAndSaysWhereItStopped() throws IOException {
    importEvents();
    Path seg = data.resolve("segments").resolve("00000000000000000000.seg");
    Files.write(seg, new byte[] {0, 0, 1, 0, 0, 0}, StandardOpenOption.APPEND); // a torn write
    Run r = run("cat", "--data", data.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out().lines().count()).isEqualTo(3000);
    assertThat(r.err()).contains("incomplete record at the end of the ledger");
    Run v = run("verify", "--data", data.toString());
    assertThat(v.code()).as(v.out()).isZero();
    assertThat(v.out()).contains("note: ").contains("interrupted write");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
