package io.rekko.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What needs no server: help, usage errors, and refusals before anything is sent. */
class RekkoTest {

  @Test
  void helpDocumentsTheExitCodes() {
    Cli.Result help = Cli.run("--help");
    assertEquals(0, help.exitCode(), help.toString());
    assertTrue(help.out().contains("Exit codes:"), help.out());
    assertTrue(help.out().contains("2  usage error"), help.out());
    Cli.Result subcommandHelp = Cli.run("dlq", "replay", "--help");
    assertTrue(subcommandHelp.out().contains("Exit codes:"), subcommandHelp.out());
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    Cli.Result result = Cli.run("tenant", "upsert", "acme", "--bogus");
    assertEquals(2, result.exitCode(), result.toString());
    assertTrue(result.err().contains("Unknown option: '--bogus'"), result.err());
  }

  @Test
  void aMissingParameterOrSubcommandIsAUsageError() {
    assertEquals(2, Cli.run("tenant", "suspend", "acme").exitCode(), "--reason is required");
    assertEquals(2, Cli.run("tenant").exitCode(), "a subcommand is required");
    assertEquals(2, Cli.run("face", "register", "acme").exitCode(), "the external id is missing");
    assertEquals(2, Cli.run("dlq", "show", "zero").exitCode(), "PARTITION:OFFSET");
    assertEquals(2, Cli.run("usage", "acme", "--day", "yesterday").exitCode(), "--day");
    assertEquals(2, Cli.run("produce", "--tenant", "acme").exitCode(), "--tenant needs --type");
  }

  @Test
  void aCommandThatDoesNotValidateIsRefusedBeforeKafkaIsAsked() {
    // No broker listens on port 1: a refusal here comes from the contract, not from Kafka.
    Cli.Result result =
        Cli.run("tenant", "upsert", "acme", "--max-faces=-1", "--bootstrap-servers=127.0.0.1:1");
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.err().contains("max_faces must be between 0"), result.err());
    Cli.Result badTenant = Cli.run("tenant", "erase", "ACME", "--bootstrap-servers=127.0.0.1:1");
    assertEquals(1, badTenant.exitCode(), badTenant.toString());
    assertTrue(badTenant.err().contains("tenant_id must match"), badTenant.err());
  }

  @Test
  void unreachableKafkaFailsWithinTheTimeout() {
    Cli.Result result =
        Cli.run(
            "tenant",
            "resume",
            "acme",
            "--reason=paid",
            "--bootstrap-servers=127.0.0.1:1",
            "--timeout=2s");
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.err().startsWith("rekko tenant resume: Kafka did not take"), result.err());
    assertEquals("", result.out());
  }
}
