package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} and {@code worker/Dockerfile} agree with the configuration: a variable
 * that names no key would be silently ignored, so a typo there would run a worker against the
 * defaults.
 */
class ComposeAgreementTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern VARIABLE = Pattern.compile("^\\s+(REKKO_[A-Z0-9_]+):\\s*(.*)$");

  @Test
  void everyWorkerVariableInComposeIsAConfigurationKeyAndTheyLoad() throws IOException {
    Map<String, String> environment = composeEnvironment();
    Set<String> known = new TreeSet<>();
    for (String key :
        ConfigSource.readResource(WorkerConfig.DEFAULTS_RESOURCE).stringPropertyNames()) {
      known.add(ConfigSource.envName(key));
    }
    Set<String> unknown = new TreeSet<>(environment.keySet());
    unknown.removeAll(known);
    assertEquals(Set.of(), unknown, "variables that configure nothing");
    assertTrue(environment.size() >= 8, "found the worker's environment: " + environment);

    WorkerConfig config = WorkerConfig.load(environment);
    assertEquals("kafka:9092", config.engine().client().bootstrapServers());
    assertEquals("redis://redis:6379", config.redis().servers().urls().getFirst());
  }

  @Test
  void portsAndTheGracePeriodAgreeWithTheDockerfile() throws IOException {
    WorkerConfig config = WorkerConfig.load(composeEnvironment());
    String port = Integer.toString(config.ops().httpPort());
    String dockerfile = Files.readString(ROOT.resolve("worker/Dockerfile"));
    assertTrue(dockerfile.contains("EXPOSE " + port), "Dockerfile exposes " + port);
    assertTrue(dockerfile.contains("/dev/tcp/127.0.0.1/" + port), "health check probes " + port);
    assertTrue(dockerfile.contains("GET /health/ready"), "health check asks for readiness");
    assertTrue(
        dockerfile.contains("\"/app/worker.jar:/app/lib/*\", \"" + Main.class.getName() + "\""),
        "entry point runs Main with the jar and its libraries");
    String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
    assertTrue(compose.contains("- \"" + port + "\""), "compose publishes " + port);
    Matcher grace = Pattern.compile("stop_grace_period: (\\d+)s").matcher(compose);
    assertTrue(grace.find(), "compose sets a grace period");
    Duration period = Duration.ofSeconds(Long.parseLong(grace.group(1)));
    assertTrue(
        period.compareTo(config.worker().shutdownDeadline()) > 0,
        "grace period " + period + " outlasts worker.shutdown-deadline");
  }

  /** The REKKO_* variables of the worker service, values unquoted. */
  private static Map<String, String> composeEnvironment() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("docker-compose.yml"));
    Map<String, String> environment = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher matcher = VARIABLE.matcher(line);
      if (matcher.matches()) {
        environment.put(matcher.group(1), matcher.group(2).replace("\"", "").strip());
      }
    }
    return environment;
  }
}
