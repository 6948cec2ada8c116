package dev.trailwatch.bench;

import dev.trailwatch.ledger.merkle.CompactRange;
import dev.trailwatch.ledger.merkle.NodeSink;
import dev.trailwatch.ledger.merkle.Rfc6962Hasher;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 *
 * <p>{@link #oneUpdatePerHash} is not a reference but a proposal, measured: the same hashes (a leaf
 * and one interior node per record, which is what {@link CompactRange} computes on average) with
 * one {@code MessageDigest.update} per hash over a scratch buffer holding the prefix byte and the
 * input, instead of the two or three updates {@link Rfc6962Hasher} makes.
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
  private MessageDigest sha;
  private byte[] scratch;
  private final byte[] node = new byte[1 + 2 * Rfc6962Hasher.HASH_SIZE];

  @Setup(Level.Trial)
  public void setup() {
    records = Records.generate(Records.SEED, Records.BATCH, bytes);
    hasher = Rfc6962Hasher.create();
    range = new CompactRange(hasher);
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    scratch = new byte[1 + bytes];
    node[0] = 1;
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

  @Benchmark
  @OperationsPerInvocation(Records.BATCH)
  public int oneUpdatePerHash() throws DigestException {
    // node[1..33) holds the previous hash (the left child), node[33..65) the new leaf (the right).
    for (byte[] r : records) {
      System.arraycopy(r, 0, scratch, 1, r.length); // scratch[0] stays 0x00, the leaf prefix
      sha.update(scratch, 0, scratch.length);
      sha.digest(node, 33, 32);
      sha.update(node, 0, node.length);
      sha.digest(node, 1, 32);
    }
    return node[1];
  }
}
