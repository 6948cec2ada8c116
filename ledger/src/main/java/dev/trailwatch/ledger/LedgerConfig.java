package dev.trailwatch.ledger;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * How to open a ledger for writing.
 *
 * @param dataDir the data directory (created if missing)
 * @param maxSegmentBytes segments roll over once they would grow past this size
 * @param checkpointInterval how often a checkpoint is signed while entries are appended
 * @param witness a folder or file on other storage that receives a copy of every checkpoint
 * @param origin the checkpoint origin for a new ledger (default: trailwatch/HOST/RANDOM)
 * @param maxGroupBytes how many bytes of records one group commit (one fsync) may carry
 * @param queueCapacity how many append requests may wait; appenders block beyond it
 * @param clock the source of ingest and checkpoint times
 * @param random the source of key material and ledger ids
 * @param directIo write segments with direct I/O where the file system allows it (see {@link
 *     ActiveSegment}); false: always through the page cache
 */
public record LedgerConfig(
    Path dataDir,
    long maxSegmentBytes,
    Duration checkpointInterval,
    Optional<Path> witness,
    Optional<String> origin,
    int maxGroupBytes,
    int queueCapacity,
    InstantSource clock,
    SecureRandom random,
    boolean directIo) {

  public static final long DEFAULT_SEGMENT_BYTES = 128L << 20;

  public LedgerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    Objects.requireNonNull(witness, "witness");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    if (maxSegmentBytes < 4096) {
      throw new IllegalArgumentException("maxSegmentBytes must be >= 4096, not " + maxSegmentBytes);
    }
    if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new IllegalArgumentException("checkpointInterval must be positive");
    }
    if (maxGroupBytes < 1 << 16) {
      throw new IllegalArgumentException("maxGroupBytes must be >= 65536, not " + maxGroupBytes);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be >= 1");
    }
  }

  /** Defaults: 128 MiB segments, a checkpoint every second, no witness. */
  public static LedgerConfig of(Path dataDir) {
    return new LedgerConfig(
        dataDir,
        DEFAULT_SEGMENT_BYTES,
        Duration.ofSeconds(1),
        Optional.empty(),
        Optional.empty(),
        16 << 20,
        1024,
        InstantSource.system(),
        new SecureRandom(),
        true);
  }

  public LedgerConfig withMaxSegmentBytes(long bytes) {
    return new LedgerConfig(
        dataDir,
        bytes,
        checkpointInterval,
        witness,
        origin,
        maxGroupBytes,
        queueCapacity,
        clock,
        random,
        directIo);
  }

  public LedgerConfig withCheckpointInterval(Duration interval) {
    return new LedgerConfig(
        dataDir,
        maxSegmentBytes,
        interval,
        witness,
        origin,
        maxGroupBytes,
        queueCapacity,
        clock,
        random,
        directIo);
  }

  public LedgerConfig withWitness(Optional<Path> path) {
    return new LedgerConfig(
        dataDir,
        maxSegmentBytes,
        checkpointInterval,
        path,
        origin,
        maxGroupBytes,
        queueCapacity,
        clock,
        random,
        directIo);
  }

  public LedgerConfig withOrigin(String name) {
    return new LedgerConfig(
        dataDir,
        maxSegmentBytes,
        checkpointInterval,
        witness,
        Optional.of(name),
        maxGroupBytes,
        queueCapacity,
        clock,
        random,
        directIo);
  }

  public LedgerConfig withClock(InstantSource source) {
    return new LedgerConfig(
        dataDir,
        maxSegmentBytes,
        checkpointInterval,
        witness,
        origin,
        maxGroupBytes,
        queueCapacity,
        source,
        random,
        directIo);
  }

  public LedgerConfig withDirectIo(boolean enabled) {
    return new LedgerConfig(
        dataDir,
        maxSegmentBytes,
        checkpointInterval,
        witness,
        origin,
        maxGroupBytes,
        queueCapacity,
        clock,
        random,
        enabled);
  }

  public LedgerConfig withRandom(SecureRandom source) {
    return new LedgerConfig(
        dataDir,
        maxSegmentBytes,
        checkpointInterval,
        witness,
        origin,
        maxGroupBytes,
        queueCapacity,
        clock,
        source,
        directIo);
  }
}
