package io.rekko.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.client.testing.TenantChannel;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.EventType;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantSuspended;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rekko produce} against a real worker. */
class ProduceIT {
  @TempDir Path dir;

  @Test
  void jsonLinesAreSentWithTheirIdsAndTimesFilledInWhenAbsent() throws IOException {
    TenantId tenant = Tenants.newId("produce");
    try (TenantChannel channel = TenantChannel.listen(Cli.stack().redisUri(), tenant)) {
      Tenants.created("produce", channel, tenant);
      UUID resumeId = UUID.randomUUID();
      Path lines =
          Files.write(
              dir.resolve("commands.jsonl"),
              List.of(
                  """
                  {"schema":"rekko.command.v1","type":"tenant.suspend","tenant_id":"%s",\
                  "payload":{"reason":"from a file"}}"""
                      .formatted(tenant),
                  "",
                  """
                  {"schema":"rekko.command.v1","command_id":"%s","type":"tenant.resume",\
                  "tenant_id":"%s","issued_at":"2026-01-01T00:00:00Z","payload":{"reason":"ok"}}"""
                      .formatted(resumeId, tenant)));
      Cli.Result result = Cli.against("produce", "--file", lines.toString());
      assertEquals(0, result.exitCode(), result.toString());
      List<UUID> ids = result.commandIds();
      assertEquals(2, ids.size(), result.toString());
      assertEquals(resumeId, ids.get(1));
      assertEquals(new TenantSuspended("from a file"), channel.awaitOutcome(ids.get(0)).payload());
      assertEquals(EventType.TENANT_RESUMED, channel.awaitOutcome(resumeId).type());
    }
  }

  @Test
  void aLineThatDoesNotValidateSendsNothingUnlessKeepGoing() throws IOException {
    TenantId tenant = Tenants.newId("produce-bad");
    try (TenantChannel channel = TenantChannel.listen(Cli.stack().redisUri(), tenant)) {
      Tenants.created("produce-bad", channel, tenant);
      UUID deleteId = UUID.randomUUID();
      Path lines =
          Files.write(
              dir.resolve("half-bad.jsonl"),
              List.of(
                  deleteOfGhost(tenant, deleteId),
                  """
                  {"schema":"rekko.command.v1","type":"face.register","tenant_id":"%s",\
                  "payload":{"external_id":"ghost","embedding":%s,"quality_score":2.0,\
                  "liveness_ok":true}}"""
                      .formatted(tenant, Files.readString(Tenants.jsonEmbedding(dir, 1)))));

      Cli.Result refused = Cli.against("produce", "--file", lines.toString());
      assertEquals(1, refused.exitCode(), refused.toString());
      assertEquals("", refused.out());
      assertTrue(
          refused.err().contains("line 2: invalid_field at payload.quality_score (maximum)"),
          refused.err());
      assertTrue(refused.err().contains("nothing was sent"), refused.err());

      // One command built from flags, for the same face, so on the same partition and after the
      // first line had it been sent: once it is answered, the first line would have been too.
      Cli.Result marker =
          Cli.against(
              "produce",
              "--type=face.delete",
              "--tenant=" + tenant.value(),
              "--field",
              "payload.external_id=ghost");
      assertEquals(0, marker.exitCode(), marker.toString());
      CommandRejected notFound =
          (CommandRejected) channel.awaitOutcome(marker.commandId()).payload();
      assertEquals(RejectionReason.FACE_NOT_FOUND, notFound.reason());
      assertTrue(channel.outcomeOf(deleteId).isEmpty(), "the valid line was not sent");

      Cli.Result keptGoing = Cli.against("produce", "--keep-going", "--file", lines.toString());
      assertEquals(1, keptGoing.exitCode(), keptGoing.toString());
      assertEquals(List.of(deleteId), keptGoing.commandIds());
      assertEquals(EventType.COMMAND_REJECTED, channel.awaitOutcome(deleteId).type());
    }
  }

  @Test
  void aCommandBuiltFromFlagsIsValidatedToo() {
    Cli.Result result =
        Cli.against(
            "produce", "--type=tenant.suspend", "--tenant=acme", "--field", "payload.reason=");
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.err().contains("payload.reason (minLength)"), result.err());
  }

  private static String deleteOfGhost(TenantId tenant, UUID commandId) {
    return """
        {"schema":"rekko.command.v1","command_id":"%s","type":"face.delete","tenant_id":"%s",\
        "payload":{"external_id":"ghost"}}"""
        .formatted(commandId, tenant);
  }
}
