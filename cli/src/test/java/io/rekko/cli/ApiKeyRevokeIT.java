package io.rekko.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rekko.client.testing.TenantChannel;
import io.rekko.schema.ApiKeyId;
import io.rekko.schema.ApiKeyRevoked;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantId;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rekko api-key revoke} against a real worker. */
class ApiKeyRevokeIT {
  @TempDir Path dir;

  @Test
  void aRevokedKeysCommandsAreRefused() throws IOException {
    TenantId tenant = Tenants.newId("api-key");
    try (TenantChannel channel = TenantChannel.listen(Cli.stack().redisUri(), tenant)) {
      Tenants.created("api-key", channel, tenant);

      Cli.Result revoke = Cli.against("api-key", "revoke", tenant.value(), "ak_live.7f3a");
      assertEquals(0, revoke.exitCode(), revoke.toString());
      assertEquals(
          new ApiKeyRevoked(ApiKeyId.of("ak_live.7f3a")),
          channel.awaitOutcome(revoke.commandId()).payload());

      Cli.Result register =
          Cli.against(
              "face",
              "register",
              tenant.value(),
              "alice",
              "--embedding-file=" + Tenants.jsonEmbedding(dir, 1),
              "--quality=0.9",
              "--api-key-id=ak_live.7f3a");
      assertEquals(0, register.exitCode(), register.toString());
      CommandRejected rejected =
          (CommandRejected) channel.awaitOutcome(register.commandId()).payload();
      assertEquals(RejectionReason.API_KEY_REVOKED, rejected.reason());
    }
  }

  @Test
  void anInvalidKeyIdIsRefusedWithExitOne() {
    Cli.Result result = Cli.against("api-key", "revoke", "acme", "not a key");
    assertEquals(1, result.exitCode(), result.toString());
    assertEquals(
        "rekko api-key revoke: api key id must match ^[A-Za-z0-9._-]{1,64}$ (letters, digits,"
            + " '.', '_' and '-', 1 to 64)\n",
        result.err());
  }
}
