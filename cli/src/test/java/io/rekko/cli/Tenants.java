package io.rekko.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rekko.client.testing.TenantChannel;
import io.rekko.client.testing.WorkerStack;
import io.rekko.schema.EventType;
import io.rekko.schema.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.StringJoiner;

/** A new tenant for one test, set up through the CLI, and embedding files of its dimension. */
final class Tenants {
  static final int DIMENSION = 64;

  private Tenants() {}

  /**
   * A tenant no other test uses, created with {@code tenant upsert} (dimension 64, minimum quality
   * 0.5, no liveness needed, no rate limits), once its {@code tenant.updated} arrived.
   */
  static TenantId created(String label, TenantChannel channel, TenantId tenant) {
    Cli.Result upsert =
        Cli.against(
            "tenant",
            "upsert",
            tenant.value(),
            "--embedding-dimension=" + DIMENSION,
            "--min-quality=0.5",
            "--no-require-liveness",
            "--no-rate-limits");
    assertEquals(0, upsert.exitCode(), upsert.toString());
    assertEquals(EventType.TENANT_UPDATED, channel.awaitOutcome(upsert.commandId()).type(), label);
    return tenant;
  }

  static TenantId newId(String label) {
    return WorkerStack.newTenant("cli-" + label);
  }

  /** A JSON embedding file of {@link #DIMENSION} values, the same for the same seed. */
  static Path jsonEmbedding(Path dir, int seed) throws IOException {
    StringJoiner values = new StringJoiner(",", "[", "]");
    for (float value : values(seed)) {
      values.add(Float.toString(value));
    }
    return Files.writeString(dir.resolve("embedding-" + seed + ".json"), values.toString());
  }

  /** Gaussian values: embeddings of different seeds are all but orthogonal. */
  static float[] values(int seed) {
    Random random = new Random(seed);
    float[] values = new float[DIMENSION];
    for (int i = 0; i < DIMENSION; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
