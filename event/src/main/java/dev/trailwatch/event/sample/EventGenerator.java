package dev.trailwatch.event.sample;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.CanonicalEncoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A deterministic stream of realistic access events from six simulated sources: sshd logins
 * (publickey and password, with single guesses from the internet), nginx requests (paths, methods,
 * status codes, user agents), CloudTrail-like API calls (ConsoleLogin, AssumeRole, GetObject on
 * buckets, ...), Kubernetes audit (get/list/create/delete on resources, exec), application logins
 * with tenants and sessions, and sudo. About 5% of normal traffic fails; interleaved attack bursts
 * add SSH brute force (sometimes ending in a successful login), web scanning, credential stuffing
 * and console brute force. Times follow a daily and weekly rhythm ({@link Timeline}): {@link
 * GeneratorConfig#events()} events span {@link GeneratorConfig#duration()}.
 *
 * <p>The same seed and configuration give the same events, byte for byte in canonical form, on any
 * JVM. Not thread-safe: one generator per thread.
 */
public final class EventGenerator {
  /** Chance that a normal event starts a new attack burst (when none is running). */
  private static final double BURST_START = 1.0 / 5000;

  private final GeneratorConfig config;
  private final long seed;
  private final SplitMix64 rng;
  private final Timeline timeline;
  private final Sources sources;
  private Sources.Burst burst;
  private long generated;

  public EventGenerator(long seed, GeneratorConfig config) {
    this.config = requireNonNull(config, "config");
    this.seed = seed;
    this.rng = new SplitMix64(seed);
    World world = new World(rng, config);
    this.timeline = new Timeline(config.start(), config.duration().toNanos(), config.events());
    this.sources = new Sources(rng, world);
  }

  public GeneratorConfig config() {
    return config;
  }

  /** Events generated so far. */
  public long generated() {
    return generated;
  }

  /** The next event; the stream does not end (beyond {@code events} it keeps the same rate). */
  public AccessEvent next() {
    java.time.Instant t = timeline.next(rng);
    AccessEvent event;
    if (burst != null && rng.chance(burst.share)) {
      event = sources.attack(burst, t);
      if (--burst.remaining == 0) {
        burst = null;
      }
    } else {
      if (burst == null && rng.chance(BURST_START)) {
        burst = sources.newBurst();
      }
      event = sources.normal(t);
    }
    generated++;
    return event;
  }

  /** The next {@link GeneratorConfig#events()} events, lazily. */
  public Stream<AccessEvent> stream() {
    return Stream.generate(this::next).limit(config.events());
  }

  /**
   * Writes the next {@code count} events as NDJSON in canonical form (one event per line, {@code
   * \n} endings), replacing a share {@link GeneratorConfig#invalidFraction()} of the lines by
   * invalid ones; creates or truncates {@code file}.
   */
  public WriteSummary writeNdjson(Path file, long count) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      return writeNdjson(out, count);
    }
  }

  /** As {@link #writeNdjson(Path, long)}, to a stream (which stays open). */
  public WriteSummary writeNdjson(OutputStream out, long count) throws IOException {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 20);
    CanonicalEncoder encoder = new CanonicalEncoder();
    Corruptor corruptor = new Corruptor(seed + generated);
    long bytes = 0;
    long invalid = 0;
    for (long i = 0; i < count; i++) {
      AccessEvent event = next();
      if (corruptor.corrupt(config.invalidFraction())) {
        byte[] line = corruptor.corrupt(encoder.encode(event), event.message().orElse(""));
        buffered.write(line);
        bytes += line.length;
        invalid++;
      } else {
        bytes += encoder.encode(event, buffered);
      }
      buffered.write('\n');
      bytes++;
    }
    buffered.flush();
    return new WriteSummary(count, invalid, bytes);
  }
}
