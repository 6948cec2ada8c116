package dev.trailwatch.bench;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Reference (a): raw SHA-256 of records, one digest per record, on one thread, with the JDK's
 * provider and no allocation. Score: records hashed per second.
 *
 * <p>{@code bytes=300} is the reference the targets are stated against. {@code bytes=320} hashes
 * what the ledger hashes per 300-byte payload: the record frame (length, sequence number, ingest
 * time: 20 bytes) plus the payload. With the RFC 6962 prefix byte, that is one SHA-256 block more
 * (6 instead of 5).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Sha256Benchmark {
  @Param({"300", "320"})
  public int bytes;

  private byte[][] records;
  private MessageDigest sha;
  private final byte[] out = new byte[32];

  @Setup
  public void setup() throws NoSuchAlgorithmException {
    records = Records.generate(Records.SEED, Records.BATCH, bytes);
    sha = MessageDigest.getInstance("SHA-256");
  }

  @Benchmark
  @OperationsPerInvocation(Records.BATCH)
  public int sha256() throws DigestException {
    int acc = 0;
    for (byte[] r : records) {
      sha.update(r);
      sha.digest(out, 0, out.length);
      acc ^= out[0];
    }
    return acc;
  }
}
