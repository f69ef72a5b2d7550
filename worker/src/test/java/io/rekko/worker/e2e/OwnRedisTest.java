package io.rekko.worker.e2e;

import io.rekko.testkit.DisposableRedis;
import io.rekko.testkit.RedisOptions;
import io.rekko.worker.redis.WorkerAcl;

/**
 * An end-to-end class whose workers log in, as the worker's ACL user ({@link WorkerAcl}), to a
 * standalone Redis of the class's own, which the class may fill, reconfigure or inspect (its ACL
 * log, its memory) without another class's traffic in the way. Stopped when the class is done.
 */
abstract class OwnRedisTest extends EndToEndTest {
  /** The class's Redis; {@link DisposableRedis#command} runs as its default (admin) user. */
  final DisposableRedis redis =
      DisposableRedis.start(RedisOptions.plain().withUser(WorkerAcl.user()));

  @Override
  final E2eHarness.Setup setup() {
    return E2eHarness.Setup.defaults().withRedis(E2eRedis.of(redis)).withWorkerUser();
  }

  @Override
  final void release() {
    redis.close();
  }
}
