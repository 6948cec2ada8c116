package dev.trailwatch.app.cli;

import dev.trailwatch.app.server.Role;
import dev.trailwatch.app.server.Tokens;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trailwatch token create|list|revoke}: the API's bearer tokens. */
@Command(
    mixinStandardHelpOptions = true,
    name = "token",
    description = {
      "Manage the API's bearer tokens (stored hashed in DATA/auth/tokens.json).",
      "A running server picks up changes within a second."
    },
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Revoke.class
    })
final class TokenCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name a token command: create, list or revoke");
  }

  private static String roles() {
    return Arrays.stream(Role.values()).map(Role::id).collect(Collectors.joining(", "));
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "create",
      description = "Create a token and print it (it is shown only this once).")
  static final class Create implements Callable<Integer> {
    @Mixin DataDirOption data;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "ingest (send events), viewer, responder or admin.")
    String role;

    @Option(names = "--name", paramLabel = "NAME", description = "What the token is for.")
    String name;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      Role r =
          Role.of(role)
              .orElseThrow(
                  () -> new UserError("unknown role '" + role + "'; use one of " + roles()));
      Tokens.Created c =
          new Tokens(data.dir()).create(r, name == null ? r.id() : name, null, new SecureRandom());
      Cli.out(spec).println(c.token());
      Cli.err(spec)
          .printf(
              "trailwatch: created token %s (role %s); it is shown only now%n",
              c.entry().id(), r.id());
      return ExitCodes.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "list",
      description = "List the tokens (not their secrets).")
  static final class ListTokens implements Callable<Integer> {
    @Mixin DataDirOption data;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintStream out = Cli.out(spec);
      out.printf("%-12s  %-9s  %-8s  %-20s  %s%n", "ID", "ROLE", "STATE", "CREATED", "NAME");
      for (Tokens.Entry e : new Tokens(data.dir()).list()) {
        out.printf(
            "%-12s  %-9s  %-8s  %-20s  %s%n",
            e.id(),
            e.role(),
            e.active() ? "active" : "revoked",
            e.created().length() > 19 ? e.created().substring(0, 19) + "Z" : e.created(),
            e.name());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "revoke",
      description = "Revoke a token by its id.")
  static final class Revoke implements Callable<Integer> {
    @Mixin DataDirOption data;

    @Parameters(paramLabel = "ID", description = "The id shown by `trailwatch token list`.")
    String id;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      if (!new Tokens(data.dir()).revoke(id)) {
        throw new UserError("no active token with id " + id + " (see trailwatch token list)");
      }
      Cli.err(spec).println("trailwatch: revoked token " + id);
      return ExitCodes.OK;
    }
  }
}
