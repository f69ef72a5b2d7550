package io.rekko.testkit;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server of a kind for the whole JVM, started by the first caller; concurrent first callers
 * wait for that one start.
 *
 * <p>A failed start is remembered: later callers get the same cause at once instead of each test
 * waiting for its own failed start.
 */
final class SharedServer<T> {

  private static final Logger LOG = LoggerFactory.getLogger(TestServers.class);

  private final String kind;
  private final Supplier<T> factory;
  private T server;
  private RuntimeException failure;

  SharedServer(String kind, Supplier<T> factory) {
    this.kind = kind;
    this.factory = factory;
  }

  synchronized T get() {
    if (server != null) {
      return server;
    }
    if (failure != null) {
      throw new TestServerException("the shared " + kind + " failed to start earlier", failure);
    }
    long started = System.nanoTime();
    try {
      server = factory.get();
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    LOG.info("Tests use {}: {} (ready in {} ms)", kind, server, millis);
    return server;
  }
}
