package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.testkit.DisposableRedis;
import io.rekko.testkit.RedisOptions;
import io.rekko.testkit.TestCertificates;
import io.rekko.worker.app.WorkerApp;
import io.rekko.worker.redis.WorkerAcl;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The worker over Redis TLS, as production should run it: a TLS-only {@code redis-server} whose
 * certificate a CA made for this class signed, the workers verifying its chain against that CA
 * ({@code redis.tls.ca-file}) and its name ({@code redis.tls.verify-peer}), logged in as the
 * minimal ACL user. The test's own observers speak TLS too: the server has no plain-text port.
 */
class RedisTlsIT extends EndToEndTest {
  private final TestCertificates certificates = TestCertificates.create("e2e");
  private final DisposableRedis redis =
      DisposableRedis.start(RedisOptions.plain().withTls(certificates).withUser(WorkerAcl.user()));

  @Override
  String name() {
    return "tls";
  }

  @Override
  E2eHarness.Setup setup() {
    return E2eHarness.Setup.defaults()
        .withRedis(E2eRedis.of(redis))
        .withWorkerUser()
        .with("redis.tls.verify-peer", "true")
        .with("redis.tls.ca-file", certificates.caFile().toString());
  }

  @Override
  void release() {
    redis.close();
  }

  @Test
  void workerOverVerifiedTlsRegistersVerifiesAndDeletesWithEveryEventArriving() {
    assertTrue(redis.uri().startsWith("rediss://"), redis.uri());
    redis.command("ACL", "LOG", "RESET");
    Commands tenant = AclWorkload.onboardLimited(this, "tls");

    AclWorkload.registerVerifyDelete(stack, tenant);

    AclWorkload.assertNothingRefused(redis, stack.workers());
  }

  @Test
  void workerRefusesARedisWhoseCertificateItsCaDidNotSign() {
    TestCertificates stranger = TestCertificates.create("stranger");
    WorkerEnvironment environment =
        stack
            .environment("tls-stranger")
            // A group of its own: it must not take partitions from the class's workers.
            .set("kafka.group-id", "tls-stranger-" + UUID.randomUUID())
            .set("redis.tls.ca-file", stranger.caFile().toString());

    try (WorkerApp worker = WorkerApp.start(environment.load(), Clock.systemUTC())) {
      E2eHarness.patiently("the worker reports why it cannot reach Redis")
          .until(
              () ->
                  redisLine(worker).startsWith("redis: up (not reachable")
                      && redisLine(worker).contains("last connect attempt failed"));
      String redisLine = redisLine(worker);

      assertTrue(redisLine.startsWith("redis: up (not reachable"), redisLine);
      assertTrue(redisLine.contains("SSLHandshakeException"), redisLine);
      assertTrue(redisLine.contains("certification path"), redisLine);
    }
  }

  /** The readiness line of Redis: reported, never a condition of readiness. */
  private static String redisLine(WorkerApp worker) {
    for (String line : OpsEndpoint.body(worker, "/health/ready").split("\n")) {
      if (line.startsWith("redis: ")) {
        return line;
      }
    }
    return "";
  }
}
