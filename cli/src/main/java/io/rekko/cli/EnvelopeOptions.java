package io.rekko.cli;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.TenantId;
import java.util.Optional;
import java.util.UUID;
import picocli.CommandLine;

/**
 * The envelope fields of a command built from flags: a new command id and the current time unless
 * given (give the same {@code --command-id} to retry a command: the worker answers a redelivered
 * command with the first outcome).
 */
final class EnvelopeOptions {
  @CommandLine.Option(
      names = "--command-id",
      paramLabel = "UUID",
      description = "The command id (default: a new one). The same id again is a retry.")
  UUID commandId;

  @CommandLine.Option(
      names = "--issued-at",
      paramLabel = "TIME",
      description = "RFC 3339 time with offset, or 'now' (default: now).")
  String issuedAt;

  @CommandLine.Option(
      names = "--api-key-id",
      paramLabel = "KEY_ID",
      description = "The tenant's API key the command was made with, if any.")
  String apiKeyId;

  @CommandLine.Option(
      names = "--device-id",
      paramLabel = "DEVICE",
      description = "The producing device's label, if any (printable ASCII, no spaces).")
  String deviceId;

  CommandEnvelope envelope(TenantId tenant) {
    return new CommandEnvelope(
        commandId == null ? UUID.randomUUID() : commandId,
        tenant,
        Times.instant(issuedAt == null ? "now" : issuedAt),
        Optional.ofNullable(apiKeyId).map(ApiKeyId::of),
        Optional.ofNullable(deviceId));
  }
}
