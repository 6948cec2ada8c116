package dev.trailwatch.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reference (e), the disk: what one ledger append of 1,000 records of 300 bytes writes (324,000
 * bytes: each record has 24 bytes of frame) then {@code fdatasync}, as {@link FileChannel#force
 * force(false)} does, on one thread, with nothing else. Score: records per second. This is the
 * ceiling of a single appender that waits for each fsync.
 *
 * <p>{@code extend}: append to the end of a file, as the ledger does, so each fsync also commits
 * the new file size to the file system journal; the file rolls over at 128 MiB like a segment.
 * {@code overwrite}: rewrite a 128 MiB file that was written and synced beforehand, so an fsync
 * writes data blocks only. {@code extend-heap}: as {@code extend}, but from a heap array wrapped in
 * a {@code ByteBuffer} for each write, as {@code Ledger.write} does (the JDK then copies it into a
 * temporary direct buffer).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DiskBenchmark {
  static final int GROUP_BYTES = Records.BATCH * (Records.SIZE + 24);
  static final long FILE_BYTES = 128L << 20;

  @Param({"extend", "overwrite", "extend-heap", "extend-keep"})
  public String mode;

  private Path scratch;
  private Path file;
  private FileChannel channel;
  private long position;
  private int files;
  private final ByteBuffer group = ByteBuffer.allocateDirect(GROUP_BYTES);
  private final byte[] heapGroup = new byte[GROUP_BYTES];

  @Setup(Level.Trial)
  public void open() throws IOException {
    scratch = Records.scratchDirectory("trailwatch-disk-");
    byte[] bytes = new byte[GROUP_BYTES];
    for (byte[] r : Records.generate(Records.SEED, 1, GROUP_BYTES)) {
      System.arraycopy(r, 0, bytes, 0, GROUP_BYTES);
    }
    group.put(bytes).flip();
    System.arraycopy(bytes, 0, heapGroup, 0, GROUP_BYTES);
    roll();
    if (mode.equals("overwrite")) {
      ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
      for (long p = 0; p < FILE_BYTES; p += zeros.capacity()) {
        zeros.clear();
        while (zeros.hasRemaining()) {
          channel.write(zeros, p + zeros.position());
        }
      }
      channel.force(true);
    } else if (!mode.startsWith("extend")) {
      throw new IllegalArgumentException("mode must be extend or overwrite, not " + mode);
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      Records.deleteRecursively(scratch);
    }
  }

  @Benchmark
  @OperationsPerInvocation(Records.BATCH)
  public long writeAndSync() throws IOException {
    if (position + GROUP_BYTES > FILE_BYTES) {
      if (mode.startsWith("extend")) {
        roll();
      } else {
        position = 0;
      }
    }
    ByteBuffer buf = mode.equals("extend-heap") ? ByteBuffer.wrap(heapGroup) : group.rewind();
    while (buf.hasRemaining()) {
      position += channel.write(buf, position);
    }
    channel.force(false);
    return position;
  }

  private void roll() throws IOException {
    if (channel != null) {
      channel.close();
      if (!mode.equals("extend-keep")) {
        Files.delete(file);
      }
    }
    file = scratch.resolve("file-" + files++);
    channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
    position = 0;
  }
}
