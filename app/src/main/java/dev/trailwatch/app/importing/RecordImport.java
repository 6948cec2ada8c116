package dev.trailwatch.app.importing;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Decoded;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ledger.Batch;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.SeqRange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Imports records of any format into a ledger, in file order, using every core: one thread reads
 * line-aligned blocks, a pool parses, validates and encodes each block's records to canonical form,
 * and the blocks are appended in order while the ledger's group commit batches their fsyncs.
 *
 * <p>How a record becomes events is a {@link RecordDecoder}: {@link #ndjson} decodes ECS JSON
 * straight from bytes (the fast path); {@link #parser} runs any {@link RecordParser}. Formats
 * framed as JSON values rather than lines are first rewritten as one compact value per line ({@link
 * JsonLines}), so that records are numbered, not lines.
 *
 * <p>A record that is not a valid event is not dropped: it is stored as an unparsed event (raw text
 * in {@code message}, the reason in {@code labels.parse_error}) and reported with its number.
 */
public final class RecordImport {
  /** Bytes per block handed to a decoder. */
  static final int BLOCK = 4 << 20;

  /** One rejected line: where, and why. */
  public record Rejected(String source, long line, OptionalInt column, String reason) {
    /** The same rejection, {@code lines} lines further on. */
    Rejected movedBy(long lines) {
      return new Rejected(source, line + lines, column, reason);
    }

    public String describe() {
      return source
          + ":"
          + line
          + (column.isPresent() ? ":" + column.getAsInt() : "")
          + ": "
          + reason;
    }
  }

  /** Receives progress and rejected lines as they happen. */
  public interface Listener {
    void bytesRead(long total);

    void rejected(Rejected line);
  }

  /** Totals of one import. */
  public record Summary(long valid, long unparsed, long blankLines, SeqRange first, SeqRange last) {
    public long events() {
      return valid + unparsed;
    }
  }

  private record Block(byte[] data, int length, String source) {}

  /**
   * What a block held. Its decoder numbers lines from 1 at the block's start ({@code rejected}
   * too); the reading thread, which takes blocks in order, moves them to their place in the file.
   */
  private record Decoded(
      Block block, Packed payloads, long lines, long valid, long blank, List<Rejected> rejected) {}

  /** Turns one record (a line, without its line break) into canonical events. */
  public interface RecordDecoder {
    void decode(byte[] data, int from, int to, long number, String source, Output out);
  }

  /** Where a decoder puts what it made. */
  public interface Output {
    /** A valid event's canonical form, {@code data[from, to)}, copied before this returns. */
    void valid(byte[] data, int from, int to);

    default void valid(byte[] canonical) {
      valid(canonical, 0, canonical.length);
    }

    void unparsed(byte[] canonical, Rejected why);
  }

  /**
   * ECS JSON events, one per line, decoded from bytes. A line that already is the canonical form of
   * a valid event (as Trailwatch's own exports and generator write them) is stored as it is,
   * without decoding and encoding it again.
   */
  public static RecordDecoder ndjson(InstantSource clock) {
    return (data, from, to, number, source, out) -> {
      if (EventJson.isCanonical(data, from, to - from)) {
        out.valid(data, from, to);
        return;
      }
      dev.trailwatch.event.Decoded d = EventJson.decode(data, from, to - from);
      if (d instanceof dev.trailwatch.event.Decoded.Valid v) {
        out.valid(EventJson.canonical(v.event()));
      } else {
        dev.trailwatch.event.Decoded.Invalid inv = (dev.trailwatch.event.Decoded.Invalid) d;
        String reason = inv.summary();
        out.unparsed(
            EventJson.canonical(AccessEvent.unparsed(inv.raw(), reason, clock.instant())),
            new Rejected(source, number, inv.column(), reason));
      }
    };
  }

  /** Records of a {@link RecordParser}'s format, one per line. */
  public static RecordDecoder parser(
      RecordParser parser, ParseContext context, InstantSource clock) {
    return (data, from, to, number, source, out) -> {
      String record = new String(data, from, to - from, StandardCharsets.UTF_8);
      parser.parse(
          record,
          context.receivedAt(clock.instant()),
          e -> {
            byte[] canonical = EventJson.canonical(e);
            if (e.isUnparsed()) {
              String reason = e.labels().getOrDefault(AccessEvent.PARSE_ERROR_LABEL, "not parsed");
              out.unparsed(canonical, new Rejected(source, number, OptionalInt.empty(), reason));
            } else {
              out.valid(canonical);
            }
          });
    };
  }

  private final Ledger ledger;
  private final RecordDecoder decoder;

  /** Buffers for {@link Packed}, reused once their entries are stored; decoders take them. */
  private final Queue<byte[]> packers = new ConcurrentLinkedQueue<>();

  private final Listener listener;
  private final int threads;

  public RecordImport(Ledger ledger, RecordDecoder decoder, Listener listener, int threads) {
    this.ledger = ledger;
    this.decoder = decoder;
    this.listener = listener;
    this.threads = threads;
  }

  /** Imports one stream; {@code source} names it in reports. */
  public Summary run(InputStream in, String source) throws IOException, InterruptedException {
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "import-decoder-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ArrayDeque<Future<Decoded>> decoding = new ArrayDeque<>();
    ArrayDeque<Appending> appending = new ArrayDeque<>();
    long valid = 0;
    long unparsed = 0;
    long blank = 0;
    SeqRange first = null;
    SeqRange last = null;
    // Blocks are reused once decoded (decoders copy what they keep), so memory stays flat.
    ArrayDeque<byte[]> free = new ArrayDeque<>();
    try {
      byte[] carry = new byte[0];
      long linesBefore = 0;
      long read = 0;
      boolean eof = false;
      while (!eof || !decoding.isEmpty()) {
        // Keep the decoders busy: a few blocks in flight per thread.
        while (!eof && decoding.size() < threads * 2) {
          byte[] buf = nextBuffer(free, carry.length);
          System.arraycopy(carry, 0, buf, 0, carry.length);
          int len = carry.length;
          int got;
          while (len < buf.length && (got = in.read(buf, len, buf.length - len)) > 0) {
            len += got;
            read += got;
          }
          eof = len < buf.length;
          int cut = eof ? len : lastNewline(buf, len) + 1;
          if (cut == 0) {
            carry = Arrays.copyOf(buf, len); // a line longer than the block: read more
            if (eof) {
              cut = len;
            } else {
              continue;
            }
          }
          carry = Arrays.copyOfRange(buf, cut, len);
          Block block = new Block(buf, cut, source);
          decoding.add(pool.submit(() -> decode(block)));
          listener.bytesRead(read);
        }
        if (decoding.isEmpty()) {
          break;
        }
        Decoded d = await(decoding.poll());
        if (d.block().data().length == BLOCK) {
          free.add(d.block().data());
        }
        for (Rejected r : d.rejected()) {
          listener.rejected(r.movedBy(linesBefore));
        }
        linesBefore += d.lines();
        valid += d.valid();
        unparsed += d.rejected().size();
        blank += d.blank();
        if (d.payloads().count > 0) {
          appending.add(new Appending(ledger.appendAsync(d.payloads().batch()), d.payloads()));
        } else {
          packers.add(d.payloads().data);
        }
        while (appending.size() > threads * 2
            || (appending.peek() != null && appending.peek().stored().isDone())) {
          SeqRange r = awaitAppend(appending.poll());
          first = first == null ? r : first;
          last = r;
        }
      }
      while (!appending.isEmpty()) {
        SeqRange r = awaitAppend(appending.poll());
        first = first == null ? r : first;
        last = r;
      }
    } finally {
      pool.shutdownNow();
    }
    SeqRange none = new SeqRange(ledger.size(), 0);
    return new Summary(
        valid, unparsed, blank, first == null ? none : first, last == null ? none : last);
  }

  private Decoded decode(Block b) {
    byte[] buffer = packers.poll();
    Packed payloads = new Packed(buffer != null ? buffer : new byte[BLOCK]);
    List<Rejected> rejected = new ArrayList<>();
    long[] valid = {0};
    long blank = 0;
    byte[] data = b.data();
    int start = 0;
    long line = 1;
    Output out =
        new Output() {
          @Override
          public void valid(byte[] data, int from, int to) {
            payloads.add(data, from, to - from);
            valid[0]++;
          }

          @Override
          public void unparsed(byte[] canonical, Rejected why) {
            payloads.add(canonical, 0, canonical.length);
            rejected.add(why);
          }
        };
    while (start < b.length()) {
      int end = start;
      while (end < b.length() && data[end] != '\n') {
        end++;
      }
      int stop = end;
      if (stop > start && data[stop - 1] == '\r') {
        stop--;
      }
      if (isBlank(data, start, stop)) {
        blank++;
      } else {
        decoder.decode(data, start, stop, line, b.source(), out);
      }
      line++;
      start = end + 1;
    }
    return new Decoded(b, payloads, line - 1, valid[0], blank, rejected);
  }

  private static boolean isBlank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  private static int lastNewline(byte[] b, int len) {
    for (int i = len - 1; i >= 0; i--) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** A block buffer with room for {@code carry} bytes and more: a reused one where it fits. */
  private static byte[] nextBuffer(ArrayDeque<byte[]> free, int carry) {
    if (carry * 2 <= BLOCK) {
      byte[] b = free.poll();
      return b != null ? b : new byte[BLOCK];
    }
    return new byte[carry * 2]; // a line longer than half a block: grow, and do not reuse
  }

  private static Decoded await(Future<Decoded> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** An append in flight, and the buffer it holds until it is stored. */
  private record Appending(CompletableFuture<SeqRange> stored, Packed payloads) {}

  /**
   * A block's entries packed back to back for {@link Ledger#appendAsync(Batch)}: no array per
   * entry. Its buffer goes back to {@link #packers} once the ledger has stored it.
   */
  private static final class Packed {
    private byte[] data;
    private int[] ends = new int[1024];
    private int count;
    private int used;

    Packed(byte[] data) {
      this.data = data;
    }

    void add(byte[] src, int from, int length) {
      if (used + length > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, used + length));
      }
      if (count == ends.length) {
        ends = Arrays.copyOf(ends, count * 2);
      }
      System.arraycopy(src, from, data, used, length);
      used += length;
      ends[count++] = used;
    }

    Batch batch() {
      return Batch.packed(data, ends, count);
    }
  }

  private SeqRange awaitAppend(Appending a) throws IOException, InterruptedException {
    SeqRange stored = awaitAppend(a.stored());
    packers.add(a.payloads().data);
    return stored;
  }

  private static SeqRange awaitAppend(CompletableFuture<SeqRange> f)
      throws IOException, InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(e.getCause());
    }
  }
}
