package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rekko.worker.crypto.KeyRing;
import io.rekko.worker.ops.OpsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} and {@code worker/Dockerfile} agree with the configuration: a variable
 * that names no key would be silently ignored, so a typo there would run a worker against the
 * defaults.
 */
class ComposeAgreementTest {
  /** {@code REKKO_STORE_KEK_<ID>} and {@code REKKO_STORE_KEK_CURRENT}. */
  private static final String KEK_VARIABLE = ConfigSource.envName(StoreConfig.KEK_PREFIX);

  private final ComposeFile compose = ComposeFile.read();

  @Test
  void everyVariableOfTheWorkerAndMigrateServicesIsAConfigurationKeyAndTheyLoad() {
    Set<String> known = new TreeSet<>();
    for (String key :
        ConfigSource.readResource(WorkerConfig.DEFAULTS_RESOURCE).stringPropertyNames()) {
      known.add(ConfigSource.envName(key));
    }
    for (String service : List.of("worker", "migrate")) {
      Map<String, String> environment = compose.environment(service);
      Set<String> unknown = new TreeSet<>(environment.keySet());
      unknown.removeAll(known);
      unknown.removeIf(name -> name.startsWith(KEK_VARIABLE));
      assertEquals(Set.of(), unknown, service + ": variables that configure nothing");
      WorkerConfig.load(withRealKek(environment));
    }
    MigrateStep.read(WorkerConfig.layers(withRealKek(compose.environment("migrate"))));
    Map<String, String> worker = compose.environment("worker");
    assertTrue(worker.size() >= 8, "found the worker's environment: " + worker.keySet());
    WorkerConfig config = WorkerConfig.load(withRealKek(worker));
    assertEquals("kafka:9092", config.engine().client().bootstrapServers());
    assertEquals("redis://redis:6379", config.redis().servers().urls().getFirst());
  }

  @Test
  void theWorkerAndMigrateServicesShareOneKekAndRefuseTheExamplePlaceholder() {
    Map<String, String> worker = compose.environment("worker");
    Map<String, String> migrate = compose.environment("migrate");
    assertEquals("k1", worker.get(KEK_VARIABLE + "CURRENT"));
    assertEquals(worker.get(KEK_VARIABLE + "K1"), migrate.get(KEK_VARIABLE + "K1"));
    assertEquals(worker.get(KEK_VARIABLE + "CURRENT"), migrate.get(KEK_VARIABLE + "CURRENT"));

    List<String> problems =
        assertThrows(ConfigException.class, () -> WorkerConfig.load(worker)).problems();

    assertEquals(List.of("key-encryption keys: store.kek.k1 is not valid base64"), problems);
  }

  /** What a .env made as .env.example says holds: a real KEK in place of the placeholder. */
  private static Map<String, String> withRealKek(Map<String, String> environment) {
    Map<String, String> real = new TreeMap<>(environment);
    real.replaceAll(
        (name, value) ->
            name.startsWith(KEK_VARIABLE) && !name.equals(KEK_VARIABLE + "CURRENT")
                ? KeyRing.generateBase64()
                : value);
    return real;
  }

  @Test
  void portsAndTheGracePeriodAgreeWithTheDockerfile() {
    WorkerConfig config = WorkerConfig.load(withRealKek(compose.environment("worker")));
    String port = Integer.toString(config.ops().httpPort());
    String dockerfile = ComposeFile.text("worker/Dockerfile");
    assertTrue(dockerfile.contains("EXPOSE " + port), "Dockerfile exposes " + port);
    assertTrue(dockerfile.contains("/dev/tcp/127.0.0.1/" + port), "health check probes " + port);
    assertTrue(dockerfile.contains("GET /health/ready"), "health check asks for readiness");
    assertTrue(
        dockerfile.contains("\"/app/worker.jar:/app/lib/*\", \"" + Main.class.getName() + "\""),
        "entry point runs Main with the jar and its libraries");
    List<String> ports = new ArrayList<>();
    compose.service("worker").path("ports").forEach(p -> ports.add(p.asText()));
    assertEquals(List.of("127.0.0.1::" + port), ports, "compose publishes " + port);
    String grace = compose.service("worker").path("stop_grace_period").asText();
    assertTrue(grace.matches("\\d+s"), "compose sets a grace period in seconds: " + grace);
    Duration period = Duration.ofSeconds(Long.parseLong(grace.substring(0, grace.length() - 1)));
    assertTrue(
        period.compareTo(config.worker().shutdownDeadline()) > 0,
        "grace period " + period + " outlasts worker.shutdown-deadline");
  }

  @Test
  void prometheusScrapesEveryWorkerReplicaOnItsOperationsPortWithinTheRequestTimeout() {
    WorkerConfig config = WorkerConfig.load(withRealKek(compose.environment("worker")));
    JsonNode prometheus = ComposeFile.yaml("config/prometheus/prometheus.yml");
    JsonNode jobs = prometheus.path("scrape_configs");
    assertEquals(1, jobs.size(), "one job: the workers");
    JsonNode job = jobs.get(0);
    assertEquals("/metrics", job.path("metrics_path").asText());
    JsonNode discovery = job.path("dns_sd_configs").get(0);
    assertEquals(
        "[\"worker\"]",
        discovery.path("names").toString(),
        "the service's name, which Docker resolves to every replica");
    assertEquals("A", discovery.path("type").asText());
    assertEquals(config.ops().httpPort(), discovery.path("port").asInt(), "the ops port");
    String timeout = prometheus.path("global").path("scrape_timeout").asText();
    assertTrue(timeout.matches("\\d+s"), "a scrape timeout in seconds: " + timeout);
    assertTrue(
        Long.parseLong(timeout.substring(0, timeout.length() - 1))
            <= OpsServer.REQUEST_TIMEOUT.toSeconds(),
        "Prometheus waits no longer than the worker answers");
    String file = compose.mountTarget("prometheus", "./config/prometheus/prometheus.yml");
    assertTrue(compose.command("prometheus").contains("--config.file=" + file), file);
  }

  @Test
  void grafanaAsksThisPrometheusAndLoadsTheDashboardOfItsJob() {
    JsonNode source =
        ComposeFile.yaml("config/grafana/provisioning/datasources/prometheus.yml")
            .path("datasources")
            .get(0);
    List<String> ports = new ArrayList<>();
    compose.service("prometheus").path("ports").forEach(p -> ports.add(p.asText()));
    String port = ports.getFirst().substring(ports.getFirst().lastIndexOf(':') + 1);
    assertEquals("http://prometheus:" + port, source.path("url").asText());

    JsonNode dashboard = ComposeFile.json("config/grafana/dashboards/rekko-worker.json");
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if ("datasource".equals(variable.path("type").asText())) {
        assertEquals(
            source.path("uid").asText(),
            variable.path("current").path("value").asText(),
            "the dashboard selects the provisioned data source first");
      }
    }
    String job =
        ComposeFile.yaml("config/prometheus/prometheus.yml")
            .path("scrape_configs")
            .get(0)
            .path("job_name")
            .asText();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        assertTrue(expr.contains("job=\"" + job + "\""), "selects job " + job + ": " + expr);
      }
    }

    String dashboards = compose.mountTarget("grafana", "./config/grafana/dashboards");
    JsonNode provider =
        ComposeFile.yaml("config/grafana/provisioning/dashboards/rekko.yml")
            .path("providers")
            .get(0);
    assertEquals(dashboards, provider.path("options").path("path").asText());
    assertEquals(
        "/etc/grafana/provisioning",
        compose.mountTarget("grafana", "./config/grafana/provisioning"),
        "where Grafana reads its provisioning");
    assertEquals(
        dashboards + "/rekko-worker.json",
        compose.environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"));
  }
}
