package io.rekko.worker.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one HTTP port: {@code GET /health/live}, {@code GET /health/ready} and {@code GET
 * /metrics}.
 *
 * <p>Liveness answers 200 while the process can still do work (the orchestrator restarts it
 * otherwise); readiness answers 200 only when every {@link HealthCheck} is up, and its body lists
 * each check with its reason either way, so an operator sees why a worker is not ready.
 *
 * <p>A probe must be answered whatever else happens. Requests run on platform threads, which the
 * operating system gives their turn even while the worker's virtual threads keep every core busy (a
 * virtual thread waits for a free carrier); up to {@link #MAX_THREADS} at once, so that clients
 * that connect and stall hold none of the threads a probe needs; and a request not read and
 * answered within {@link #REQUEST_TIMEOUT} has its connection closed, so stalled clients do not
 * pile up. The JDK's server reads its time limits ({@code sun.net.httpserver.maxReqTime} and {@code
 * maxRspTime}, in seconds) once per process, when its first instance is made; this class sets them
 * first, unless the JVM was started with them.
 */
public final class OpsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** Requests served at once; more are refused (their connection is closed) until one ends. */
  static final int MAX_THREADS = 32;

  /** The longest a request may take to arrive, and its answer to leave. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  static {
    for (String limit : List.of("sun.net.httpserver.maxReqTime", "sun.net.httpserver.maxRspTime")) {
      if (System.getProperty(limit) == null) {
        System.setProperty(limit, Long.toString(REQUEST_TIMEOUT.toSeconds()));
      }
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private OpsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds the port and starts serving.
   *
   * @param address the address and port to bind; port 0 for any free one
   * @param live false once the process can no longer do work (a fatal engine failure)
   * @param checks every condition of readiness
   * @param registry the registry whose meters {@code /metrics} exposes
   */
  public static OpsServer start(
      InetSocketAddress address,
      BooleanSupplier live,
      List<HealthCheck> checks,
      PrometheusMeterRegistry registry)
      throws IOException {
    HttpServer server = HttpServer.create(address, 64);
    ExecutorService executor =
        new ThreadPoolExecutor(
            2,
            MAX_THREADS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            Thread.ofPlatform().name("rekko-ops-", 0).daemon().factory());
    server.setExecutor(executor);
    List<HealthCheck> readiness = List.copyOf(checks);
    server.createContext("/health/live", exchange -> live(exchange, live));
    server.createContext("/health/ready", exchange -> ready(exchange, readiness));
    server.createContext(
        "/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape()));
    server.start();
    OpsServer ops = new OpsServer(server, executor);
    log.info(
        "operations endpoint listening on {}:{}",
        address.getAddress().getHostAddress(),
        ops.port());
    return ops;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static void live(HttpExchange exchange, BooleanSupplier live) throws IOException {
    boolean up = live.getAsBoolean();
    respond(exchange, up ? 200 : 503, "text/plain; charset=utf-8", up ? "live\n" : "failed\n");
  }

  private static void ready(HttpExchange exchange, List<HealthCheck> checks) throws IOException {
    StringBuilder body = new StringBuilder();
    boolean allUp = true;
    for (HealthCheck check : checks) {
      HealthCheck.Status status = safeCheck(check);
      allUp &= status.up();
      body.append(check.name())
          .append(": ")
          .append(status.up() ? "up" : "down")
          .append(" (")
          .append(status.detail())
          .append(")\n");
    }
    body.insert(0, allUp ? "ready\n" : "not ready\n");
    respond(exchange, allUp ? 200 : 503, "text/plain; charset=utf-8", body.toString());
  }

  private static HealthCheck.Status safeCheck(HealthCheck check) {
    try {
      return check.check();
    } catch (RuntimeException e) {
      return HealthCheck.Status.down("check failed: " + e.getClass().getSimpleName());
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
