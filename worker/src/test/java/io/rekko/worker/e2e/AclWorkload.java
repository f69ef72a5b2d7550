package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.CommandType;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.RateLimit;
import io.rekko.testkit.DisposableRedis;
import io.rekko.worker.app.WorkerApp;
import io.rekko.worker.support.MetricNames;
import java.util.List;
import java.util.Map;

/**
 * A short life of one face that sends every kind of Redis call the worker makes (locks and fences,
 * cache reads and fills, a rate limit, usage counters, invalidations, publications), and the checks
 * that Redis refused none of them: what a test of a restricted worker user runs.
 */
final class AclWorkload {
  private AclWorkload() {}

  /** Registers, verifies (twice: a cache miss, then a hit), deletes; each event arrives. */
  static void registerVerifyDelete(E2eHarness stack, Commands tenant) {
    Embedding face = Vectors.random();

    FaceRegistered registered =
        Outcomes.success(stack, tenant.register("ada", face), FaceRegistered.class);
    FaceVerified first = Outcomes.success(stack, tenant.verify("ada", face), FaceVerified.class);
    FaceVerified second = Outcomes.success(stack, tenant.verify("ada", face), FaceVerified.class);
    FaceDeleted deleted = Outcomes.success(stack, tenant.delete("ada"), FaceDeleted.class);

    assertEquals(new FaceRegistered(ExternalId.of("ada"), false), registered);
    assertTrue(first.matched() && second.matched(), "the face matches itself");
    assertEquals(new FaceDeleted(ExternalId.of("ada")), deleted);
  }

  /** A tenant whose verifications are rate-limited, so the limiter's script runs too. */
  static Commands onboardLimited(EndToEndTest test, String label) {
    return test.onboard(
        label,
        Commands.config(
            1_000, Map.of(CommandType.FACE_VERIFY, new RateLimit(1_000, 60_000)), 0.8, 0.5, true));
  }

  /** Redis logged no ACL refusal, and no worker counted one. */
  static void assertNothingRefused(DisposableRedis redis, List<WorkerApp> workers) {
    assertEquals(List.of(), redis.command("ACL", "LOG"), "the ACL refused a command of the worker");
    for (WorkerApp worker : workers) {
      assertEquals(
          0.0,
          OpsEndpoint.metric(
              worker,
              MetricNames.REDIS_REFUSALS.name().replace('.', '_'),
              "reason=\"no_permission\""),
          "refusals the worker counted");
    }
  }
}
