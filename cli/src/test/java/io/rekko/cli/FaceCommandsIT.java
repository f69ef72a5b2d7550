package io.rekko.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.client.testing.TenantChannel;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rekko face register | verify | delete} against a real worker. */
class FaceCommandsIT {
  @TempDir Path dir;

  @Test
  void aFaceRegisteredFromNpyIsVerifiedFromJsonAndDeleted() throws IOException {
    TenantId tenant = Tenants.newId("face");
    try (TenantChannel channel = TenantChannel.listen(Cli.stack().redisUri(), tenant)) {
      Tenants.created("face", channel, tenant);

      Cli.Result register =
          Cli.against(
              "face",
              "register",
              tenant.value(),
              "alice",
              "--embedding-file=" + npy(Tenants.values(1), "<f4"),
              "--quality=0.9",
              "--liveness",
              "--metadata",
              "camera=lobby");
      assertEquals(0, register.exitCode(), register.toString());
      assertEquals(
          new FaceRegistered(ExternalId.of("alice"), false),
          channel.awaitOutcome(register.commandId()).payload());

      Cli.Result verify =
          Cli.against(
              "face",
              "verify",
              tenant.value(),
              "alice",
              "--embedding-file=" + Tenants.jsonEmbedding(dir, 1));
      assertEquals(0, verify.exitCode(), verify.toString());
      FaceVerified verified = (FaceVerified) channel.awaitOutcome(verify.commandId()).payload();
      assertTrue(verified.matched(), verified.toString());
      assertEquals(1.0, verified.similarity(), 1e-6);

      Cli.Result other =
          Cli.against(
              "face",
              "verify",
              tenant.value(),
              "alice",
              "--embedding-file=" + npy(Tenants.values(2), "<f8"));
      assertEquals(0, other.exitCode(), other.toString());
      FaceVerified mismatch = (FaceVerified) channel.awaitOutcome(other.commandId()).payload();
      assertTrue(!mismatch.matched(), mismatch.toString());

      Cli.Result delete = Cli.against("face", "delete", tenant.value(), "alice");
      assertEquals(0, delete.exitCode(), delete.toString());
      assertEquals(
          new FaceDeleted(ExternalId.of("alice")),
          channel.awaitOutcome(delete.commandId()).payload());
    }
  }

  @Test
  void anEmbeddingOfTheWrongDimensionIsTheWorkersRejection() throws IOException {
    TenantId tenant = Tenants.newId("face-dim");
    try (TenantChannel channel = TenantChannel.listen(Cli.stack().redisUri(), tenant)) {
      Tenants.created("face-dim", channel, tenant);
      float[] longer = new float[Tenants.DIMENSION * 2];
      longer[0] = 1;
      Cli.Result register =
          Cli.against(
              "face",
              "register",
              tenant.value(),
              "bob",
              "--embedding-file=" + npy(longer, "<f4"),
              "--quality=0.9");
      assertEquals(0, register.exitCode(), "sent: the contract allows 128 values");
      CommandRejected rejected =
          (CommandRejected) channel.awaitOutcome(register.commandId()).payload();
      assertEquals(RejectionReason.INVALID_EMBEDDING, rejected.reason());
    }
  }

  @Test
  void anUnreadableEmbeddingFileIsRefusedNamingTheRule() throws IOException {
    Path bigEndian = npy(Tenants.values(1), ">f4");
    Cli.Result result =
        Cli.against("face", "verify", "acme", "alice", "--embedding-file=" + bigEndian);
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(
        result.err().contains("dtype must be '<f4' or '<f8' (little-endian 32- or 64-bit floats)"),
        result.err());
    Cli.Result withoutQuality =
        Cli.against(
            "face",
            "register",
            "acme",
            "alice",
            "--embedding-file=" + Tenants.jsonEmbedding(dir, 3));
    assertEquals(2, withoutQuality.exitCode(), withoutQuality.toString());
  }

  /** A version 1.0 .npy file of {@code values} in {@code descr} ({@code <f4}, {@code <f8}...). */
  private Path npy(float[] values, String descr) throws IOException {
    int width = descr.endsWith("8") ? 8 : 4;
    String dict =
        "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + values.length + ",), }";
    int padded = (10 + dict.length() + 1 + 63) / 64 * 64 - 10;
    String header = dict + " ".repeat(padded - dict.length() - 1) + "\n";
    ByteBuffer data =
        ByteBuffer.allocate(10 + padded + values.length * width).order(ByteOrder.LITTLE_ENDIAN);
    data.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    data.putShort((short) padded);
    data.put(header.getBytes(StandardCharsets.ISO_8859_1));
    data.order(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      if (width == 8) {
        data.putDouble(value);
      } else {
        data.putFloat(value);
      }
    }
    Path file = Files.createTempFile(dir, "embedding", ".npy");
    return Files.write(file, data.array());
  }
}
