package dev.trailwatch.ledger;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The child process of {@link SigkillCrashTest}: opens a data directory (recovering it) and appends
 * {@link CrashPayload} batches from several threads until it is killed. It never closes the ledger.
 *
 * <p>Usage: {@code CrashAppender DIR SEED RUN THREADS SEGMENT_BYTES CHECKPOINT_MILLIS}. Protocol on
 * stdout, one line per event, each flushed on its own and written only once the event happened:
 *
 * <pre>
 * OPENING                              before Ledger.open (which recovers a crashed directory)
 * READY size checkpointSize            after Ledger.open returned
 * ACK run thread batch first count     after append returned this batch's SeqRange
 * </pre>
 *
 * <p>Exits with 1 if an append fails, and with 2 when stdin reaches its end (the parent is gone),
 * so that an orphaned child never keeps writing.
 */
final class CrashAppender {
  private CrashAppender() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println(
          "usage: CrashAppender DIR SEED RUN THREADS SEGMENT_BYTES CHECKPOINT_MILLIS");
      System.exit(64);
    }
    Path dir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    int run = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    LedgerConfig config =
        LedgerConfig.of(dir)
            .withMaxSegmentBytes(Long.parseLong(args[4]))
            .withCheckpointInterval(Duration.ofMillis(Long.parseLong(args[5])));
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    CompletableFuture<Throwable> stop = new CompletableFuture<>();
    Thread stdinWatch =
        new Thread(
            () -> {
              try (InputStream in = System.in) {
                while (in.read() >= 0) {
                  // Nothing is sent; the end of stdin is the signal.
                }
              } catch (IOException e) {
                // The parent is gone either way.
              }
              stop.complete(null);
            },
            "crash-stdin-watch");
    stdinWatch.setDaemon(true);
    stdinWatch.start();

    report(out, "OPENING");
    Ledger ledger = Ledger.open(config); // never closed: the parent kills this process
    report(out, "READY " + ledger.size() + " " + ledger.latestCheckpoint().size());
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread appender =
          new Thread(
              () -> {
                try {
                  appendForever(ledger, out, seed, run, thread);
                } catch (Exception | Error e) {
                  stop.complete(e);
                }
              },
              "crash-appender-" + t);
      appender.setDaemon(true);
      appender.start();
    }
    Throwable failure = stop.get();
    if (failure != null) {
      failure.printStackTrace();
      System.exit(1);
    }
    System.exit(2);
  }

  private static void appendForever(Ledger ledger, PrintStream out, long seed, int run, int thread)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed ^ ((long) run << 20) ^ thread);
    for (long batch = 0; ; batch++) {
      int count = random.nextInt(10) == 0 ? random.nextInt(1, 201) : random.nextInt(1, 21);
      List<byte[]> payloads = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        payloads.add(CrashPayload.of(seed, new CrashPayload.Key(run, thread, batch, i, count)));
      }
      SeqRange range = ledger.append(payloads);
      report(
          out,
          "ACK " + run + " " + thread + " " + batch + " " + range.first() + " " + range.count());
    }
  }

  private static void report(PrintStream out, String line) {
    synchronized (out) {
      out.print(line + "\n");
      out.flush();
    }
  }
}
