package dev.trailwatch.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Raw SHA-256 of one 300-byte record: the reference every ledger figure is compared with. */
@State(Scope.Thread)
public class Sha256Benchmark {
  private final byte[] record = new byte[300];
  private final MessageDigest sha;

  public Sha256Benchmark() {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Benchmark
  public byte[] sha256() {
    return sha.digest(record);
  }
}
