package dev.trailwatch.app.cli;

import dev.trailwatch.ledger.checkpoint.KeyFiles;
import dev.trailwatch.ledger.checkpoint.NoteVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code trailwatch keys ...}. */
@Command(
    mixinStandardHelpOptions = true,
    name = "keys",
    description = "Manage the ledger's signing key.",
    subcommands = {KeysCommand.ExportPublic.class})
final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a keys command");
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "export-public",
      description = {
        "Print the public key (note verifier key: name+hash+base64) to standard output.",
        "Give it to the auditor: `trailwatch verify --public-key FILE` and `trailwatch proof check`"
            + " read it."
      })
  static final class ExportPublic implements Callable<Integer> {
    @Mixin DataDirOption data;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      Path pub = data.dir().resolve("keys").resolve("signing.pub");
      if (!Files.exists(pub)) {
        throw new UserError(
            "no public key in "
                + data.dir()
                + ": the key is created when the ledger is first written (trailwatch import)");
      }
      NoteVerifier key = KeyFiles.loadPublic(pub);
      spec.commandLine().getOut().println(key.verifierKey());
      return ExitCodes.OK;
    }
  }
}
