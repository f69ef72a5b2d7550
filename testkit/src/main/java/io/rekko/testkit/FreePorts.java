package io.rekko.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Loopback ports that were free a moment ago.
 *
 * <p>A port is never handed out twice in one JVM. Another process may still take it between this
 * check and the server's bind; callers that pick their own ports retry on a bind failure.
 */
final class FreePorts {

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  /** Tries a server gets, each on fresh ports, before its start is given up. */
  private static final int START_ATTEMPTS = 3;

  private FreePorts() {}

  /**
   * Starts a server on ports of its own choosing, again on fresh ones when a start fails (most
   * likely another process took a port between the probe and the bind). {@code start} must clean up
   * after a failed try itself; the last failure is rethrown.
   */
  static <T> T retrying(Supplier<T> start) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return start.get();
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw last;
  }

  static int next() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = probe();
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new TestServerException("no free loopback port after 100 attempts");
  }

  private static int probe() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("could not probe for a free loopback port", e);
    }
  }
}
