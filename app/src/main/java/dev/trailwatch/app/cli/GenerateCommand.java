package dev.trailwatch.app.cli;

import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import dev.trailwatch.event.sample.WriteSummary;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trailwatch generate}: realistic sample events, for trying Trailwatch out. */
@Command(
    mixinStandardHelpOptions = true,
    name = "generate",
    description = {
      "Write realistic sample access events as NDJSON: sshd logins (with brute force), web"
          + " requests, cloud API calls, Kubernetes audit, application logins and sudo, from"
          + " thousands of users and addresses over days.",
      "The same --seed always gives the same file. Tests and benchmarks use the same generator."
    })
final class GenerateCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "Where to write; - for standard output.")
  String file;

  @Option(
      names = "--count",
      defaultValue = "100000",
      paramLabel = "N",
      description = "How many events (default: ${DEFAULT-VALUE}).")
  long count;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "N",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--users",
      defaultValue = "5000",
      paramLabel = "N",
      description = "Distinct users (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--addresses",
      defaultValue = "20000",
      paramLabel = "N",
      description = "Distinct client IP addresses (default: ${DEFAULT-VALUE}).")
  int addresses;

  @Option(
      names = "--days",
      defaultValue = "7",
      paramLabel = "N",
      description = "Days the events span (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = "--invalid",
      defaultValue = "0",
      paramLabel = "FRACTION",
      description = "Share of lines to make invalid (bad JSON, missing fields, bad IPs), 0 to 1.")
  double invalid;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (count < 1) {
      throw new UserError("--count must be at least 1");
    }
    GeneratorConfig config;
    try {
      config =
          GeneratorConfig.defaults()
              .withEvents(count)
              .withUsers(users)
              .withAddresses(addresses)
              .withDuration(Duration.ofDays(days))
              .withInvalidFraction(invalid);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    EventGenerator generator = new EventGenerator(seed, config);
    WriteSummary summary;
    if (file.equals("-")) {
      OutputStream out = new BufferedOutputStream(Cli.out(spec), 1 << 16);
      summary = generator.writeNdjson(out, count);
      out.flush();
    } else {
      Path path = Path.of(file);
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      summary = generator.writeNdjson(path, count);
      spec.commandLine()
          .getOut()
          .printf(
              "wrote %,d events (%,d invalid lines) to %s: %,d bytes, %.0f bytes per line%n",
              summary.lines(),
              summary.invalidLines(),
              file,
              summary.bytes(),
              summary.averageLineBytes());
    }
    return ExitCodes.OK;
  }
}
