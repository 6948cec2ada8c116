package dev.trailwatch.bench;

import dev.trailwatch.event.EventJson;
import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import dev.trailwatch.ledger.EntryIterator;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import dev.trailwatch.ledger.LedgerReader;
import dev.trailwatch.search.index.EventDocuments;
import dev.trailwatch.search.index.IndexFields;
import dev.trailwatch.search.index.Indexer;
import dev.trailwatch.search.index.IndexerConfig;
import dev.trailwatch.search.index.SearchIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

/**
 * The search index built from a ledger of {@code --events} generated events (default 2,000,000;
 * 50,000 users, 200,000 addresses, 30 days), end to end: from the first ledger read to the last
 * commit, in this JVM. Prints events/s, CPU, the CPU other processes used meanwhile, and index
 * bytes per million events beside the ledger's. Variants, in this order in every run:
 *
 * <ol>
 *   <li>{@code untuned}: the reference. One thread reads the ledger, decodes each event and adds a
 *       new document ({@link EventDocuments#document}, fresh {@code Field} objects) to an {@code
 *       IndexWriter} with Lucene's default configuration; one commit at the end.
 *   <li>{@code reused-fields}: the same loop, with one {@link EventDocuments} reusing its fields.
 *   <li>{@code indexer-1-default-writer}: the {@link Indexer} (ledger read on its own thread, one
 *       indexing thread) with Lucene's default writer settings (16 MB buffer, compound files, its
 *       merge policy).
 *   <li>{@code indexer-1}: the same with the indexer's writer settings ({@link
 *       IndexerConfig#rebuild()}: a buffer of a quarter of the heap up to 256 MB, no compound
 *       files, fewer merges).
 *   <li>{@code indexer}: {@link IndexerConfig#rebuild()} as {@code trailwatch reindex} runs it: one
 *       indexing thread per core.
 * </ol>
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/trailwatch-bench.jar \
 *     dev.trailwatch.bench.IndexBench [--events 2000000] [--runs 2] [--dir DIR] [--only NAME,...]
 *     [--threads N] [--ram-mb MB]
 * </pre>
 *
 * {@code --threads} and {@code --ram-mb} change the indexer's settings from {@link
 * IndexerConfig#rebuild()}, to try others.
 *
 * <p>The ledger is built once under {@code DIR} (default: a new directory under {@code -Dbench.dir}
 * or tmp) and reused by later runs given the same {@code --dir}.
 */
public final class IndexBench {
  static final List<String> VARIANTS =
      List.of("untuned", "reused-fields", "indexer-1-default-writer", "indexer-1", "indexer");

  private IndexBench() {}

  /** One variant's measurement. */
  record Result(
      String variant,
      long events,
      double seconds,
      double cpu,
      double others,
      long indexBytes,
      Map<String, Long> threads) {
    double rate() {
      return events / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    long events = Report.option(rest, "--events").map(Long::parseLong).orElse(2_000_000L);
    int runs = Report.option(rest, "--runs").map(Integer::parseInt).orElse(2);
    IndexerConfig tuned = IndexerConfig.rebuild();
    Optional<String> ram = Report.option(rest, "--ram-mb");
    if (ram.isPresent()) {
      tuned = tuned.withRamBufferMb(Double.parseDouble(ram.get()));
    }
    Optional<String> threads = Report.option(rest, "--threads");
    if (threads.isPresent()) {
      tuned = tuned.withThreads(Integer.parseInt(threads.get()));
    }
    List<String> only =
        Report.option(rest, "--only").map(s -> List.of(s.split(","))).orElse(VARIANTS);
    Path work =
        Report.option(rest, "--dir").map(Path::of).orElse(Records.scratchDirectory("tw-index-"));
    if (!rest.isEmpty()) {
      throw new IllegalArgumentException("unknown arguments: " + rest);
    }
    Path data = work.resolve("data-" + events);
    if (!Files.exists(data.resolve("LEDGER"))) {
      buildLedger(data, events);
    }
    long ledgerBytes = bytesUnder(data) - bytesUnder(SearchIndex.path(data));
    System.out.printf(
        Locale.ROOT,
        "ledger %s: %,d events, %,d bytes (%.1f MB per million events); %d cores, max heap %,d"
            + " MB; indexer config %s%n",
        data,
        events,
        ledgerBytes,
        ledgerBytes / 1e6 / (events / 1e6),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        tuned);
    for (int run = 1; run <= runs; run++) {
      double reference = Double.NaN;
      for (String variant : only) {
        Result r = measure(variant, data, events, tuned);
        if (variant.equals("untuned")) {
          reference = r.rate();
        }
        System.out.printf(
            Locale.ROOT,
            "run %d/%d: %-25s %,9.0f events/s (%6.2f s), CPU %6.2f s = %5.1f µs/event, others"
                + " %3.0f%% | index %,d bytes = %.1f MB per million events (ledger %.1f) | /"
                + " untuned %s%n",
            run,
            runs,
            variant,
            r.rate(),
            r.seconds(),
            r.cpu(),
            1e6 * r.cpu() / r.events(),
            r.others(),
            r.indexBytes(),
            r.indexBytes() / 1e6 / (r.events() / 1e6),
            ledgerBytes / 1e6 / (r.events() / 1e6),
            Double.isNaN(reference)
                ? "-"
                : String.format(Locale.ROOT, "%.2fx", r.rate() / reference));
        System.out.println(threads(r));
      }
    }
    Records.deleteRecursively(SearchIndex.path(data));
  }

  /** Where the CPU went: each thread (pools folded) that used at least 1% of it. */
  static String threads(Result r) {
    StringBuilder out = new StringBuilder("    CPU by thread, µs/event:");
    r.threads()
        .forEach(
            (name, nanos) ->
                out.append(
                    String.format(Locale.ROOT, " %s %.1f;", name, nanos / 1e3 / r.events())));
    return out.substring(0, out.length() - 1);
  }

  static void buildLedger(Path data, long events) throws Exception {
    GeneratorConfig config =
        GeneratorConfig.defaults()
            .withEvents(events)
            .withUsers(50_000)
            .withAddresses(200_000)
            .withDuration(Duration.ofDays(30));
    EventGenerator generator = new EventGenerator(1, config);
    long t0 = System.nanoTime();
    try (Ledger ledger = Ledger.open(LedgerConfig.of(data))) {
      List<byte[]> batch = new ArrayList<>();
      for (long i = 0; i < events; i++) {
        batch.add(EventJson.canonical(generator.next()));
        if (batch.size() == 10_000 || i == events - 1) {
          ledger.append(batch);
          batch.clear();
        }
      }
    }
    System.out.printf(Locale.ROOT, "built the ledger in %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  static Result measure(String variant, Path data, long events, IndexerConfig tuned)
      throws Exception {
    Records.deleteRecursively(SearchIndex.path(data));
    long pid = ProcessHandle.current().pid();
    ProcStat.Machine m0 = ProcStat.Machine.read();
    long cpu0 = ProcStat.processCpu(pid);
    Map<String, Long> threads0 = ProcStat.threadCpu();
    long t0 = System.nanoTime();
    Snapshot last =
        switch (variant) {
          case "untuned" -> plainLoop(data, false);
          case "reused-fields" -> plainLoop(data, true);
          case "indexer-1-default-writer" ->
              indexer(data, tuned.withThreads(1).withTunedWriter(false));
          case "indexer-1" -> indexer(data, tuned.withThreads(1));
          case "indexer" -> indexer(data, tuned);
          default -> throw new IllegalArgumentException("no variant " + variant + "; " + VARIANTS);
        };
    double seconds = (System.nanoTime() - t0) / 1e9;
    long cpuEnd = ProcStat.processCpu(pid);
    double cpu = (cpuEnd - cpu0) / 1e9;
    Map<String, Long> threads = new TreeMap<>();
    last.threads()
        .forEach(
            (name, nanos) -> {
              long used = nanos - threads0.getOrDefault(name, 0L);
              if (used >= 0.01 * cpu * 1e9) {
                threads.put(name, used);
              }
            });
    threads.put("(after the last add: flush, commit, close)", cpuEnd - last.processCpu());
    try (Stream<Path> files = Files.list(SearchIndex.path(data))) {
      System.out.println(
          "    segments: " + files.filter(p -> p.toString().endsWith(".si")).count());
    }
    ProcStat.Machine m = ProcStat.Machine.read().minus(m0);
    double machineBusy = (m.user() + m.system() + m.steal()) / 1e9;
    double others = 100 * Math.max(0, machineBusy - cpu) / seconds;
    return new Result(
        variant, events, seconds, cpu, others, bytesUnder(SearchIndex.path(data)), threads);
  }

  /** CPU per thread while the indexing threads still live (they end with the final commit). */
  record Snapshot(Map<String, Long> threads, long processCpu) {
    static Snapshot take() throws IOException {
      return new Snapshot(ProcStat.threadCpu(), ProcStat.processCpu(ProcessHandle.current().pid()));
    }
  }

  /** The reference loop: read, decode, add, one thread, Lucene's defaults; commit at the end. */
  static Snapshot plainLoop(Path data, boolean reuse) throws IOException {
    Path path = Files.createDirectories(SearchIndex.path(data));
    EventDocuments documents = new EventDocuments();
    try (LedgerReader reader = LedgerReader.open(data);
        EntryIterator entries = reader.entries(0);
        Analyzer analyzer = IndexFields.analyzer();
        FSDirectory directory = FSDirectory.open(path);
        IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
      while (entries.next()) {
        var entry = entries.entry();
        var event = EventJson.decodeCanonical(entry.payload());
        writer.addDocument(
            reuse
                ? documents.fields(entry.seq(), entry.offset(), event)
                : EventDocuments.document(entry.seq(), entry.offset(), event));
      }
      Snapshot added = Snapshot.take();
      writer.commit();
      return added;
    }
  }

  /** {@code trailwatch reindex}'s work: rebuild, wait until caught up, close (final commit). */
  static Snapshot indexer(Path data, IndexerConfig config) throws Exception {
    try (Ledger ledger = Ledger.open(LedgerConfig.of(data))) {
      long size = ledger.size();
      try (Indexer indexer = Indexer.rebuild(ledger, config, InstantSource.system())) {
        while (!indexer.awaitPosition(size, Duration.ofSeconds(1))) {
          // waiting
        }
        return Snapshot.take();
      }
    }
  }

  static long bytesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
