package io.rekko.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.client.testing.TenantChannel;
import io.rekko.schema.CommandType;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantErased;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantResumed;
import io.rekko.schema.TenantSuspended;
import io.rekko.schema.TenantUpdated;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code rekko tenant upsert | suspend | resume | erase} against a real worker. */
class TenantCommandsIT {

  @Test
  void upsertSendsEveryFlagAsTheTenantsSettings() {
    TenantId tenant = Tenants.newId("upsert");
    try (TenantChannel channel = TenantChannel.listen(Cli.stack().redisUri(), tenant)) {
      Cli.Result result =
          Cli.against(
              "tenant",
              "upsert",
              tenant.value(),
              "--max-faces=10",
              "--embedding-dimension=128",
              "--verify-threshold=0.7",
              "--min-quality=0.4",
              "--no-require-liveness",
              "--rate-limit=face.verify=5/1000",
              "--rate-limit=face.register=2/60000");
      assertEquals(0, result.exitCode(), result.toString());
      TenantUpdated updated = (TenantUpdated) channel.awaitOutcome(result.commandId()).payload();
      assertEquals(
          new TenantConfig(
              10,
              Map.of(
                  CommandType.FACE_VERIFY, new RateLimit(5, 1000),
                  CommandType.FACE_REGISTER, new RateLimit(2, 60_000)),
              0.7,
              128,
              0.4,
              false),
          updated.config());
    }
  }

  @Test
  void upsertDefaultsAreTheContractsExample() {
    TenantId tenant = Tenants.newId("defaults");
    try (TenantChannel channel = TenantChannel.listen(Cli.stack().redisUri(), tenant)) {
      Cli.Result result = Cli.against("tenant", "upsert", tenant.value());
      assertEquals(0, result.exitCode(), result.toString());
      TenantUpdated updated = (TenantUpdated) channel.awaitOutcome(result.commandId()).payload();
      assertEquals(
          new TenantConfig(
              100_000,
              Map.of(
                  CommandType.FACE_REGISTER, new RateLimit(100, 60_000),
                  CommandType.FACE_VERIFY, new RateLimit(1000, 1000)),
              0.82,
              512,
              0.6,
              true),
          updated.config());
    }
  }

  @Test
  void suspendResumeAndEraseAreCarriedOut() {
    TenantId tenant = Tenants.newId("lifecycle");
    try (TenantChannel channel = TenantChannel.listen(Cli.stack().redisUri(), tenant)) {
      Tenants.created("lifecycle", channel, tenant);

      Cli.Result suspend =
          Cli.against("tenant", "suspend", tenant.value(), "--reason", "Invoice unpaid");
      assertEquals(0, suspend.exitCode(), suspend.toString());
      assertEquals(
          new TenantSuspended("Invoice unpaid"),
          channel.awaitOutcome(suspend.commandId()).payload());

      Cli.Result resume = Cli.against("tenant", "resume", tenant.value(), "--reason=paid");
      assertEquals(0, resume.exitCode(), resume.toString());
      assertEquals(new TenantResumed("paid"), channel.awaitOutcome(resume.commandId()).payload());

      Cli.Result erase =
          Cli.against("tenant", "erase", tenant.value(), "--reason", "contract ended");
      assertEquals(0, erase.exitCode(), erase.toString());
      assertEquals(
          TenantErased.class, channel.awaitOutcome(erase.commandId()).payload().getClass());
    }
  }

  @Test
  void aSettingOutsideItsRangeIsRefusedWithExitOne() {
    Cli.Result result = Cli.against("tenant", "upsert", "acme", "--embedding-dimension=4096");
    assertEquals(1, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertEquals(
        "rekko tenant upsert: invalid_field at payload.embedding_dimension (maximum): must be at"
            + " most 2048\n",
        result.err());
    Cli.Result belowTheContract =
        Cli.against("tenant", "upsert", "acme", "--embedding-dimension=10");
    assertEquals(1, belowTheContract.exitCode(), belowTheContract.toString());
    assertTrue(
        belowTheContract.err().contains("payload.embedding_dimension (minimum)"),
        belowTheContract.err());
  }
}
