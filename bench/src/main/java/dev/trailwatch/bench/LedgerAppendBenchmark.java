package dev.trailwatch.bench;

import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import dev.trailwatch.ledger.SeqRange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * (c) Ledger append: each call is {@link Ledger#append} of 1,000 records of 300 bytes, which
 * returns once they are fsynced (group commit: concurrent appenders share one fsync). Score:
 * records durable per second, summed over the appender threads.
 *
 * <p>Each trial opens a new ledger with the default configuration in a fresh directory under {@code
 * -Dbench.dir} (default {@code java.io.tmpdir}; it must be on the disk under test, not tmpfs) and
 * deletes it afterwards. The ledger hashes records into its tree on its own thread, which may lag
 * the writer by at most 64 MiB; warm-up fills that backlog, so in the measured iterations the
 * append rate is also the rate at which the tree keeps up.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class LedgerAppendBenchmark {

  /** One ledger per trial, shared by the appender threads. */
  @State(Scope.Benchmark)
  public static class OpenLedger {
    Path scratch;
    Ledger ledger;

    @Setup(Level.Trial)
    public void open() throws IOException {
      scratch = Records.scratchDirectory("trailwatch-append-");
      ledger = Ledger.open(LedgerConfig.of(scratch.resolve("data")));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      try {
        if (ledger != null) {
          ledger.close();
        }
      } finally {
        Records.deleteRecursively(scratch);
      }
    }
  }

  /** Each appender thread's batch: 1,000 distinct 300-byte records, reused for every call. */
  @State(Scope.Thread)
  public static class Batch {
    List<byte[]> records;

    @Setup(Level.Trial)
    public void generate(ThreadParams thread) {
      records = Records.batch(Records.SEED + thread.getThreadIndex());
    }
  }

  /** One producer that keeps {@link #IN_FLIGHT} batches in flight with appendAsync. */
  @State(Scope.Thread)
  public static class Pipeline {
    final ArrayDeque<CompletableFuture<SeqRange>> pending = new ArrayDeque<>();

    /** Waits for the batches still in flight, so that the next iteration starts empty. */
    @TearDown(Level.Iteration)
    public void drain() throws InterruptedException, ExecutionException {
      while (!pending.isEmpty()) {
        pending.poll().get();
      }
    }
  }

  static final int IN_FLIGHT = 4;

  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(Records.BATCH)
  public SeqRange append1(OpenLedger l, Batch b) throws IOException, InterruptedException {
    return l.ledger.append(b.records);
  }

  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(Records.BATCH)
  public SeqRange append2(OpenLedger l, Batch b) throws IOException, InterruptedException {
    return l.ledger.append(b.records);
  }

  @Benchmark
  @Threads(4)
  @OperationsPerInvocation(Records.BATCH)
  public SeqRange append4(OpenLedger l, Batch b) throws IOException, InterruptedException {
    return l.ledger.append(b.records);
  }

  /**
   * One thread, {@value #IN_FLIGHT} batches in flight ({@link Ledger#appendAsync}): each call
   * submits a batch and waits until the oldest one is durable, as an importer could.
   */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(Records.BATCH)
  public SeqRange appendPipelined(OpenLedger l, Batch b, Pipeline p)
      throws InterruptedException, ExecutionException {
    SeqRange done = null;
    if (p.pending.size() >= IN_FLIGHT) {
      done = p.pending.poll().get();
    }
    p.pending.add(l.ledger.appendAsync(b.records));
    return done;
  }
}
