package io.rekko.worker.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between the workers and their Redis that the test can shut, so the workers see Redis
 * as unreachable while the test's own subscriber, connected to Redis directly, does not.
 *
 * <p>Why: pub/sub delivers only to whoever is subscribed at that instant. When a Redis server
 * restarts, the workers and the test's subscriber race to reconnect; if a worker wins and its relay
 * publishes what waited in the outbox before the subscriber is back, the test would miss events the
 * workers did deliver. With the gate shut across the restart, the test opens it only once its
 * subscriber is subscribed again, so a missing event is the workers' fault, never the harness's.
 * Bytes pass through unchanged: the workers speak to the real server.
 */
final class RedisGate implements AutoCloseable {
  private final int targetPort;
  private final ServerSocket listener;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean open = true;

  private RedisGate(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofPlatform().name("e2e-redis-gate").daemon().start(this::accept);
  }

  /** An open gate in front of the Redis on {@code 127.0.0.1:targetPort}. */
  static RedisGate inFrontOf(int targetPort) {
    try {
      return new RedisGate(targetPort);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the Redis gate", e);
    }
  }

  /** The URL the workers use instead of the server's. */
  String uri() {
    return "redis://127.0.0.1:" + listener.getLocalPort();
  }

  /** Cuts every relayed connection and refuses new ones until {@link #open}. */
  void shut() {
    open = false;
    sockets.forEach(RedisGate::closeQuietly);
  }

  void open() {
    open = true;
  }

  /** Connections relayed now. */
  int connections() {
    return sockets.size() / 2;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        if (!open) {
          closeQuietly(client);
          continue;
        }
        relay(client);
      } catch (IOException e) {
        // The listener closed, or one connection failed to set up: the client sees a reset.
      }
    }
  }

  private void relay(Socket client) throws IOException {
    Socket server = new Socket();
    try {
      server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(server);
      return;
    }
    sockets.add(client);
    sockets.add(server);
    Thread.ofVirtual().name("e2e-redis-gate-up").start(() -> pump(client, server));
    Thread.ofVirtual().name("e2e-redis-gate-down").start(() -> pump(server, client));
  }

  /** Copies until either side closes, then closes both. */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // A side closed: the connection is over.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    shut();
    try {
      listener.close();
      acceptor.join(5_000);
    } catch (IOException e) {
      // Closing the listener only ends the acceptor.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
