package dev.trailwatch.app.cli;

import dev.trailwatch.ledger.LedgerCorruptException;
import dev.trailwatch.ledger.LedgerFailedException;
import dev.trailwatch.ledger.LedgerFormatException;
import dev.trailwatch.ledger.LedgerLockedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: global options and the list of subcommands. */
@Command(
    name = "trailwatch",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = {
      "Audit-ready access logs in a tamper-evident ledger.",
      "",
      "Exit codes: 0 done (intact), 1 a check found a problem, 2 could not run."
    },
    subcommands = {
      GenerateCommand.class,
      ImportCommand.class,
      VerifyCommand.class,
      ReindexCommand.class,
      SearchCommand.class,
      CatCommand.class,
      CheckpointCommand.class,
      ProofCommand.class,
      KeysCommand.class,
      ServeCommand.class,
      TokenCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Cli implements Runnable {
  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Show stack traces and debug logging.")
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;

  Cli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Standard output of this run (commands write bulk output here, not to System.out). */
  static PrintStream out(CommandLine.Model.CommandSpec spec) {
    return ((Cli) spec.root().userObject()).out;
  }

  /** Standard error of this run: progress, warnings, rejected lines. */
  static PrintStream err(CommandLine.Model.CommandSpec spec) {
    return ((Cli) spec.root().userObject()).err;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command (see --help)");
  }

  /** Runs the command line {@code args}; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    boolean debug = java.util.Arrays.asList(args).contains("--debug");
    configureLogging(err, debug);
    CommandLine cl = new CommandLine(new Cli(out, err));
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter e = commandLine.getErr();
          e.println("trailwatch: " + describe(ex));
          if (debug) {
            ex.printStackTrace(e);
          } else if (!(ex instanceof UserError) && !isExpected(ex)) {
            e.println("trailwatch: (run again with --debug for the details)");
          }
          e.flush();
          return ex instanceof UserError u ? u.exitCode() : ExitCodes.CANNOT_RUN;
        });
    return cl.execute(args);
  }

  /** One sentence for the user, whatever went wrong. */
  static String describe(Throwable ex) {
    if (ex instanceof UserError) {
      return ex.getMessage();
    }
    if (ex instanceof NoSuchFileException e) {
      return e.getFile()
          + ": no such file or directory"
          + (e.getReason() != null ? " (" + e.getReason() + ")" : "");
    }
    if (ex instanceof AccessDeniedException e) {
      return e.getFile() + ": permission denied";
    }
    if (ex instanceof FileAlreadyExistsException e) {
      return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "already exists");
    }
    if (ex instanceof LedgerLockedException
        || ex instanceof LedgerCorruptException
        || ex instanceof LedgerFormatException
        || ex instanceof LedgerFailedException) {
      return ex.getMessage();
    }
    if (ex instanceof IOException) {
      return "I/O error: " + ex.getMessage();
    }
    if (ex instanceof OutOfMemoryError) {
      return "out of memory: give Java more with TRAILWATCH_JAVA_OPTS=-Xmx4g";
    }
    return "internal error: " + ex;
  }

  private static boolean isExpected(Throwable ex) {
    return ex instanceof IOException;
  }

  /**
   * Lucene's notice that the JDK's vector module is not enabled, at the first index it opens: it
   * speeds up vector search, and Trailwatch indexes no vectors. Held here because the JDK keeps
   * loggers only weakly, and a collected logger forgets its level.
   */
  private static final Logger LUCENE_VECTORIZATION =
      Logger.getLogger("org.apache.lucene.internal.vectorization");

  /** The JDK logger (used by the ledger) prints "trailwatch: warning: ..." lines. */
  private static void configureLogging(PrintStream err, boolean debug) {
    LUCENE_VECTORIZATION.setLevel(debug ? Level.FINE : Level.SEVERE);
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    Level threshold = debug ? Level.FINE : Level.WARNING;
    root.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() < threshold.intValue()) {
              return;
            }
            String level =
                record.getLevel().intValue() >= Level.SEVERE.intValue()
                    ? "error"
                    : record.getLevel() == Level.WARNING ? "warning" : "debug";
            err.println("trailwatch: " + level + ": " + FORMAT.formatMessage(record));
            if (debug && record.getThrown() != null) {
              record.getThrown().printStackTrace(err);
            }
            err.flush();
          }

          @Override
          public void flush() {
            err.flush();
          }

          @Override
          public void close() {}
        });
    root.setLevel(threshold);
  }

  private static final Formatter FORMAT =
      new Formatter() {
        @Override
        public String format(LogRecord record) {
          return formatMessage(record);
        }
      };

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Cli.class.getPackage().getImplementationVersion();
      return new String[] {"trailwatch " + (v == null ? "(development build)" : v)};
    }
  }
}
