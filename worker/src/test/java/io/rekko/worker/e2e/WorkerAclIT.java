package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.rekko.schema.TenantErased;
import io.rekko.worker.redis.WorkerAcl;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The worker's minimal Redis ACL ({@code config/redis-worker.acl}): enough for every command the
 * worker carries out, and nothing an intruder with the worker's password could use to read, change
 * or wipe anything but the worker's own keys. The class's worker logs in as that user on a Redis of
 * its own, so the server's ACL log holds only what the worker was refused.
 */
class WorkerAclIT extends OwnRedisTest {
  @Override
  String name() {
    return "acl";
  }

  @Test
  void workerAsTheAclUserCarriesOutEveryCommandWithoutARefusal() {
    // The other tests are refused on purpose, as the same user; they never run meanwhile.
    redis.command("ACL", "LOG", "RESET");
    Commands tenant = AclWorkload.onboardLimited(this, "acl");

    AclWorkload.registerVerifyDelete(stack, tenant);
    Outcomes.success(stack, tenant.erase("the ACL covers erasures"), TenantErased.class);

    AclWorkload.assertNothingRefused(redis, stack.workers());
  }

  @Test
  void aclUserCannotReadOrWriteAKeyOutsideRekko() {
    redis.command("SET", "billing:invoice", "42", "EX", "60");
    try {
      asWorker(
          worker -> {
            assertNoPermission(() -> worker.get("billing:invoice"));
            assertNoPermission(() -> worker.set("billing:invoice", "0"));
          });
    } finally {
      // Not a key of the layout: the keyspace guard would fail the class on it.
      redis.command("DEL", "billing:invoice");
    }
  }

  @Test
  void aclUserCannotWipeReconfigureOrListTheServer() {
    asWorker(
        worker -> {
          assertNoPermission(worker::flushall);
          assertNoPermission(() -> worker.configGet("maxmemory"));
          assertNoPermission(() -> worker.keys("*"));
          assertNoPermission(() -> worker.scan());
          assertNoPermission(() -> worker.aclList());
        });
  }

  @Test
  void aclUserCanPublishOnlyOnEventChannelsAndSubscribeToNothing() {
    asWorker(
        worker -> {
          assertNoPermission(() -> worker.publish("billing:events", "x"));
          assertNoPermission(() -> worker.pubsubChannels());
        });
    RedisClient client = RedisClient.create();
    try (var pubSub = client.connectPubSub(workerUri())) {
      assertNoPermission(() -> pubSub.sync().subscribe("rekko:events:someone-else"));
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private void asWorker(Consumer<RedisCommands<String, String>> use) {
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<String, String> connection = client.connect(workerUri())) {
      use.accept(connection.sync());
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private RedisURI workerUri() {
    RedisURI uri = RedisURI.create(redis.uri());
    uri.setAuthentication(WorkerAcl.USERNAME, WorkerAcl.password().toCharArray());
    return uri;
  }

  private static void assertNoPermission(Executable call) {
    RedisCommandExecutionException e = assertThrows(RedisCommandExecutionException.class, call);
    assertTrue(e.getMessage().startsWith("NOPERM"), e.getMessage());
  }
}
