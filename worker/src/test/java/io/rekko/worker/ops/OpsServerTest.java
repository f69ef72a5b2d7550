package io.rekko.worker.ops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {
  private final AtomicBoolean live = new AtomicBoolean(true);
  private final AtomicBoolean engineUp = new AtomicBoolean(true);
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient http = HttpClient.newHttpClient();
  private OpsServer server;

  @BeforeEach
  void start() throws Exception {
    List<HealthCheck> checks =
        List.of(
            HealthCheck.of(
                "engine",
                () ->
                    engineUp.get()
                        ? HealthCheck.Status.up("consuming")
                        : HealthCheck.Status.down("degraded: retrying 2 keys")),
            HealthCheck.of("postgres", () -> HealthCheck.Status.up("reachable")));
    server =
        OpsServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            live::get,
            checks,
            registry);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void readinessIsOkWhenEveryCheckIsUp() throws Exception {
    HttpResponse<String> response = get("/health/ready");
    assertEquals(200, response.statusCode());
    assertEquals("ready\nengine: up (consuming)\npostgres: up (reachable)\n", response.body());
  }

  @Test
  void readinessFailsAndSaysWhyWhenOneCheckIsDown() throws Exception {
    engineUp.set(false);
    HttpResponse<String> response = get("/health/ready");
    assertEquals(503, response.statusCode());
    assertTrue(response.body().contains("engine: down (degraded: retrying 2 keys)"));
  }

  @Test
  void livenessFollowsTheProcessState() throws Exception {
    assertEquals(200, get("/health/live").statusCode());
    live.set(false);
    assertEquals(503, get("/health/live").statusCode());
  }

  @Test
  void metricsAreServedInPrometheusTextFormat() throws Exception {
    Counter.builder("rekko.engine.polled.records")
        .description("Records polled.")
        .register(registry)
        .increment(3);
    HttpResponse<String> response = get("/metrics");
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    assertTrue(response.body().contains("rekko_engine_polled_records_total 3.0"), response.body());
  }

  @Test
  void onlyGetIsAllowed() throws Exception {
    HttpRequest post =
        HttpRequest.newBuilder(uri("/health/ready"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    assertEquals(405, http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** Clients that connect, send a byte and stall must not keep a probe from being answered. */
  @Test
  void stalledClientsDoNotKeepTheLivenessProbeFromBeingAnswered() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.getOutputStream().write('G');
        socket.getOutputStream().flush();
        stalled.add(socket);
      }

      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri("/health/live"))
                  .timeout(Duration.ofSeconds(2))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertEquals(200, response.statusCode());
    } finally {
      for (Socket socket : stalled) {
        socket.close();
      }
    }
  }

  @Test
  void aRequestThatStallsHalfWayIsCutOffAfterTheRequestTimeout() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout((int) OpsServer.REQUEST_TIMEOUT.plusSeconds(5).toMillis());
      socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(UTF_8));
      socket.getOutputStream().flush();
      long started = System.nanoTime();

      int read;
      try {
        read = socket.getInputStream().read();
      } catch (SocketException reset) {
        read = -1;
      }

      assertEquals(-1, read, "the server closed the connection");
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertTrue(took.compareTo(OpsServer.REQUEST_TIMEOUT.plusSeconds(3)) < 0, took.toString());
    }
  }
}
