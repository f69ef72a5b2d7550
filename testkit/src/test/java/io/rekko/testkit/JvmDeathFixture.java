package io.rekko.testkit;

import java.util.concurrent.CountDownLatch;

/**
 * The main class of a child JVM that {@link KilledJvmLeavesNoServersIT} kills: it starts one server
 * of each external kind, prints where they are, and waits to be killed.
 */
public final class JvmDeathFixture {

  private JvmDeathFixture() {}

  public static void main(String[] args) throws InterruptedException {
    DisposableRedis redis = DisposableRedis.start();
    DisposablePostgres postgres = DisposablePostgres.start();
    System.out.println("redis-port=" + redis.port());
    System.out.println("postgres-port=" + postgres.port());
    System.out.println("redis-dir=" + redis.dir());
    System.out.println("postgres-dir=" + postgres.dir());
    System.out.println("ready");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
