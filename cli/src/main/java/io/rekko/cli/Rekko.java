package io.rekko.cli;

import picocli.CommandLine;

/**
 * The {@code rekko} command. Each subcommand is a class of this package; a new one is added to
 * {@code subcommands} below.
 */
@CommandLine.Command(
    name = "rekko",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    version = "rekko 0.1.0",
    description =
        "Send commands to the Rekko worker, follow a tenant's events, look at its dead letters"
            + " and usage counters.",
    subcommands = {
      ProduceCommand.class,
      TailCommand.class,
      TenantCommands.class,
      ApiKeyCommands.class,
      FaceCommands.class,
      DlqCommands.class,
      UsageCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  done",
      "  1  refused or failed: a command that does not validate, Kafka or",
      "     Redis unreachable, a dead letter not found, an unreadable file",
      "  2  usage error: an unknown or missing option or parameter",
      "",
      "Connection options default to the worker's environment variables",
      "(REKKO_KAFKA_*, REKKO_REDIS_*), then to the worker's defaults.",
      "See cli/README.md."
    })
public final class Rekko {
  static final int EXIT_DONE = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Rekko()).execute(args));
  }
}
