package io.rekko.worker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    server = OpsServer.start(0, live::get, checks, registry);
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
}
