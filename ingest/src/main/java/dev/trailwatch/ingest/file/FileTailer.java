package dev.trailwatch.ingest.file;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.ingest.EventSink;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ingest.Unparsed;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Follows one log file as it grows, like Filebeat's {@code filestream} input: reads the lines
 * appended to it, parses them with the configured {@link RecordParser} and hands the events to an
 * {@link EventSink} in batches. Survives log rotation and restarts; see {@code
 * docs/parsers/file-tail.md} for the whole story. In short:
 *
 * <ul>
 *   <li><b>Lines.</b> A line ends at {@code \n} ({@code \r\n} too); bytes after the last newline
 *       wait for the rest of their line. Invalid UTF-8 becomes U+FFFD. A line longer than {@link
 *       Config#maxLineBytes} is stored as an unparsed event holding its first {@code maxLineBytes}
 *       bytes. For a {@link RecordParser.Framing#JSON JSON} parser each line is one record
 *       (NDJSON); blank lines are skipped there. Nothing else is dropped: a line that does not
 *       parse is an unparsed event.
 *   <li><b>Labels.</b> Every event gets {@value #PATH_LABEL} (the configured path), {@value
 *       #DEVICE_LABEL} and {@value #INODE_LABEL} (or {@value #FILE_ID_LABEL}; see {@link FileId}),
 *       {@value #OFFSET_LABEL} (byte offset of the start of its line) and {@value
 *       #NEXT_OFFSET_LABEL} (byte offset just after the line and its newline: where reading resumes
 *       after it). Labels of the same names set by the parser are overwritten.
 *   <li><b>Rotation.</b> When the path names another file (renamed away, {@code create} mode) or no
 *       file (deleted), the file already open is read to its end, until it has not grown for
 *       {@value #QUIET_POLLS} polls; its last line is then stored even without a newline, the file
 *       is closed and the file at the path is read from offset 0. When the open file shrinks below
 *       the read position (copytruncate), reading restarts at offset 0.
 *   <li><b>Positions.</b> After each batch is durable (its future completed) the position after its
 *       last line is saved in the {@link PositionStore}. On start the tailer resumes from a
 *       position (saved, or better, {@linkplain #fromStoredEvents derived from the stored events});
 *       if the file it names was rotated while the tailer was down, the rest of that file is read
 *       first (found by inode in the same directory), then the file at the path from 0.
 *   <li><b>Back-pressure.</b> {@link EventSink#store} blocks while the sink is behind; the tailer
 *       then simply reads no further (the file keeps the lines).
 *   <li><b>Failure.</b> If the sink fails a batch, the tailer stops ({@link #failure()}): the saved
 *       position stays at the last durable batch, so a new tailer resumes there.
 * </ul>
 *
 * <p>Runs on one virtual thread of its own, started by {@link #start()} or {@link #resumeFrom} and
 * stopped by {@link #close()}. The public methods are thread-safe.
 */
public final class FileTailer implements AutoCloseable {
  /** Label: the configured path. */
  public static final String PATH_LABEL = "log.file.path";

  /** Label: the device of the file the line was read from (Unix). */
  public static final String DEVICE_LABEL = "log.file.device_id";

  /** Label: the inode of the file the line was read from (Unix). */
  public static final String INODE_LABEL = "log.file.inode";

  /** Label: the file key of the file the line was read from (other systems). */
  public static final String FILE_ID_LABEL = "log.file.id";

  /** Label: the byte offset of the start of the line. */
  public static final String OFFSET_LABEL = "log.offset";

  /** Label: the byte offset after the line and its newline, where the next line starts. */
  public static final String NEXT_OFFSET_LABEL = "log.next_offset";

  /** A rotated-away file is finished once it has not grown for this many polls. */
  static final int QUIET_POLLS = 2;

  private static final System.Logger LOG = System.getLogger(FileTailer.class.getName());
  private static final int READ_CHUNK = 64 * 1024;
  private static final int MAX_BATCHES_IN_FLIGHT = 16;

  /**
   * What to follow and how.
   *
   * @param path the file to follow; it need not exist yet
   * @param parser the format of its lines
   * @param zone the zone of timestamps that carry none ({@link ParseContext#zone()})
   * @param pollInterval how long to wait when there is nothing new to read
   * @param maxLineBytes lines longer than this are cut (default 1 MiB)
   * @param batchSize how many events, at most, to hand to the sink at once (a line's events are
   *     never split between batches, so a batch may exceed it by a line's events)
   * @param clock the time of reception ({@link ParseContext#receivedAt()})
   */
  public record Config(
      Path path,
      RecordParser parser,
      ZoneId zone,
      Duration pollInterval,
      int maxLineBytes,
      int batchSize,
      InstantSource clock) {
    /** The default poll interval: 250 ms. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

    /** The default maximum line length: 1 MiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    /** The default batch size: 512 events. */
    public static final int DEFAULT_BATCH_SIZE = 512;

    public Config {
      requireNonNull(path, "path");
      requireNonNull(parser, "parser");
      requireNonNull(zone, "zone");
      requireNonNull(pollInterval, "pollInterval");
      requireNonNull(clock, "clock");
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
      }
      if (maxLineBytes < 1) {
        throw new IllegalArgumentException("maxLineBytes must be at least 1: " + maxLineBytes);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
      }
    }

    /** Follows {@code path} with the defaults: UTC, 250 ms, 1 MiB lines, batches of 512. */
    public static Config of(Path path, RecordParser parser) {
      return new Config(
          path,
          parser,
          ZoneOffset.UTC,
          DEFAULT_POLL_INTERVAL,
          DEFAULT_MAX_LINE_BYTES,
          DEFAULT_BATCH_SIZE,
          InstantSource.system());
    }

    public Config withZone(ZoneId value) {
      return new Config(path, parser, value, pollInterval, maxLineBytes, batchSize, clock);
    }

    public Config withPollInterval(Duration value) {
      return new Config(path, parser, zone, value, maxLineBytes, batchSize, clock);
    }

    public Config withMaxLineBytes(int value) {
      return new Config(path, parser, zone, pollInterval, value, batchSize, clock);
    }

    public Config withBatchSize(int value) {
      return new Config(path, parser, zone, pollInterval, maxLineBytes, value, clock);
    }

    public Config withClock(InstantSource value) {
      return new Config(path, parser, zone, pollInterval, maxLineBytes, batchSize, value);
    }
  }

  /**
   * Counters since the tailer started.
   *
   * @param linesRead lines read (each gave one or more events)
   * @param bytesRead bytes read from files
   * @param rotations files finished because the path named another file or none
   * @param truncations times the file shrank below the read position (or was shorter than the
   *     position resumed from) and was read again from 0
   * @param linesCut lines longer than the maximum, stored cut
   * @param batchesDurable batches the sink stored durably
   * @param positionSaveFailures positions that could not be saved (the next save may succeed)
   */
  public record Stats(
      long linesRead,
      long bytesRead,
      long rotations,
      long truncations,
      long linesCut,
      long batchesDurable,
      long positionSaveFailures) {}

  private final Config config;
  private final EventSink sink;
  private final PositionStore positions;
  private final String pathLabel;
  private final boolean jsonFraming;

  private final AtomicLong linesRead = new AtomicLong();
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong rotations = new AtomicLong();
  private final AtomicLong truncations = new AtomicLong();
  private final AtomicLong linesCut = new AtomicLong();
  private final AtomicLong batchesDurable = new AtomicLong();
  private final AtomicLong positionSaveFailures = new AtomicLong();

  private volatile boolean stopping;
  private volatile Throwable failure;
  private Thread thread; // guarded by this

  // Owned by the tailer's thread.
  private Followed current;
  private final ByteBuffer buffer = ByteBuffer.allocate(READ_CHUNK);
  private final List<LineSplitter.Line> lines = new ArrayList<>();
  private final List<AccessEvent> batch = new ArrayList<>();
  private Position batchEnd;
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

  /** A tailer, not started: call {@link #start()} or {@link #resumeFrom}. */
  public FileTailer(Config config, EventSink sink, PositionStore positions) {
    this.config = requireNonNull(config, "config");
    this.sink = requireNonNull(sink, "sink");
    this.positions = requireNonNull(positions, "positions");
    this.pathLabel = config.path().toString();
    this.jsonFraming = config.parser().framing() == RecordParser.Framing.JSON;
  }

  /**
   * Starts following from the position saved in the {@link PositionStore}, or from the start of the
   * file when none was saved.
   *
   * @throws IOException if the saved position cannot be read
   * @throws IllegalStateException if already started
   */
  public void start() throws IOException {
    begin(positions.load(pathLabel));
  }

  /**
   * Starts following from {@code position}: the saved one, or the better one {@link
   * #fromStoredEvents} found.
   *
   * @throws IllegalArgumentException if the position is for another path
   * @throws IllegalStateException if already started
   */
  public void resumeFrom(Position position) {
    if (!position.path().equals(pathLabel)) {
      throw new IllegalArgumentException(
          "position is for path " + position.path() + ", not " + pathLabel);
    }
    begin(Optional.of(position));
  }

  private synchronized void begin(Optional<Position> from) {
    if (thread != null) {
      throw new IllegalStateException("tailer of " + pathLabel + " was already started");
    }
    thread = Thread.ofVirtual().name("trailwatch-tail " + pathLabel).unstarted(() -> run(from));
    thread.start();
  }

  /**
   * Stops: hands the lines already read to the sink, waits until they are durable, saves the
   * position and closes the file. Blocks while the sink does (back-pressure). A line still being
   * written is not stored: the saved position is before it, and the next tailer reads it.
   */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      stopping = true;
      t = thread;
    }
    if (t == null) {
      return;
    }
    LockSupport.unpark(t);
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The counters so far. */
  public Stats stats() {
    return new Stats(
        linesRead.get(),
        bytesRead.get(),
        rotations.get(),
        truncations.get(),
        linesCut.get(),
        batchesDurable.get(),
        positionSaveFailures.get());
  }

  /** Why the tailer stopped on its own (the sink failed a batch); empty while it runs. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** The configuration. */
  public Config config() {
    return config;
  }

  /**
   * The position after the last line of {@code path} among events already stored, or empty when
   * none of them came from that path: the position to {@linkplain #resumeFrom resume from} after a
   * crash, which may be ahead of the saved one (the crash came after a batch was durable and before
   * its position was saved).
   *
   * <p>Feed it the events stored after the saved position's {@link Position#lastSeq} (all events
   * when nothing was saved or {@code lastSeq} is {@link Position#NO_SEQ}), in the order they were
   * stored, and only events stored by tailers ({@code labels.log.*} can be set by anyone sending
   * ECS JSON; see the documentation). The last event of the path decides the file; its largest
   * {@value #NEXT_OFFSET_LABEL} in that file is the offset. The result has no sequence number.
   */
  public static Optional<Position> fromStoredEvents(
      Iterable<AccessEvent> eventsAfterSavedSeq, String path) {
    FileId file = null;
    long next = -1;
    for (AccessEvent e : eventsAfterSavedSeq) {
      Map<String, String> labels = e.labels();
      if (!path.equals(labels.get(PATH_LABEL))) {
        continue;
      }
      Optional<FileId> id = fileIdOf(labels);
      long offset = parseOffset(labels.get(NEXT_OFFSET_LABEL));
      if (id.isEmpty() || offset < 0) {
        continue;
      }
      if (id.get().equals(file)) {
        next = Math.max(next, offset);
      } else {
        file = id.get();
        next = offset;
      }
    }
    return file == null
        ? Optional.empty()
        : Optional.of(new Position(path, file, next, Position.NO_SEQ));
  }

  private static Optional<FileId> fileIdOf(Map<String, String> labels) {
    String device = labels.get(DEVICE_LABEL);
    String inode = labels.get(INODE_LABEL);
    if (device != null && inode != null && !device.isEmpty() && !inode.isEmpty()) {
      return Optional.of(new FileId(device, inode));
    }
    String key = labels.get(FILE_ID_LABEL);
    return key == null || key.isEmpty() ? Optional.empty() : Optional.of(new FileId("", key));
  }

  private static long parseOffset(String text) {
    if (text == null) {
      return -1;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** An open file being read. */
  private static final class Followed {
    final Path openedAs;
    final FileChannel channel;
    final FileId id;
    final LineSplitter splitter;
    int quietPolls;

    Followed(Path openedAs, FileChannel channel, FileId id, LineSplitter splitter) {
      this.openedAs = openedAs;
      this.channel = channel;
      this.id = id;
      this.splitter = splitter;
    }
  }

  private record InFlight(CompletableFuture<EventSink.Stored> future, Position end) {}

  // ---- the tailer's thread ----

  private void run(Optional<Position> from) {
    try {
      from.ifPresent(this::openResumed);
      long pollNanos = config.pollInterval().toNanos();
      while (!stopping && failure == null) {
        boolean progressed = pollOnce();
        settle(false);
        if (!progressed && !stopping && failure == null) {
          LockSupport.parkNanos(this, pollNanos);
        }
      }
      if (failure == null) {
        sendBatch();
        settle(true);
      }
    } catch (InterruptedException e) {
      failure = e;
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.log(Level.ERROR, "following " + pathLabel + " failed", e);
    } finally {
      if (current != null) {
        closeQuietly(current);
        current = null;
      }
    }
  }

  /** Opens the file of a position given at start: at the path, or rotated next to it. */
  private void openResumed(Position p) {
    try {
      Optional<FileId> atPath = FileId.of(config.path());
      if (atPath.isPresent() && atPath.get().equals(p.file())) {
        current = open(config.path(), p.file(), p.offset());
        return;
      }
      Optional<Path> rotated = findInDirectory(p.file());
      if (rotated.isPresent()) {
        LOG.log(
            Level.INFO,
            "{0} was rotated while not followed: reading the rest of {1} from offset {2} first",
            pathLabel,
            rotated.get(),
            Long.toString(p.offset()));
        current = open(rotated.get(), p.file(), p.offset());
      } else {
        LOG.log(
            Level.WARNING,
            "{0}: the file of the saved position ({1}) is gone; what it held after offset {2} was"
                + " not read",
            pathLabel,
            p.file(),
            Long.toString(p.offset()));
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "{0}: cannot open the file of the saved position: {1}", pathLabel, e);
    }
  }

  private Optional<Path> findInDirectory(FileId id) throws IOException {
    Path dir = config.path().toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f) && FileId.of(f).equals(Optional.of(id))) {
          return Optional.of(f);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Opens {@code file}, which must still be {@code expected}, at {@code offset}; null when it is
   * gone or was replaced meanwhile. An offset past the end (the file was truncated) or not at the
   * start of a line (not a position this tailer wrote) starts at 0 instead.
   */
  private Followed open(Path file, FileId expected, long offset) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
    boolean ok = false;
    try {
      if (!FileId.of(file).equals(Optional.of(expected))) {
        return null;
      }
      long start = offset;
      long size = ch.size();
      if (offset > size) {
        LOG.log(
            Level.WARNING,
            "{0}: {1} is shorter ({2} bytes) than the position {3}: truncated; reading it from 0",
            pathLabel,
            file,
            Long.toString(size),
            Long.toString(offset));
        truncations.incrementAndGet();
        start = 0;
      } else if (offset > 0 && offset < size && !newlineBefore(ch, offset)) {
        LOG.log(
            Level.WARNING,
            "{0}: position {1} in {2} is not at the start of a line; reading it from 0",
            pathLabel,
            Long.toString(offset),
            file);
        start = 0;
      }
      Followed f = new Followed(file, ch, expected, new LineSplitter(start, config.maxLineBytes()));
      ok = true;
      return f;
    } finally {
      if (!ok) {
        ch.close();
      }
    }
  }

  private static boolean newlineBefore(FileChannel ch, long offset) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    return ch.read(one, offset - 1) == 1 && one.get(0) == '\n';
  }

  /** One poll: read what is new, look for rotation and truncation. Whether anything happened. */
  private boolean pollOnce() throws InterruptedException {
    boolean progressed = false;
    try {
      if (current == null) {
        Optional<FileId> atPath = FileId.of(config.path());
        if (atPath.isEmpty()) {
          return false;
        }
        current = open(config.path(), atPath.get(), 0);
        if (current == null) {
          return true; // replaced while opening: look again at once
        }
        progressed = true;
      }
      Followed f = current;
      if (f.channel.size() < f.splitter.position()) {
        truncated(f);
        progressed = true;
      }
      long read = readAvailable(f);
      progressed |= read > 0;
      sendBatch();
      if (stopping) {
        return progressed;
      }
      Optional<FileId> atPath = FileId.of(config.path());
      if (atPath.isPresent() && atPath.get().equals(f.id)) {
        f.quietPolls = 0;
        return progressed;
      }
      // Rotated away or deleted: read it to its end, then let it go.
      f.quietPolls = read > 0 ? 0 : f.quietPolls + 1;
      if (f.quietPolls >= QUIET_POLLS) {
        f.splitter.flushPartial().ifPresent(line -> emit(f, line));
        sendBatch();
        rotations.incrementAndGet();
        LOG.log(
            Level.DEBUG,
            "{0}: finished {1} ({2}) at offset {3}; the path now names {4}",
            pathLabel,
            f.openedAs,
            f.id,
            Long.toString(f.splitter.position()),
            atPath.map(FileId::toString).orElse("no file"));
        closeQuietly(f);
        current = null;
        progressed = true;
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "{0}: {1}; trying again at the next poll", pathLabel, e.toString());
    }
    return progressed;
  }

  private void truncated(Followed f) throws InterruptedException {
    truncations.incrementAndGet();
    LOG.log(
        Level.INFO,
        "{0}: {1} shrank below the read position {2} (copytruncate?): reading it from 0",
        pathLabel,
        f.openedAs,
        Long.toString(f.splitter.position()));
    f.splitter.flushPartial().ifPresent(line -> emit(f, line));
    sendBatch(); // its position is in the old content; the next ones are in the new
    f.splitter.reset(0);
  }

  /** Reads to the end of the file (or until asked to stop); the number of bytes read. */
  private long readAvailable(Followed f) throws IOException, InterruptedException {
    long total = 0;
    while (!stopping) {
      buffer.clear();
      int n = f.channel.read(buffer, f.splitter.position());
      if (n <= 0) {
        break;
      }
      total += n;
      bytesRead.addAndGet(n);
      f.splitter.feed(buffer.array(), 0, n, lines);
      for (LineSplitter.Line line : lines) {
        emit(f, line);
        if (batch.size() >= config.batchSize()) {
          sendBatch();
        }
      }
      lines.clear();
    }
    return total;
  }

  /** Parses one line into the batch. */
  private void emit(Followed f, LineSplitter.Line line) {
    linesRead.incrementAndGet();
    batchEnd = new Position(pathLabel, f.id, line.next(), Position.NO_SEQ);
    ParseContext context = new ParseContext(config.clock().instant(), config.zone());
    List<AccessEvent> events = new ArrayList<>(1);
    if (line.cut()) {
      linesCut.incrementAndGet();
      events.add(
          Unparsed.of(
              line.text(),
              "line longer than "
                  + config.maxLineBytes()
                  + " bytes: only its first "
                  + config.maxLineBytes()
                  + " bytes are stored",
              context));
    } else if (jsonFraming && line.text().isBlank()) {
      return; // whitespace between JSON values is not a record
    } else {
      try {
        config.parser().parse(line.text(), context, events::add);
      } catch (RuntimeException e) {
        events.clear();
        events.add(
            Unparsed.of(
                line.text(), "parser " + config.parser().format() + " failed: " + e, context));
      }
      if (events.isEmpty()) {
        events.add(
            Unparsed.of(
                line.text(), "parser " + config.parser().format() + " gave no event", context));
      }
    }
    for (AccessEvent e : events) {
      AccessEvent.Builder b =
          e.toBuilder()
              .label(PATH_LABEL, pathLabel)
              .label(OFFSET_LABEL, Long.toString(line.start()))
              .label(NEXT_OFFSET_LABEL, Long.toString(line.next()));
      if (f.id.isUnix()) {
        b.label(DEVICE_LABEL, f.id.deviceId()).label(INODE_LABEL, f.id.inode());
        b.label(FILE_ID_LABEL, null);
      } else {
        b.label(FILE_ID_LABEL, f.id.inode());
        b.label(DEVICE_LABEL, null).label(INODE_LABEL, null);
      }
      batch.add(b.build());
    }
  }

  /** Hands the batch to the sink (blocking while it is behind). */
  private void sendBatch() throws InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    CompletableFuture<EventSink.Stored> future = sink.store(List.copyOf(batch));
    inFlight.add(new InFlight(future, batchEnd));
    batch.clear();
    while (inFlight.size() > MAX_BATCHES_IN_FLIGHT && failure == null) {
      settleHead();
    }
  }

  private void settleHead() throws InterruptedException {
    InFlight head = inFlight.peek();
    if (head != null) {
      try {
        head.future().get();
      } catch (ExecutionException e) {
        // settle() records the failure
      }
      settle(false);
    }
  }

  /**
   * Saves the position after the durable batches at the head of the queue (in order: a batch
   * durable after one that is not yet does not count); with {@code wait}, waits for all of them.
   */
  private void settle(boolean wait) throws InterruptedException {
    Position durable = null;
    while (!inFlight.isEmpty()) {
      InFlight head = inFlight.peek();
      if (!wait && !head.future().isDone()) {
        break;
      }
      EventSink.Stored stored;
      try {
        stored = head.future().get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        LOG.log(
            Level.ERROR,
            pathLabel + ": the sink could not store a batch; stopping at the last durable position",
            cause);
        failure = cause;
        stopping = true;
        inFlight.clear();
        break;
      }
      inFlight.poll();
      batchesDurable.incrementAndGet();
      durable = head.end().withLastSeq(stored.firstSeq() + stored.count() - 1);
    }
    if (durable != null) {
      try {
        positions.save(durable);
      } catch (IOException | RuntimeException e) {
        positionSaveFailures.incrementAndGet();
        LOG.log(Level.WARNING, "{0}: cannot save the position: {1}", pathLabel, e.toString());
      }
    }
  }

  private void closeQuietly(Followed f) {
    try {
      f.channel.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "{0}: closing {1}: {2}", pathLabel, f.openedAs, e.toString());
    }
  }

  @Override
  public String toString() {
    return "FileTailer[" + pathLabel + ", " + config.parser().format() + "]";
  }
}
