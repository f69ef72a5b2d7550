package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rekko.schema.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hardening rules of {@code docker-compose.yml} and {@code worker/Dockerfile} (SECURITY.md's
 * deployment checklist, on one host): loopback-only ports, no secret in a committed file, a Redis
 * that evicts nothing and admits the worker only under its ACL, pinned images, migrations and
 * topics made by one-shot services before any worker starts, and an image built from main code by
 * steps that fail loudly.
 */
class ComposeHardeningTest {
  /** A variable name that holds a secret: a password, a key-encryption key and the like. */
  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(PASSWORD|SECRET|JAAS|CREDENTIAL|TOKEN).*|REKKO_STORE_KEK_(?!CURRENT$).*");

  /**
   * An image pinned to a release, not a moving major tag: {@code name:17.2}, {@code name:1.2.3},
   * possibly with a suffix ({@code 25.0.3_9-jre}), or with the {@code v} some projects tag their
   * releases with ({@code prom/prometheus:v3.5.0}).
   */
  private static final Pattern PINNED =
      Pattern.compile("[a-z0-9./-]+:v?\\d+\\.\\d+(\\.\\d+)?([-_][-_.\\w]*)?");

  /** The services of the profile that runs Prometheus and Grafana next to the workers. */
  private static final List<String> OBSERVABILITY = List.of("prometheus", "grafana");

  private final ComposeFile compose = ComposeFile.read();

  @Test
  void publishedPortsAreOnTheLoopbackOnly() {
    List<String> published = new ArrayList<>();
    for (String service : compose.serviceNames()) {
      for (JsonNode port : compose.service(service).path("ports")) {
        String text = port.isObject() ? port.path("host_ip").asText() + ":" : port.asText();
        published.add(service + " " + text);
        assertTrue(text.startsWith("127.0.0.1:"), service + " publishes " + port + " beyond");
      }
    }
    assertEquals(
        List.of(
            "worker 127.0.0.1::8080",
            "prometheus 127.0.0.1:9090:9090",
            "grafana 127.0.0.1:3000:3000"),
        published);
  }

  @Test
  void configurationFilesAreMountedReadOnly() {
    List<String> mounts = new ArrayList<>();
    for (String service : compose.serviceNames()) {
      for (JsonNode volume : compose.service(service).path("volumes")) {
        String mount = volume.asText();
        if (mount.startsWith("./")) {
          mounts.add(mount);
          assertTrue(mount.endsWith(":ro"), service + " mounts " + mount + " writable");
        }
      }
    }
    assertTrue(mounts.size() >= 5, "found the mounted configuration files: " + mounts);
  }

  @Test
  void prometheusAndGrafanaStartOnlyWithTheirProfileAndGrafanaAdmitsNoOneAnonymously() {
    for (String service : compose.serviceNames()) {
      JsonNode profiles = compose.service(service).path("profiles");
      if (OBSERVABILITY.contains(service)) {
        assertEquals("[\"observability\"]", profiles.toString(), service + " profiles");
      } else {
        assertTrue(profiles.isMissingNode(), service + " starts without a profile: " + profiles);
      }
    }
    Map<String, String> grafana = compose.environment("grafana");
    assertEquals("false", grafana.get("GF_AUTH_ANONYMOUS_ENABLED"));
    assertEquals("false", grafana.get("GF_USERS_ALLOW_SIGN_UP"));
    assertEquals(
        compose.example().getProperty("GRAFANA_ADMIN_PASSWORD"),
        grafana.get("GF_SECURITY_ADMIN_PASSWORD"),
        "the admin password comes from .env");
  }

  @Test
  void everySecretComesFromTheUncommittedEnvFile() {
    for (String service : compose.serviceNames()) {
      compose
          .rawEnvironment(service)
          .forEach(
              (name, value) -> {
                if (SECRET_NAME.matcher(name).matches()) {
                  assertTrue(
                      value.matches("\\$\\{[A-Z0-9_]+:\\?[^}]+}"),
                      service + " " + name + " must be ${VAR:?message} from .env, is " + value);
                }
              });
    }
    assertTrue(lines(ComposeFile.text(".gitignore")).contains(".env"), ".gitignore has .env");
    assertTrue(lines(ComposeFile.text(".dockerignore")).contains(".env"), ".dockerignore has .env");
    for (String name : compose.example().stringPropertyNames()) {
      assertTrue(
          compose.example().getProperty(name).startsWith("change-me"),
          ".env.example holds placeholders only: " + name);
    }
  }

  @Test
  void redisEvictsNothingAndAdmitsTheWorkerOnlyUnderItsAcl() {
    String command = String.join(" ", compose.command("redis"));
    assertTrue(command.contains("--maxmemory-policy noeviction"), command);
    assertTrue(command.contains("--aclfile"), command);
    assertFalse(command.contains("nopass"), command);
    assertTrue(command.contains("user rekko-worker on >$$REDIS_WORKER_PASSWORD $$rules"), command);
    assertTrue(
        compose
            .service("redis")
            .path("volumes")
            .toString()
            .contains("./config/redis-worker.acl:/etc/rekko/redis-worker.acl:ro"),
        "the worker user's rules are config/redis-worker.acl");
    Map<String, String> worker = compose.environment("worker");
    assertEquals("rekko-worker", worker.get("REKKO_REDIS_USERNAME"));
    assertEquals(
        compose.example().getProperty("REDIS_WORKER_PASSWORD"), worker.get("REKKO_REDIS_PASSWORD"));
  }

  @Test
  void everyImageIsPinnedToARelease() {
    for (String service : compose.serviceNames()) {
      String image = compose.service(service).path("image").asText();
      if (compose.service(service).has("build")) {
        assertTrue(image.startsWith("rekko/worker:"), service + " builds the worker: " + image);
      } else {
        assertTrue(PINNED.matcher(image).matches(), service + " image is pinned: " + image);
      }
    }
    Matcher from =
        Pattern.compile("(?m)^FROM (\\S+)").matcher(ComposeFile.text("worker/Dockerfile"));
    int stages = 0;
    while (from.find()) {
      stages++;
      assertTrue(
          PINNED.matcher(from.group(1)).matches(), "Dockerfile image pinned: " + from.group());
    }
    assertEquals(2, stages, "a build stage and a run stage");
  }

  @Test
  void migrationsRunOnceAsTheOwnerBeforeAnyWorkerWhichRunsAsTheRuntimeRole() {
    assertEquals(List.of("migrate"), compose.command("migrate"));
    assertEquals("no", compose.service("migrate").path("restart").asText());
    String owner = compose.environment("postgres").get("POSTGRES_USER");
    Map<String, String> migrate = compose.environment("migrate");
    Map<String, String> worker = compose.environment("worker");
    assertEquals(owner, migrate.get("REKKO_STORE_USERNAME"), "migrate runs as the owner");
    assertEquals(
        compose.environment("postgres").get("POSTGRES_PASSWORD"),
        migrate.get("REKKO_STORE_PASSWORD"));
    assertNotEquals(owner, worker.get("REKKO_STORE_USERNAME"), "workers do not run as the owner");
    assertEquals(migrate.get("REKKO_STORE_RUNTIME_ROLE"), worker.get("REKKO_STORE_USERNAME"));
    assertFalse(
        worker.containsValue(compose.example().getProperty("POSTGRES_PASSWORD")),
        "the workers never see the owner's password");
    assertCompletedBeforeWorkers("migrate");
  }

  @Test
  void topicsAreMadeByTheOperatorStepAndTheWorkersMayNotCreateThem() {
    String command = String.join(" ", compose.command("kafka-topics"));
    for (String topic : List.of(Topics.COMMANDS, Topics.ADMIN, Topics.COMMANDS_DLQ)) {
      assertTrue(command.contains(topic), "kafka-topics creates " + topic);
    }
    assertTrue(command.contains("set -e"), "a failed creation fails the step");
    assertEquals("false", compose.environment("worker").get("REKKO_KAFKA_CREATE_TOPICS"));
    assertCompletedBeforeWorkers("kafka-topics");
  }

  @Test
  void theImageBuildsMainCodeOnlyAndFailsWhenAStepFails() {
    String dockerfile = ComposeFile.text("worker/Dockerfile");
    assertFalse(dockerfile.contains("|| true"), "no step hides its failure");
    assertFalse(dockerfile.contains("|| :"), "no step hides its failure");
    assertTrue(dockerfile.contains("-Dmaven.test.skip=true"), "no test source is compiled");
    assertFalse(dockerfile.contains("-DskipTests"), "skipTests still compiles the tests");
    Matcher module =
        Pattern.compile("<module>([^<]+)</module>").matcher(ComposeFile.text("pom.xml"));
    while (module.find()) {
      String pom = module.group(1) + "/pom.xml";
      assertTrue(
          dockerfile.contains("COPY " + pom + " " + module.group(1) + "/"),
          "the reactor reads every module's pom: the Dockerfile copies " + pom);
    }
    assertTrue(dockerfile.contains("USER rekko"), "the worker does not run as root");
  }

  private void assertCompletedBeforeWorkers(String step) {
    assertEquals(
        "service_completed_successfully",
        compose.service("worker").path("depends_on").path(step).path("condition").asText(),
        "workers start once " + step + " has succeeded");
  }

  private static List<String> lines(String text) {
    return text.lines().map(String::strip).toList();
  }
}
