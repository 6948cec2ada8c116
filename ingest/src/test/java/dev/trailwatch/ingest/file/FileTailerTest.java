package dev.trailwatch.ingest.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.ingest.Formats;
import dev.trailwatch.ingest.RecordParser;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTailerTest {
  private static final Duration POLL = Duration.ofMillis(20);

  @TempDir Path dir;

  private final List<FileTailer> tailers = new ArrayList<>();

  @AfterEach
  void closeTailers() {
    tailers.forEach(FileTailer::close);
  }

  private FileTailer.Config config(Path file) {
    return FileTailer.Config.of(file, new LinesParser()).withPollInterval(POLL).withBatchSize(16);
  }

  private FileTailer started(FileTailer.Config config, CollectingSink sink, PositionStore store)
      throws IOException {
    FileTailer t = new FileTailer(config, sink, store);
    tailers.add(t);
    t.start();
    return t;
  }

  private static void append(Path file, String text) throws IOException {
    append(file, text.getBytes(UTF_8));
  }

  private static void append(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static String numbered(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append("line ").append(i).append('\n');
    }
    return sb.toString();
  }

  private static List<String> expected(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "line " + i).toList();
  }

  private static void awaitCount(CollectingSink sink, int n) {
    Poll.until(
        () -> "sink holds " + n + " events; it holds " + sink.messages(), () -> sink.size() >= n);
  }

  @Test
  void appendedLinesArriveInOrderExactlyOnceWithTheirOffsets() throws Exception {
    Path log = dir.resolve("app.log");
    append(log, numbered(0, 3));
    CollectingSink sink = new CollectingSink();
    MemoryPositionStore store = new MemoryPositionStore();
    FileTailer tailer = started(config(log), sink, store);
    awaitCount(sink, 3);
    for (int i = 3; i < 200; i += 7) {
      append(log, numbered(i, Math.min(i + 7, 200)));
    }
    awaitCount(sink, 200);
    tailer.close();

    assertThat(sink.messages()).containsExactlyElementsOf(expected(0, 200));
    FileId id = FileId.of(log).orElseThrow();
    long offset = 0;
    for (AccessEvent e : sink.events()) {
      String line = e.message().orElseThrow() + "\n";
      assertThat(e.labels())
          .containsEntry(FileTailer.PATH_LABEL, log.toString())
          .containsEntry(FileTailer.OFFSET_LABEL, Long.toString(offset))
          .containsEntry(
              FileTailer.NEXT_OFFSET_LABEL, Long.toString(offset + line.getBytes(UTF_8).length))
          .containsEntry("test.parsed", "yes");
      if (id.isUnix()) {
        assertThat(e.labels())
            .containsEntry(FileTailer.DEVICE_LABEL, id.deviceId())
            .containsEntry(FileTailer.INODE_LABEL, id.inode())
            .doesNotContainKey(FileTailer.FILE_ID_LABEL);
      } else {
        assertThat(e.labels()).containsEntry(FileTailer.FILE_ID_LABEL, id.inode());
      }
      offset += line.getBytes(UTF_8).length;
    }
    Position saved = store.load(log.toString()).orElseThrow();
    assertThat(saved.offset()).isEqualTo(Files.size(log));
    assertThat(saved.file()).isEqualTo(id);
    assertThat(saved.lastSeq()).isEqualTo(199);
    assertThat(tailer.stats().linesRead()).isEqualTo(200);
    assertThat(tailer.stats().bytesRead()).isEqualTo(Files.size(log));
  }

  @Test
  void aPartialLineWaitsForItsNewline() throws Exception {
    Path log = dir.resolve("app.log");
    append(log, "first\nsec");
    CollectingSink sink = new CollectingSink();
    FileTailer tailer = started(config(log), sink, new MemoryPositionStore());
    // The byte count moves before the line reaches the sink: wait for both.
    Poll.until(
        "all bytes read and the first line stored",
        () -> tailer.stats().bytesRead() == 9 && !sink.messages().isEmpty());
    assertThat(sink.messages()).containsExactly("first");
    append(log, "ond");
    Poll.until("all bytes read", () -> tailer.stats().bytesRead() == 12);
    assertThat(sink.messages()).containsExactly("first");
    append(log, "\nthird\n");
    awaitCount(sink, 3);
    assertThat(sink.messages()).containsExactly("first", "second", "third");
    assertThat(sink.events().get(1).labels()).containsEntry(FileTailer.OFFSET_LABEL, "6");
  }

  @Test
  void closeLeavesAPartialLineForTheNextTailer() throws Exception {
    Path log = dir.resolve("app.log");
    append(log, "one\ntw");
    CollectingSink sink = new CollectingSink();
    MemoryPositionStore store = new MemoryPositionStore();
    FileTailer first = started(config(log), sink, store);
    Poll.until("all bytes read", () -> first.stats().bytesRead() == 6);
    first.close();
    assertThat(store.load(log.toString()).orElseThrow().offset()).isEqualTo(4);
    append(log, "o\n");
    started(config(log), sink, store);
    awaitCount(sink, 2);
    assertThat(sink.messages()).containsExactly("one", "two");
  }

  @Test
  void crlfAndInvalidUtf8() throws Exception {
    Path log = dir.resolve("app.log");
    byte[] bytes = {
      'a',
      '\r',
      '\n',
      'o',
      'k',
      ' ',
      (byte) 0xff,
      (byte) 0xc3,
      ' ',
      'e',
      'n',
      'd',
      '\n',
      'x',
      '\r',
      'y',
      '\n',
      '\r',
      '\n'
    };
    append(log, bytes);
    CollectingSink sink = new CollectingSink();
    started(config(log), sink, new MemoryPositionStore());
    awaitCount(sink, 4);
    assertThat(sink.messages()).containsExactly("a", "ok \uFFFD\uFFFD end", "x\ry", "");
    assertThat(sink.events().get(1).labels())
        .containsEntry(FileTailer.OFFSET_LABEL, "3")
        .containsEntry(FileTailer.NEXT_OFFSET_LABEL, "13");
    assertThat(sink.events().get(3).isUnparsed()).isTrue(); // the empty line is kept, unparsed
  }

  @Test
  void aLineLongerThanTheMaximumIsStoredCutAndUnparsed() throws Exception {
    Path log = dir.resolve("app.log");
    String longLine = "x".repeat(200_000); // several read chunks
    append(log, "before\n" + longLine + "\nafter\n");
    CollectingSink sink = new CollectingSink();
    FileTailer tailer = started(config(log).withMaxLineBytes(100), sink, new MemoryPositionStore());
    awaitCount(sink, 3);
    assertThat(sink.messages()).containsExactly("before", "x".repeat(100), "after");
    AccessEvent cut = sink.events().get(1);
    assertThat(cut.isUnparsed()).isTrue();
    assertThat(cut.labels().get(AccessEvent.PARSE_ERROR_LABEL))
        .isEqualTo("line longer than 100 bytes: only its first 100 bytes are stored");
    assertThat(cut.labels())
        .containsEntry(FileTailer.OFFSET_LABEL, "7")
        .containsEntry(FileTailer.NEXT_OFFSET_LABEL, Long.toString(7 + 200_001));
    assertThat(tailer.stats().linesCut()).isEqualTo(1);
  }

  @Test
  void aParserThatThrowsOrGivesNothingLosesNoLine() throws Exception {
    Path log = dir.resolve("app.log");
    append(log, "a\nboom\nnothing\nb\n");
    CollectingSink sink = new CollectingSink();
    started(config(log), sink, new MemoryPositionStore());
    awaitCount(sink, 4);
    assertThat(sink.messages()).containsExactly("a", "boom", "nothing", "b");
    assertThat(sink.events().get(1).labels().get(AccessEvent.PARSE_ERROR_LABEL))
        .startsWith("parser test-lines failed: java.lang.IllegalStateException: boom");
    assertThat(sink.events().get(2).labels().get(AccessEvent.PARSE_ERROR_LABEL))
        .isEqualTo("parser test-lines gave no event");
  }

  @Test
  void jsonFramingTakesEachLineAsARecordAndSkipsBlankLines() throws Exception {
    Path log = dir.resolve("audit.json");
    append(log, "{\"a\":1}\n\n  \n{\"b\":2}\n");
    CollectingSink sink = new CollectingSink();
    FileTailer.Config config =
        FileTailer.Config.of(log, new LinesParser(RecordParser.Framing.JSON))
            .withPollInterval(POLL);
    started(config, sink, new MemoryPositionStore());
    awaitCount(sink, 2);
    assertThat(sink.messages()).containsExactly("{\"a\":1}", "{\"b\":2}");
    assertThat(sink.events().get(1).labels()).containsEntry(FileTailer.OFFSET_LABEL, "12");
  }

  @Test
  void aRealParserKeepsItsFieldsAndGetsTheFileLabels() throws Exception {
    Path log = dir.resolve("auth.log");
    append(
        log,
        "Mar  3 10:15:01 bastion sshd[4242]: Accepted publickey for carol from 203.0.113.7 port"
            + " 50122 ssh2: ED25519 SHA256:AbCdEf0123456789\n");
    RecordParser syslog = Formats.standard().get("syslog").orElseThrow();
    CollectingSink sink = new CollectingSink();
    started(
        FileTailer.Config.of(log, syslog).withPollInterval(POLL), sink, new MemoryPositionStore());
    awaitCount(sink, 1);
    AccessEvent e = sink.events().get(0);
    assertThat(e.user().name()).contains("carol");
    assertThat(e.source().ip().map(Object::toString)).contains("203.0.113.7");
    assertThat(e.labels())
        .containsEntry(FileTailer.PATH_LABEL, log.toString())
        .containsEntry(FileTailer.OFFSET_LABEL, "0")
        .containsKey("ssh.method");
  }

  @Test
  void aFileMissingAtStartIsWaitedFor() throws Exception {
    Path log = dir.resolve("later.log");
    CollectingSink sink = new CollectingSink();
    started(config(log), sink, new MemoryPositionStore());
    append(log, numbered(0, 5));
    awaitCount(sink, 5);
    assertThat(sink.messages()).containsExactlyElementsOf(expected(0, 5));
  }

  @Test
  void aDeletedFileThatComesBackIsReadFromItsStart() throws Exception {
    Path log = dir.resolve("app.log");
    append(log, numbered(0, 5));
    CollectingSink sink = new CollectingSink();
    FileTailer tailer = started(config(log), sink, new MemoryPositionStore());
    awaitCount(sink, 5);
    Files.delete(log);
    Poll.until("the deleted file is let go", () -> tailer.stats().rotations() == 1);
    append(log, numbered(5, 10));
    awaitCount(sink, 10);
    // Deleted and re-created while the old one is still open: a new file, read from 0.
    Files.delete(log);
    append(log, numbered(10, 12));
    awaitCount(sink, 12);
    assertThat(sink.messages()).containsExactlyElementsOf(expected(0, 12));
    assertThat(tailer.stats().rotations()).isEqualTo(2);
  }

  @Test
  void aFileTruncatedToZeroIsReadAgainFromItsStart() throws Exception {
    Path log = dir.resolve("app.log");
    append(log, numbered(0, 20));
    CollectingSink sink = new CollectingSink();
    FileTailer tailer = started(config(log), sink, new MemoryPositionStore());
    awaitCount(sink, 20);
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
      ch.truncate(0);
    }
    Poll.until("the truncation is seen", () -> tailer.stats().truncations() == 1);
    append(log, numbered(20, 23));
    awaitCount(sink, 23);
    assertThat(sink.messages()).containsExactlyElementsOf(expected(0, 23));
    assertThat(sink.events().get(20).labels()).containsEntry(FileTailer.OFFSET_LABEL, "0");
  }

  @Test
  void aPartialLineIsStoredAsItIsWhenItsFileIsRotatedAway() throws Exception {
    Path log = dir.resolve("app.log");
    append(log, "whole\nhalf a li");
    CollectingSink sink = new CollectingSink();
    FileTailer tailer = started(config(log), sink, new MemoryPositionStore());
    awaitCount(sink, 1);
    Files.move(log, dir.resolve("app.log.1"));
    append(log, "new\n");
    awaitCount(sink, 3);
    assertThat(sink.messages()).containsExactly("whole", "half a li", "new");
    assertThat(sink.events().get(1).labels())
        .containsEntry(FileTailer.NEXT_OFFSET_LABEL, "15"); // no newline after it
    assertThat(tailer.stats().rotations()).isEqualTo(1);
  }

  @Test
  void backPressureMakesTheTailerWaitAndLosesNothing() throws Exception {
    Path log = dir.resolve("app.log");
    CollectingSink sink = new CollectingSink();
    sink.block();
    FileTailer tailer = started(config(log), sink, new MemoryPositionStore());
    append(log, numbered(0, 100));
    Poll.until("the tailer reads", () -> tailer.stats().linesRead() > 0);
    assertThat(sink.size()).isZero();
    sink.unblock();
    awaitCount(sink, 100);
    assertThat(sink.messages()).containsExactlyElementsOf(expected(0, 100));
  }

  @Test
  void closeWaitsForTheFuturesAndSavesThePosition() throws Exception {
    Path log = dir.resolve("app.log");
    CollectingSink sink = new CollectingSink().delayMillis(200);
    MemoryPositionStore store = new MemoryPositionStore();
    FileTailer tailer = started(config(log), sink, store);
    append(log, numbered(0, 50));
    awaitCount(sink, 50);
    tailer.close();
    Position saved = store.load(log.toString()).orElseThrow();
    assertThat(saved.offset()).isEqualTo(Files.size(log));
    assertThat(saved.lastSeq()).isEqualTo(49);
    assertThat(tailer.stats().batchesDurable()).isEqualTo(sink.batches());
  }

  @Test
  void aFailedBatchStopsTheTailerAtTheLastDurablePosition() throws Exception {
    Path log = dir.resolve("app.log");
    append(log, numbered(0, 16));
    CollectingSink sink = new CollectingSink().failFromBatch(2);
    MemoryPositionStore store = new MemoryPositionStore();
    FileTailer tailer = started(config(log), sink, store);
    awaitCount(sink, 16);
    append(log, numbered(16, 40));
    Poll.until("the tailer fails", () -> tailer.failure().isPresent());
    assertThat(tailer.failure().orElseThrow()).hasMessageContaining("read-only");
    Position saved = store.load(log.toString()).orElseThrow();
    assertThat(saved.offset()).isEqualTo(numbered(0, 16).length());
    assertThat(saved.lastSeq()).isEqualTo(15);

    // A new tailer (the ledger is back) resumes there: nothing lost.
    CollectingSink again = new CollectingSink();
    started(config(log), again, store);
    awaitCount(again, 24);
    assertThat(again.messages()).containsExactlyElementsOf(expected(16, 40));
  }

  @Test
  void restartAfterACrashBeforeThePositionWasSavedIsExactlyOnce() throws Exception {
    Path log = dir.resolve("app.log");
    append(log, numbered(0, 50));
    CollectingSink sink = new CollectingSink();
    MemoryPositionStore store = new MemoryPositionStore();
    FileTailer first = started(config(log), sink, store);
    awaitCount(sink, 50);
    Poll.until(
        "position saved",
        () -> store.load(log.toString()).map(p -> p.lastSeq() == 49).orElse(false));
    store.freeze(); // the "crash": later batches are durable, their positions never saved
    append(log, numbered(50, 80));
    awaitCount(sink, 80);
    first.close();

    Position saved = store.load(log.toString()).orElseThrow();
    assertThat(saved.offset()).isEqualTo(numbered(0, 50).length());
    Optional<Position> better =
        FileTailer.fromStoredEvents(sink.eventsAfter(saved.lastSeq()), log.toString());
    assertThat(better).isPresent();
    assertThat(better.get().offset()).isEqualTo(Files.size(log));
    assertThat(better.get().file()).isEqualTo(saved.file());

    append(log, numbered(80, 100));
    FileTailer second = new FileTailer(config(log), sink, new MemoryPositionStore());
    tailers.add(second);
    second.resumeFrom(better.get());
    awaitCount(sink, 100);
    second.close();
    assertThat(sink.messages()).containsExactlyElementsOf(expected(0, 100));
  }

  @Test
  void restartAfterTheFileWasRotatedWhileDownReadsTheRotatedRestFirst() throws Exception {
    Path log = dir.resolve("auth.log");
    append(log, numbered(0, 30));
    CollectingSink sink = new CollectingSink();
    MemoryPositionStore store = new MemoryPositionStore();
    FileTailer first = started(config(log), sink, store);
    awaitCount(sink, 30);
    Poll.until(
        "position saved",
        () -> store.load(log.toString()).map(p -> p.lastSeq() == 29).orElse(false));
    store.freeze();
    append(log, numbered(30, 40));
    awaitCount(sink, 40);
    first.close();

    // While down: more lines, then logrotate (create mode), then lines in the new file.
    append(log, numbered(40, 50));
    Files.move(log, dir.resolve("auth.log.1"));
    append(log, numbered(50, 70));

    Position saved = store.load(log.toString()).orElseThrow();
    Position from =
        FileTailer.fromStoredEvents(sink.eventsAfter(saved.lastSeq()), log.toString())
            .orElse(saved);
    FileTailer second = new FileTailer(config(log), sink, store);
    tailers.add(second);
    second.resumeFrom(from);
    awaitCount(sink, 70);
    second.close();
    assertThat(sink.messages()).containsExactlyElementsOf(expected(0, 70));
    assertThat(second.stats().rotations()).isEqualTo(1);
  }

  @Test
  void restartFromTheSavedPositionAfterACleanStopAndARotation() throws Exception {
    Path log = dir.resolve("auth.log");
    append(log, numbered(0, 10));
    CollectingSink sink = new CollectingSink();
    FilePositionStore store = new FilePositionStore(dir.resolve("positions"));
    FileTailer first = started(config(log), sink, store);
    awaitCount(sink, 10);
    first.close();
    append(log, numbered(10, 15));
    Files.move(log, dir.resolve("auth.log.1"));
    append(log, numbered(15, 20));
    started(config(log), sink, new FilePositionStore(dir.resolve("positions")));
    awaitCount(sink, 20);
    assertThat(sink.messages()).containsExactlyElementsOf(expected(0, 20));
  }

  @Test
  void aPositionBeyondTheEndOfItsFileMeansItWasTruncated() throws Exception {
    Path log = dir.resolve("app.log");
    append(log, numbered(0, 3));
    FileId id = FileId.of(log).orElseThrow();
    CollectingSink sink = new CollectingSink();
    FileTailer tailer = new FileTailer(config(log), sink, new MemoryPositionStore());
    tailers.add(tailer);
    tailer.resumeFrom(new Position(log.toString(), id, 10_000, Position.NO_SEQ));
    awaitCount(sink, 3);
    assertThat(sink.messages()).containsExactlyElementsOf(expected(0, 3));
    assertThat(tailer.stats().truncations()).isEqualTo(1);
  }

  @Test
  void aPositionInsideALineIsNotTrusted() throws Exception {
    Path log = dir.resolve("app.log");
    append(log, numbered(0, 3));
    FileId id = FileId.of(log).orElseThrow();
    CollectingSink sink = new CollectingSink();
    FileTailer tailer = new FileTailer(config(log), sink, new MemoryPositionStore());
    tailers.add(tailer);
    tailer.resumeFrom(new Position(log.toString(), id, 3, Position.NO_SEQ));
    awaitCount(sink, 3);
    assertThat(sink.messages()).containsExactlyElementsOf(expected(0, 3));
  }

  @Test
  void startingTwiceOrFromAnotherPathsPositionIsRefused() throws Exception {
    Path log = dir.resolve("app.log");
    FileTailer tailer = started(config(log), new CollectingSink(), new MemoryPositionStore());
    assertThatThrownBy(tailer::start).isInstanceOf(IllegalStateException.class);
    FileTailer other = new FileTailer(config(log), new CollectingSink(), new MemoryPositionStore());
    tailers.add(other);
    assertThatThrownBy(
            () -> other.resumeFrom(new Position("/elsewhere", new FileId("1", "2"), 0, -1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/elsewhere");
  }
}
