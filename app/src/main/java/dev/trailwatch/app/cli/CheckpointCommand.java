package dev.trailwatch.app.cli;

import dev.trailwatch.ledger.LedgerReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trailwatch checkpoint}: the latest signed checkpoint. */
@Command(
    mixinStandardHelpOptions = true,
    name = "checkpoint",
    description = {
      "Print the latest signed checkpoint (C2SP signed-note format: origin, tree size, root hash,"
          + " index, time, then the Ed25519 signature line).",
      "Give it to an auditor, or keep it: a later `trailwatch proof consistency` proves that the"
          + " ledger only grew since."
    })
final class CheckpointCommand implements Callable<Integer> {
  @Mixin DataDirOption data;

  @Option(names = "--all", description = "Print every checkpoint, oldest first.")
  boolean all;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    try (LedgerReader reader = LedgerReader.open(data.dir())) {
      List<String> notes = reader.checkpointNotes();
      if (notes.isEmpty()) {
        throw new UserError(
            "the ledger in "
                + data.dir()
                + " has no checkpoint yet; it gets one when it is first"
                + " written (trailwatch import)");
      }
      PrintWriter out = spec.commandLine().getOut();
      if (all) {
        for (int i = 0; i < notes.size(); i++) {
          if (i > 0) {
            out.println();
          }
          out.print(notes.get(i));
        }
      } else {
        out.print(notes.get(notes.size() - 1));
      }
      out.flush();
      return ExitCodes.OK;
    }
  }
}
