package dev.trailwatch.search.query;

import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;

/**
 * The random corpus the equivalence tests share: 100,000 generated events (seeded by {@link
 * TestSeeds}), their index and both evaluators. Built once per test JVM, on first use, and never
 * changed.
 */
final class Corpus {
  static final int SIZE = 100_000;

  final long seed;
  final List<StoredEvent> events;
  final NaiveEvaluator naive;
  final PipelineExecutor executor;

  /** A window that holds every event. */
  final TimeRange everything;

  private Corpus() {
    seed = TestSeeds.seed("corpus");
    GeneratorConfig config =
        GeneratorConfig.defaults().withEvents(SIZE).withUsers(500).withAddresses(2_000);
    EventGenerator generator = new EventGenerator(seed, config);
    List<StoredEvent> made = new ArrayList<>(SIZE);
    for (int i = 0; i < SIZE; i++) {
      made.add(new StoredEvent(i, generator.next()));
    }
    events = List.copyOf(made);
    naive = new NaiveEvaluator(events);
    try {
      IndexSearcher searcher =
          new IndexSearcher(DirectoryReader.open(TestIndex.build(events, 30_000)));
      executor = new PipelineExecutor(searcher);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Instant last = events.stream().map(e -> e.event().timestamp()).max(Instant::compareTo).get();
    everything = new TimeRange(config.start(), last.plusSeconds(1));
  }

  static Corpus get() {
    return Holder.CORPUS;
  }

  private static final class Holder {
    static final Corpus CORPUS = new Corpus();
  }
}
