package dev.trailwatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.ledger.LedgerProblem.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tamperings that {@link TamperTest} found verify mishandling, pinned down one by one: verify must
 * report them (never throw, which would make the CLI exit 2 instead of 1) and name where the ledger
 * first differs.
 */
class VerifierTest {
  @TempDir Path dir;

  @BeforeEach
  void writeLedger() throws Exception {
    try (Ledger ledger = Ledger.open(LedgerConfig.of(dir).withMaxSegmentBytes(8192))) {
      ledger.append(LedgerTest.payloads(0, 600)); // tiles 0 and 1 full, 88 entries in tile 2
    }
  }

  @Test
  void aDamagedTileHeaderIsReportedNotThrown() throws IOException {
    Path tile = dir.resolve("tiles/level-0");
    flip(tile, 9);
    VerifyReport report = verify();
    assertThat(report.intact()).isFalse();
    assertThat(report.problems())
        .anyMatch(p -> p.kind() == Kind.TILE_MISMATCH && p.file().equals(Optional.of(tile)));
  }

  @Test
  void aVersionFileThatIsNotUtf8IsReportedNotThrown() throws IOException {
    Path file = dir.resolve(Layout.VERSION_FILE);
    byte[] b = Files.readAllBytes(file);
    b[b.length - 3] = (byte) 0xc3;
    Files.write(file, b);
    VerifyReport report = verify();
    assertThat(report.problems())
        .anyMatch(p -> p.kind() == Kind.LAYOUT && p.message().contains("not UTF-8"));
  }

  @Test
  void aControlCharacterAfterAKeyIsReportedButWhitespaceIsNot() throws IOException {
    for (String name : List.of("signing.pub", "signing.key")) {
      Path file = dir.resolve("keys").resolve(name);
      byte[] original = Files.readAllBytes(file);
      byte[] b = original.clone();
      b[b.length - 1] = 0x02; // the final newline; KeyFiles does not strip this, trim() did
      Files.write(file, b);
      assertThat(verify().problems()).as(name).anyMatch(p -> p.kind() == Kind.KEY_MISMATCH);
      b[b.length - 1] = '\r';
      Files.write(file, b);
      assertThat(verify().problems()).as(name).isEmpty();
      Files.write(file, original);
    }
  }

  @Test
  void firstNamesACarefullyChangedRecordInATileThatReadingNeverFills() throws IOException {
    // Delete entry 300 and renumber the rest of its segment (277..368 with these payloads), with
    // valid CRCs: reading stops where that segment no longer meets the next one, before tile 1
    // (entries 256..511) fills up.
    long changed = 300;
    SegmentSet.Segment seg = segmentHolding(changed);
    renumberWithout(seg, changed);
    VerifyReport report = verify();
    assertThat(report.first()).map(LedgerProblem::kind).hasValue(Kind.LEAF_MISMATCH);
    assertThat(report.first()).map(LedgerProblem::seq).hasValue(changed);
  }

  @Test
  void firstNamesACarefullyChangedRecordInThePartialTile() throws IOException {
    // Entries 512..599 are hashed only in tiles/partial; entry 550 deleted and the rest of its
    // segment renumbered.
    long changed = 550;
    renumberWithout(segmentHolding(changed), changed);
    VerifyReport report = verify();
    assertThat(report.first()).map(LedgerProblem::kind).hasValue(Kind.LEAF_MISMATCH);
    assertThat(report.first()).map(LedgerProblem::seq).hasValue(changed);
  }

  private SegmentSet.Segment segmentHolding(long seq) throws IOException {
    SegmentSet segments = SegmentSet.scan(Layout.segments(dir), new ArrayList<>());
    return segments.floor(seq).orElseThrow();
  }

  /** Rewrites {@code seg} without entry {@code seq}, renumbering the records after it. */
  private static void renumberWithout(SegmentSet.Segment seg, long seq) throws IOException {
    SegmentImage img = SegmentImage.parse(Files.readAllBytes(seg.file()));
    List<byte[]> recs = new ArrayList<>(img.records());
    recs.remove((int) (seq - seg.baseSeq()));
    for (int i = 0; i < recs.size(); i++) {
      recs.set(i, SegmentImage.withSeq(recs.get(i), seg.baseSeq() + i));
    }
    Files.write(seg.file(), img.encode(recs));
  }

  private static void flip(Path file, int at) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[at] ^= 1;
    Files.write(file, b);
  }

  private VerifyReport verify() throws IOException {
    return Verifier.verify(
        new Verifier.Options(dir, Optional.empty(), Optional.empty(), (d, t) -> {}));
  }
}
