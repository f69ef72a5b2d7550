package io.rekko.worker.e2e;

import io.rekko.worker.app.WorkerApp;
import io.rekko.worker.support.MetricNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A worker's operations port, asked over HTTP as an orchestrator or Prometheus would: health
 * statuses, and counters read from the {@code /metrics} text.
 */
final class OpsEndpoint {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private OpsEndpoint() {}

  /** The HTTP status of {@code path}, or -1 when nothing answers. */
  static int status(WorkerApp worker, String path) {
    HttpResponse<String> response = get(worker, path);
    return response == null ? -1 : response.statusCode();
  }

  /** The body of {@code path}, or an empty string when nothing answers. */
  static String body(WorkerApp worker, String path) {
    HttpResponse<String> response = get(worker, path);
    return response == null ? "" : response.body();
  }

  /**
   * The sum of the samples of a Prometheus metric whose name starts with {@code name} and whose
   * labels contain {@code label} (e.g. {@code change="assigned"}); 0 when there is none.
   */
  static double metric(WorkerApp worker, String name, String label) {
    HttpResponse<String> response = get(worker, "/metrics");
    if (response == null || response.statusCode() != 200) {
      return 0;
    }
    double sum = 0;
    for (String line : response.body().split("\n")) {
      if (line.startsWith(name) && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** Partitions the worker was assigned so far, by its engine's own count. */
  static double partitionsAssigned(WorkerApp worker) {
    String name = MetricNames.PARTITION_CHANGES.name().replace('.', '_');
    return metric(worker, name, "change=\"assigned\"");
  }

  private static HttpResponse<String> get(WorkerApp worker, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.opsPort() + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
