package dev.trailwatch.app.cli;

import dev.trailwatch.ledger.LedgerProblem;
import dev.trailwatch.ledger.SignedCheckpoint;
import dev.trailwatch.ledger.Verifier;
import dev.trailwatch.ledger.VerifyReport;
import dev.trailwatch.ledger.checkpoint.KeyFiles;
import dev.trailwatch.ledger.checkpoint.NoteVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trailwatch verify}: the auditor's check. */
@Command(
    mixinStandardHelpOptions = true,
    name = "verify",
    description = {
      "Recompute every entry's hash and the Merkle tree, and check every checkpoint's signature"
          + " and consistency (and the witness's copies).",
      "Exit codes: 0 intact, 1 tampered (the first difference is printed), 2 could not run."
    })
final class VerifyCommand implements Callable<Integer> {
  @Mixin DataDirOption data;

  @Option(
      names = "--public-key",
      paramLabel = "FILE",
      description =
          "The public key to trust (from `trailwatch keys export-public`). Without it, the key in"
              + " the data directory is used.")
  Path publicKey;

  @Option(
      names = "--witness",
      paramLabel = "PATH",
      defaultValue = "${env:TRAILWATCH_WITNESS}",
      description =
          "A witness folder or file holding copies of the checkpoints (default:"
              + " $TRAILWATCH_WITNESS). The ledger must be consistent with every one of them.")
  Path witness;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Optional<NoteVerifier> key = Optional.empty();
    if (publicKey != null) {
      try {
        key = Optional.of(KeyFiles.loadPublic(publicKey));
      } catch (IOException e) {
        throw new UserError(Cli.describe(e), ExitCodes.CANNOT_RUN, e);
      }
    }
    return run(data.dir(), key, Optional.ofNullable(witness), spec);
  }

  /**
   * Verifies the ledger in {@code dataDir} and prints the report, as {@code trailwatch verify}
   * does; also the last step of {@code import --verify}. Returns the exit code.
   */
  static int run(Path dataDir, Optional<NoteVerifier> key, Optional<Path> witness, CommandSpec spec)
      throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    VerifyReport report;
    try (Progress progress = Progress.start("verify", "entries", 1, 0, Cli.err(spec))) {
      report = Verifier.verify(new Verifier.Options(dataDir, key, witness, progress::update));
    } catch (Verifier.CannotVerifyException e) {
      throw new UserError(e.getMessage());
    }
    for (String note : report.notes()) {
      out.println("note: " + note);
    }
    if (!report.intact()) {
      LedgerProblem first = report.first().orElseThrow();
      out.println("TAMPERED: " + first.describe());
      out.println(
          "  kind: " + first.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
      long more = report.problems().stream().filter(p -> p.kind().isTampering()).count() - 1;
      if (more > 0) {
        out.println("  and " + more + " more:");
        report.problems().stream()
            .filter(p -> p.kind().isTampering())
            .skip(1)
            .limit(20)
            .forEach(p -> out.println("  - " + p.describe()));
        if (more > 20) {
          out.println("  - ...");
        }
      }
      out.println("checked with " + report.keySource());
      return ExitCodes.FOUND_PROBLEM;
    }
    Optional<SignedCheckpoint> latest = report.latest();
    out.printf(
        "intact: %,d entries, %,d checkpoints%s%s%n",
        report.entries(),
        report.checkpoints(),
        latest
            .map(
                c -> " (latest #" + c.index() + ": size " + c.size() + ", signed " + c.time() + ")")
            .orElse(""),
        witness.isEmpty() ? "" : String.format(", %,d witnessed", report.witnessed()));
    out.println("checked with " + report.keySource());
    if (witness.isEmpty()) {
      out.println(
          "note: without a witness, removing the newest entries together with their checkpoints"
              + " cannot be detected; see docs/LEDGER.md");
    }
    return ExitCodes.OK;
  }
}
