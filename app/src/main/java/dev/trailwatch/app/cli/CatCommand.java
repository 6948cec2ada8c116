package dev.trailwatch.app.cli;

import dev.trailwatch.ledger.Entry;
import dev.trailwatch.ledger.EntryIterator;
import dev.trailwatch.ledger.LedgerReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trailwatch cat}: entries as NDJSON. */
@Command(
    mixinStandardHelpOptions = true,
    name = "cat",
    description = {
      "Print entries as NDJSON, one per line: each event with its ledger sequence number (seq) and"
          + " ingest time (ingested) added in front.",
      "Works on a data directory left by a crash: prints what is intact and says on standard"
          + " error where it stopped."
    })
final class CatCommand implements Callable<Integer> {
  @Mixin DataDirOption data;

  @Option(names = "--from", paramLabel = "SEQ", defaultValue = "0", description = "First entry.")
  long from;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "-1",
      description = "Print at most N entries (default: all).")
  long limit;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (from < 0) {
      throw new UserError("--from must be 0 or more, not " + from);
    }
    OutputStream out = new BufferedOutputStream(Cli.out(spec), 1 << 16);
    long printed = 0;
    try (LedgerReader reader = LedgerReader.open(data.dir());
        EntryIterator it = reader.entries(from)) {
      while ((limit < 0 || printed < limit) && it.next()) {
        writeLine(out, it.entry());
        printed++;
      }
      out.flush();
      if (it.stoppedBy().isPresent() && (limit < 0 || printed < limit)) {
        var p = it.stoppedBy().get();
        Cli.err(spec)
            .println(
                "trailwatch: "
                    + (p.kind().isTampering() ? "stopped at damaged data: " : "stopped: ")
                    + p.describe());
        return p.kind().isTampering() ? ExitCodes.FOUND_PROBLEM : ExitCodes.OK;
      }
    }
    return ExitCodes.OK;
  }

  /** {@code {"seq":N,"ingested":"...",<the event's fields>}}, or the payload in base64. */
  static void writeLine(OutputStream out, Entry e) throws IOException {
    byte[] p = e.payload();
    String prefix = "{\"seq\":" + e.seq() + ",\"ingested\":\"" + e.ingestTime() + "\"";
    out.write(prefix.getBytes(StandardCharsets.US_ASCII));
    if (p.length >= 2 && p[0] == '{' && p[p.length - 1] == '}' && !hasNewline(p)) {
      if (p.length > 2) {
        out.write(',');
      }
      out.write(p, 1, p.length - 1);
    } else {
      out.write(",\"payload_base64\":\"".getBytes(StandardCharsets.US_ASCII));
      out.write(Base64.getEncoder().encode(p));
      out.write("\"}".getBytes(StandardCharsets.US_ASCII));
    }
    out.write('\n');
  }

  private static boolean hasNewline(byte[] p) {
    for (byte b : p) {
      if (b == '\n') {
        return true;
      }
    }
    return false;
  }
}
