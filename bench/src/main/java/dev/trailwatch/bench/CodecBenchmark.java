package dev.trailwatch.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Decoded;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import java.io.IOException;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The event codec on the ingest path, per event, on one thread: {@link EventJson#decode(byte[],
 * int, int)} (parse, validate, build), {@link EventJson#canonical} (the stored form) and both in a
 * row, as HTTP ingest does. Input: {@value #EVENTS} generator events (seed 1, default
 * configuration) in canonical form, about 514 bytes each, prepared in setup.
 *
 * <p>Reference, in the same run: {@link #jacksonTokens}, Jackson's own streaming parser stepping
 * through every token of the same bytes without looking at any value, the floor that a codec built
 * on Jackson pays; {@link #jacksonTokensAndText} also materialises every name and value as a
 * String, as any decoder that keeps them must.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CodecBenchmark {
  static final int EVENTS = 10_000;

  private static final JsonFactory JACKSON = new JsonFactory();

  private byte[][] lines;
  private AccessEvent[] events;

  @Setup(Level.Trial)
  public void setup() {
    EventGenerator generator = new EventGenerator(1, GeneratorConfig.defaults());
    events = new AccessEvent[EVENTS];
    lines = new byte[EVENTS][];
    for (int i = 0; i < EVENTS; i++) {
      events[i] = generator.next();
      lines[i] = EventJson.canonical(events[i]);
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public int decode() {
    int valid = 0;
    for (byte[] line : lines) {
      if (EventJson.decode(line, 0, line.length) instanceof Decoded.Valid) {
        valid++;
      }
    }
    return valid;
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long canonical() {
    long bytes = 0;
    for (AccessEvent e : events) {
      bytes += EventJson.canonical(e).length;
    }
    return bytes;
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long decodeAndCanonical() {
    long bytes = 0;
    for (byte[] line : lines) {
      if (EventJson.decode(line, 0, line.length) instanceof Decoded.Valid valid) {
        bytes += EventJson.canonical(valid.event()).length;
      }
    }
    return bytes;
  }

  /** The import's and the server's fast path for lines that already are canonical. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public int isCanonical() {
    int canonical = 0;
    for (byte[] line : lines) {
      if (EventJson.isCanonical(line, 0, line.length)) {
        canonical++;
      }
    }
    return canonical;
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long jacksonTokens() throws IOException {
    long tokens = 0;
    for (byte[] line : lines) {
      try (JsonParser p = JACKSON.createParser(line, 0, line.length)) {
        while (p.nextToken() != null) {
          tokens++;
        }
      }
    }
    return tokens;
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long jacksonTokensAndText() throws IOException {
    long chars = 0;
    for (byte[] line : lines) {
      try (JsonParser p = JACKSON.createParser(line, 0, line.length)) {
        JsonToken t;
        while ((t = p.nextToken()) != null) {
          if (t == JsonToken.FIELD_NAME || t.isScalarValue()) {
            chars += p.getText().length();
          }
        }
      }
    }
    return chars;
  }
}
