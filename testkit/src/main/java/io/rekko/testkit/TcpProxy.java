package io.rekko.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on loopback in front of one server, for faults the server itself cannot show: a
 * network that goes silent, and one that is slow.
 *
 * <ul>
 *   <li>{@link #blackhole()}: nothing is forwarded any more, in either direction, and nothing is
 *       closed; new connections are accepted and left silent too. Clients see what a partition or a
 *       hung host gives them: requests that never get an answer, until their own timeouts act.
 *   <li>{@link #cut()}: every connection is closed, and new ones are closed as soon as accepted:
 *       what a client sees when its peer's host is gone or a firewall resets its connections.
 *   <li>{@link #delay(Duration)}: each chunk of bytes is held that long before it is forwarded.
 *   <li>{@link #pass()}: back to plain forwarding; what was held is forwarded then, in order.
 * </ul>
 *
 * <p>Each direction of each connection has its own virtual thread; a chunk read while blackholed
 * waits in that thread, so the sender sees TCP's own backpressure, as with a silent peer. Closing
 * the proxy closes every connection.
 */
public final class TcpProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);
  private static final int CHUNK = 16 * 1024;

  private final String name;
  private final InetSocketAddress upstream;
  private final ServerSocket listener;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition passing = lock.newCondition();
  private boolean blackholed;
  private volatile boolean cut;
  private Duration delay = Duration.ZERO;
  private volatile boolean closed;

  private TcpProxy(String name, InetSocketAddress upstream, ServerSocket listener) {
    this.name = name;
    this.upstream = upstream;
    this.listener = listener;
  }

  /** Starts a proxy on a free loopback port that forwards to {@code host:port}. */
  public static TcpProxy start(String name, String host, int port) {
    try {
      ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      TcpProxy proxy = new TcpProxy(name, new InetSocketAddress(host, port), listener);
      Thread.ofVirtual().name(name + "-accept").start(proxy::accept);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start proxy " + name, e);
    }
  }

  /** The port clients connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Stops forwarding, closing nothing. */
  public void blackhole() {
    set(true, delay);
    log.info("proxy {}: blackholed", name);
  }

  /** Closes every connection, and each new one as soon as it is accepted, until {@link #pass}. */
  public void cut() {
    cut = true;
    sockets.forEach(TcpProxy::quietly);
    log.info("proxy {}: cut", name);
  }

  /** Holds each chunk {@code by} before forwarding it. */
  public void delay(Duration by) {
    set(false, by);
    log.info("proxy {}: delaying by {}", name, by);
  }

  /** Forwards everything at once again, and accepts connections again after a cut. */
  public void pass() {
    cut = false;
    set(false, Duration.ZERO);
    log.info("proxy {}: passing", name);
  }

  /** Connections open now, both sides counted apart (client side and server side). */
  public int openSockets() {
    return sockets.size();
  }

  @Override
  public void close() {
    closed = true;
    set(false, Duration.ZERO);
    quietly(listener);
    sockets.forEach(TcpProxy::quietly);
    sockets.clear();
  }

  @Override
  public String toString() {
    return "proxy " + name + " 127.0.0.1:" + port() + " -> " + upstream;
  }

  private void set(boolean blackholed, Duration delay) {
    lock.lock();
    try {
      this.blackholed = blackholed;
      this.delay = delay;
      passing.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("proxy {}: accept failed: {}", name, e.toString());
        }
        return;
      }
      if (cut) {
        quietly(client);
        continue;
      }
      sockets.add(client);
      Thread.ofVirtual().name(name + "-connect").start(() -> connect(client));
    }
  }

  private void connect(Socket client) {
    Socket server = new Socket();
    sockets.add(server);
    try {
      awaitPassing();
      server.connect(upstream);
    } catch (IOException | InterruptedException e) {
      quietly(client);
      quietly(server);
      return;
    }
    Thread.ofVirtual().name(name + "-up").start(() -> forward(client, server));
    Thread.ofVirtual().name(name + "-down").start(() -> forward(server, client));
  }

  /**
   * Copies {@code from} to {@code to} chunk by chunk, as the mode allows; closes both at the end.
   */
  private void forward(Socket from, Socket to) {
    byte[] chunk = new byte[CHUNK];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(chunk)) >= 0) {
        awaitPassing();
        out.write(chunk, 0, read);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // The connection ended, or the proxy closed.
    } finally {
      quietly(from);
      quietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  /** Waits while blackholed, then for the delay; returns at once when passing. */
  private void awaitPassing() throws InterruptedException {
    Duration hold;
    lock.lock();
    try {
      while (blackholed && !closed) {
        passing.await();
      }
      hold = delay;
    } finally {
      lock.unlock();
    }
    if (!hold.isZero()) {
      Thread.sleep(hold);
    }
  }

  private static void quietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing what may be closed already.
    }
  }
}
