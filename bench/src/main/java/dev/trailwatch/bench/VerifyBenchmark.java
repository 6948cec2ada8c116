package dev.trailwatch.bench;

import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import dev.trailwatch.ledger.Verifier;
import dev.trailwatch.ledger.VerifyReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * (d) Verification: {@link Verifier#verify} of a closed ledger of 2^20 records of 300 bytes, built
 * once per trial: every record's CRC, every leaf and interior hash recomputed and compared with the
 * tiles, every checkpoint signature and root. Score: records verified per second.
 *
 * <p>The segments (about 340 MB) are in the page cache after the first call: this measures the CPU
 * cost of verification, not the disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class VerifyBenchmark {
  static final int RECORDS = 1 << 20;

  private Path scratch;
  private Verifier.Options options;

  @Setup(Level.Trial)
  public void build() throws IOException, InterruptedException {
    scratch = Records.scratchDirectory("trailwatch-verify-");
    Path data = scratch.resolve("data");
    List<byte[]> batch = Records.batch(Records.SEED);
    try (Ledger ledger = Ledger.open(LedgerConfig.of(data))) {
      for (int done = 0; done < RECORDS; ) {
        int n = Math.min(batch.size(), RECORDS - done);
        ledger.append(n == batch.size() ? batch : batch.subList(0, n));
        done += n;
      }
    }
    options = new Verifier.Options(data, Optional.empty(), Optional.empty(), (d, t) -> {});
    check(Verifier.verify(options));
  }

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    Records.deleteRecursively(scratch);
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public VerifyReport verify() throws IOException {
    return Verifier.verify(options);
  }

  private static void check(VerifyReport report) {
    if (!report.intact() || report.entries() != RECORDS || !report.problems().isEmpty()) {
      throw new IllegalStateException(
          "the benchmark ledger does not verify: "
              + report.entries()
              + " entries, problems "
              + report.problems());
    }
  }
}
