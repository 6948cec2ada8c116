package dev.trailwatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trailwatch.ledger.LedgerProblem.Kind;
import dev.trailwatch.ledger.SegmentReader.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct-I/O segments: the zero padding they leave after the last record reads as the end of the
 * records, is cut off by reopening and sealing, and is tampering anywhere but at the end of the
 * last segment.
 */
class ActiveSegmentTest {
  @TempDir Path dir;

  private final CRC32C crc = new CRC32C();

  @Test
  void paddingReadsAsTheEndAndSealingCutsIt() throws IOException {
    Path file = dir.resolve(SegmentFormat.fileName(0));
    ActiveSegment seg = directSegment(file);
    append(seg, 0, new byte[100]);
    long logical = seg.logical;
    seg.force();
    assertThat(Files.size(file)).isGreaterThan(logical);
    assertThat(statuses(file)).containsExactly(Status.RECORD, Status.PADDING);

    seg.seal();
    assertThat(Files.size(file)).isEqualTo(logical);
    assertThat(statuses(file)).containsExactly(Status.RECORD, Status.END);
  }

  @Test
  void directWritesHoldTheSameBytesAsBufferedOnesAcrossBlocks() throws IOException {
    Path directFile = dir.resolve("direct");
    Path bufferedFile = dir.resolve("buffered");
    ActiveSegment direct = directSegment(directFile);
    ActiveSegment buffered = ActiveSegment.create(bufferedFile, 0, false);
    Random random = new Random(TestSeeds.seed());
    for (int seq = 0; seq < 300; seq++) {
      byte[] payload = new byte[random.nextInt(random.nextBoolean() ? 40 : 9000)];
      random.nextBytes(payload);
      append(direct, seq, payload);
      append(buffered, seq, payload);
      if (random.nextInt(50) == 0) { // a crash: the next writer reopens where records end
        direct.abandon();
        direct = ActiveSegment.reopen(directFile, 0, direct.logical, true);
        assertThat(direct.isDirect()).isTrue();
      }
    }
    direct.seal();
    buffered.seal();
    assertThat(Files.readAllBytes(directFile)).isEqualTo(Files.readAllBytes(bufferedFile));
  }

  @Test
  void reopeningAfterACrashCutsThePaddingAndContinues() throws IOException {
    Path file = dir.resolve(SegmentFormat.fileName(0));
    ActiveSegment seg = directSegment(file);
    append(seg, 0, new byte[10]);
    seg.force();
    seg.abandon(); // killed: the file ends in zeros up to the block end

    ActiveSegment again = ActiveSegment.reopen(file, 0, seg.logical, true);
    assertThat(again.isDirect()).as("still direct after reopening").isTrue();
    assertThat(Files.size(file)).isEqualTo(seg.logical);
    append(again, 1, new byte[20]);
    again.force();
    again.abandon();
    assertThat(statuses(file)).containsExactly(Status.RECORD, Status.RECORD, Status.PADDING);
  }

  @Test
  void zerosAfterTheLastSignedRecordAreNotTampering() throws Exception {
    writeLedger();
    SegmentSet.Segment last = segments().get(segments().size() - 1);
    appendZeros(last.file(), 3000);
    assertThat(verify().problems()).isEmpty();
  }

  @Test
  void zerosAtTheEndOfAnEarlierSegmentAreTampering() throws Exception {
    writeLedger();
    SegmentSet.Segment first = segments().get(0);
    appendZeros(first.file(), 3000);
    VerifyReport report = verify();
    assertThat(report.intact()).isFalse();
    assertThat(report.first()).map(LedgerProblem::kind).hasValue(Kind.CORRUPT_RECORD);
    assertThat(report.first()).flatMap(LedgerProblem::file).hasValue(first.file());
  }

  @Test
  void zerosInPlaceOfSignedRecordsAreTampering() throws Exception {
    writeLedger();
    Path file = segments().get(segments().size() - 1).file();
    long size = Files.size(file);
    try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.allocate(200), size - 200); // the last records, zeroed
    }
    VerifyReport report = verify();
    assertThat(report.intact()).isFalse();
    assertThat(report.first()).map(LedgerProblem::kind).hasValue(Kind.CORRUPT_RECORD);
  }

  private ActiveSegment directSegment(Path file) throws IOException {
    ActiveSegment seg = ActiveSegment.create(file, 0, true);
    assumeTrue(seg.isDirect(), "the file system under " + dir + " does not do direct I/O");
    return seg;
  }

  private void append(ActiveSegment seg, long seq, byte[] payload) throws IOException {
    byte[] rec = new byte[SegmentFormat.recordSize(payload.length)];
    int n = SegmentFormat.encode(rec, 0, seq, 1_000L + seq, payload, crc);
    seg.append(rec, 0, n);
  }

  private static List<Status> statuses(Path file) throws IOException {
    List<Status> out = new ArrayList<>();
    try (SegmentReader r = SegmentReader.open(file, SegmentFormat.HEADER_SIZE)) {
      Status s;
      do {
        s = r.next();
        out.add(s);
      } while (s == Status.RECORD);
    }
    return out;
  }

  private void writeLedger() throws Exception {
    try (Ledger ledger = Ledger.open(LedgerConfig.of(dir).withMaxSegmentBytes(8192))) {
      ledger.append(LedgerTest.payloads(0, 300));
    }
  }

  private List<SegmentSet.Segment> segments() throws IOException {
    return SegmentSet.scan(Layout.segments(dir), new ArrayList<>()).all();
  }

  private static void appendZeros(Path file, int n) throws IOException {
    Files.write(file, new byte[n], StandardOpenOption.APPEND);
  }

  private VerifyReport verify() throws IOException {
    return Verifier.verify(
        new Verifier.Options(dir, Optional.empty(), Optional.empty(), (d, t) -> {}));
  }
}
