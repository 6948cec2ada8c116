package dev.trailwatch.bench;

import dev.trailwatch.ledger.merkle.CompactRange;
import dev.trailwatch.ledger.merkle.NodeSink;
import dev.trailwatch.ledger.merkle.Rfc6962Hasher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reference (b): the RFC 6962 leaf hash of each record plus its share of the interior nodes, as the
 * ledger computes them ({@link Rfc6962Hasher#hashLeaf} then {@link CompactRange#append}; about one
 * interior hash per leaf), on one thread, without tile bookkeeping. Score: records per second.
 *
 * <p>{@code bytes} as in {@link Sha256Benchmark}: 300 is the stated reference, 320 is the leaf data
 * the ledger really hashes per 300-byte payload.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MerkleBenchmark {
  @Param({"300", "320"})
  public int bytes;

  private byte[][] records;
  private Rfc6962Hasher hasher;
  private CompactRange range;
  private final byte[] leaf = new byte[Rfc6962Hasher.HASH_SIZE];

  @Setup(Level.Trial)
  public void setup() {
    records = Records.generate(Records.SEED, Records.BATCH, bytes);
    hasher = Rfc6962Hasher.create();
    range = new CompactRange(hasher);
  }

  @Benchmark
  @OperationsPerInvocation(Records.BATCH)
  public long leafAndNodes() {
    for (byte[] r : records) {
      hasher.hashLeaf(r, 0, r.length, leaf, 0);
      range.append(leaf, NodeSink.NONE);
    }
    return range.size();
  }
}
