package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RejectionReason;
import io.rekko.worker.app.WorkerApp;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * The dashboard asks for nothing the worker does not export: a worker that has applied, verified,
 * rejected and dead-lettered a few commands is scraped over HTTP, as Prometheus scrapes it, and
 * every metric named by a query of {@code config/grafana/dashboards/rekko-worker.json} is among the
 * series of its {@code /metrics}.
 */
class DashboardMetricsIT extends EndToEndTest {
  @Override
  String name() {
    return "dashboard";
  }

  @Test
  void everyMetricTheDashboardQueriesIsInTheWorkersMetrics() {
    sendTrafficOfEveryOutcome();
    Set<String> queried = new TreeSet<>(Dashboard.read().metricNames());
    queried.removeAll(Dashboard.MADE_BY_PROMETHEUS);
    assertTrue(queried.size() >= 40, "the dashboard's queries were read: " + queried);
    WorkerApp worker = stack.workers().getFirst();

    E2eHarness.patiently("every metric of the dashboard in /metrics")
        .untilAsserted(
            () -> {
              Set<String> missing = new TreeSet<>(queried);
              missing.removeAll(exported(OpsEndpoint.body(worker, "/metrics")));
              assertEquals(Set.of(), missing, "the dashboard queries metrics the worker lacks");
            });
  }

  /** Applied, verified, rejected and dead-lettered commands: every lazily made meter exists. */
  private void sendTrafficOfEveryOutcome() {
    Commands tenant = onboard("metrics");
    FaceRegister register = tenant.register("alice", Vectors.random());
    stack.sender().send(register);
    Outcomes.successOf(stack, register, FaceRegistered.class);
    FaceVerify verify = tenant.verify("alice", register.embedding());
    stack.sender().send(verify);
    assertTrue(Outcomes.successOf(stack, verify, FaceVerified.class).matched());
    FaceVerify unknownFace = tenant.verify("nobody", Vectors.random());
    Outcomes.rejection(stack, unknownFace, RejectionReason.FACE_NOT_FOUND);
    RecordMetadata poison =
        stack.sender().sendRaw(register.recordKey(), "{not json".getBytes(StandardCharsets.UTF_8));
    stack.deadLetters().await(poison);
  }

  /** The names of the samples of a Prometheus text exposition. */
  private static Set<String> exported(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
          end++;
        }
        names.add(line.substring(0, end));
      }
    }
    return names;
  }
}
