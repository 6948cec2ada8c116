package dev.trailwatch.app.cli;

import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import dev.trailwatch.ledger.LedgerLockedException;
import dev.trailwatch.ledger.LedgerReader;
import dev.trailwatch.search.index.Indexer;
import dev.trailwatch.search.index.IndexerConfig;
import dev.trailwatch.search.index.SearchIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code trailwatch reindex}: the search index rebuilt from the ledger. */
@Command(
    mixinStandardHelpOptions = true,
    name = "reindex",
    description = {
      "Delete the search index (DIR/index) and build it again from every event in the ledger.",
      "The index is a cache: `serve` keeps it up to date and catches up by itself after an import"
          + " or a crash. Use this when it is damaged or to measure indexing; stop the server"
          + " first."
    })
final class ReindexCommand implements Callable<Integer> {
  private static final Duration PROGRESS_EVERY = Duration.ofMillis(200);

  @Mixin DataDirOption data;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path dir = data.dir();
    LedgerReader.open(dir).close(); // refuses what is not a data directory, before writing to it
    PrintWriter out = spec.commandLine().getOut();
    long started = System.nanoTime();
    long events;
    long skipped;
    long rejected;
    long size;
    try (Ledger ledger = openLedger(dir)) {
      size = ledger.size();
      Indexer indexer = Indexer.rebuild(ledger, IndexerConfig.rebuild(), InstantSource.system());
      try (Progress progress = Progress.start("reindex", "events", 1, size, Cli.err(spec))) {
        while (!indexer.awaitPosition(size, PROGRESS_EVERY)) {
          progress.update(indexer.position(), size);
        }
        progress.update(size, size);
      } finally {
        indexer.close(); // the final commit is part of the time taken
      }
      events = indexer.indexed();
      skipped = indexer.skipped();
      rejected = indexer.rejected();
    }
    double secs = (System.nanoTime() - started) / 1e9;
    long indexBytes = bytesUnder(SearchIndex.path(dir));
    long ledgerBytes = bytesUnder(dir) - indexBytes;
    out.printf(
        "indexed %,d events of %,d entries in %.2f s (%,.0f events/s)%s%n",
        events,
        size,
        secs,
        events / Math.max(secs, 1e-9),
        (skipped == 0 ? "" : String.format("; %,d entries are not events", skipped))
            + (rejected == 0
                ? ""
                : String.format("; %,d events could not be indexed (see the warning)", rejected)));
    out.printf(
        "index %s: %s (%s per million events); ledger %s%n",
        SearchIndex.path(dir),
        megabytes(indexBytes),
        events == 0 ? "-" : megabytes(indexBytes * 1_000_000 / events),
        megabytes(ledgerBytes));
    return ExitCodes.OK;
  }

  private static Ledger openLedger(Path dir) throws IOException {
    try {
      return Ledger.open(LedgerConfig.of(dir));
    } catch (LedgerLockedException e) {
      throw new UserError(
          "the data directory "
              + dir
              + " is in use by "
              + e.holder()
              + "; a running server keeps the index up to date itself: stop it first to rebuild"
              + " the index");
    }
  }

  private static String megabytes(long bytes) {
    return String.format("%,.1f MB", bytes / 1e6);
  }

  private static long bytesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      long total = 0;
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        total += Files.size(f);
      }
      return total;
    }
  }
}
