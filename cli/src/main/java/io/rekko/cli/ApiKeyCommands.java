package io.rekko.cli;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.ApiKeyRevoke;
import io.rekko.schema.Command;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.TenantId;
import picocli.CommandLine;

/** {@code rekko api-key revoke}: the admin commands about a tenant's API keys. */
@CommandLine.Command(
    name = "api-key",
    description = "Revoke a tenant's API key (the admin topic).",
    subcommands = ApiKeyCommands.Revoke.class)
final class ApiKeyCommands {
  private ApiKeyCommands() {}

  @CommandLine.Command(
      name = "revoke",
      description =
          "From now on, refuse the tenant's commands carrying this api_key_id, for good"
              + " (api_key.revoke).")
  static final class Revoke extends SendingCommand {
    @CommandLine.Parameters(index = "0", paramLabel = "TENANT", description = "The tenant id.")
    String tenant;

    @CommandLine.Parameters(index = "1", paramLabel = "KEY_ID", description = "The key's id.")
    String keyId;

    @Override
    TenantId tenant() {
      return TenantId.of(tenant);
    }

    @Override
    Command command(CommandEnvelope envelope) {
      return new ApiKeyRevoke(envelope, ApiKeyId.of(keyId));
    }
  }
}
