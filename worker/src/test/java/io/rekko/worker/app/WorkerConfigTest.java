package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsFileLoadsIntoValidSettings() {
    WorkerConfig config = TestConfig.load(Map.of());
    assertEquals(Duration.ofSeconds(20), config.worker().shutdownDeadline());
    assertEquals(Duration.ofMinutes(15), config.command().maxCommandAge());
    assertEquals(8080, config.ops().httpPort());
    assertEquals("0.0.0.0", config.ops().bindAddress().getHostAddress());
  }

  @Test
  void everyDefaultKeyIsDocumentedByAComment() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("..", "config", "rekko-worker.properties"));
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.isBlank() && !line.startsWith("#")) {
        assertTrue(
            i > 0 && lines.get(i - 1).startsWith("#"), "key without a comment above it: " + line);
      }
    }
  }

  @Test
  void environmentOverridesTheDefaults() {
    WorkerConfig config =
        TestConfig.load(
            Map.of("REKKO_OPS_HTTP_PORT", "9191", "REKKO_WORKER_SHUTDOWN_DEADLINE", "PT45S"));
    assertEquals(9191, config.ops().httpPort());
    assertEquals(Duration.ofSeconds(45), config.worker().shutdownDeadline());
  }

  @Test
  void operatorFileOverridesDefaultsAndEnvironmentOverridesTheFile() throws IOException {
    Path file = dir.resolve("worker.properties");
    Files.writeString(file, "ops.http-port=7070\nworker.instance-id=w-1\n");
    WorkerConfig fromFile = TestConfig.load(Map.of("REKKO_CONFIG", file.toString()));
    assertEquals(7070, fromFile.ops().httpPort());
    assertEquals("w-1", fromFile.worker().instanceId());

    WorkerConfig fromEnv =
        TestConfig.load(Map.of("REKKO_CONFIG", file.toString(), "REKKO_WORKER_INSTANCE_ID", "w-2"));
    assertEquals("w-2", fromEnv.worker().instanceId());
  }

  @Test
  void unknownKeyInTheOperatorFileIsRefusedByName() throws IOException {
    Path file = dir.resolve("typo.properties");
    Files.writeString(file, "ops.http-prot=7070\n");
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> TestConfig.load(Map.of("REKKO_CONFIG", file.toString())));
    assertEquals(
        List.of("ops.http-prot (from " + file + ") is not a configuration key"), e.problems());
  }

  @Test
  void unreadableOperatorFileIsReported() {
    Path missing = dir.resolve("missing.properties");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> TestConfig.load(Map.of("REKKO_CONFIG", missing.toString())));
    assertEquals(List.of("REKKO_CONFIG names " + missing + ", which cannot be read"), e.problems());
  }

  @Test
  void nonNumericPortNamesTheVariableTheRuleAndTheValue() {
    assertEquals(
        List.of(
            "ops.http-port (from REKKO_OPS_HTTP_PORT) must be an integer between 0 and 65535,"
                + " was 'http'"),
        problems(Map.of("REKKO_OPS_HTTP_PORT", "http")));
  }

  @Test
  void portOutOfRangeIsRefused() {
    assertEquals(
        List.of(
            "ops.http-port (from REKKO_OPS_HTTP_PORT) must be between 0 and 65535, was '70000'"),
        problems(Map.of("REKKO_OPS_HTTP_PORT", "70000")));
  }

  @Test
  void shutdownDeadlineOutsideItsBoundsIsRefused() {
    assertEquals(
        List.of(
            "worker.shutdown-deadline (from REKKO_WORKER_SHUTDOWN_DEADLINE) must be between 1s"
                + " and 10m, was '11m'"),
        problems(Map.of("REKKO_WORKER_SHUTDOWN_DEADLINE", "11m")));
  }

  @Test
  void unparsableDurationIsRefusedWithTheAcceptedForms() {
    assertEquals(
        List.of(
            "command.max-command-age (from REKKO_COMMAND_MAX_COMMAND_AGE) must be a duration"
                + " (250ms, 30s, 5m, 1h, 7d) between 1s and 168h, was 'soon'"),
        problems(Map.of("REKKO_COMMAND_MAX_COMMAND_AGE", "soon")));
  }

  @Test
  void invalidInstanceIdIsRefusedNamingItsKey() {
    assertEquals(
        List.of(
            "worker.instance-id (from REKKO_WORKER_INSTANCE_ID) must be 1 to 64 letters, digits,"
                + " '.', '_' or '-', was 'a b'"),
        problems(Map.of("REKKO_WORKER_INSTANCE_ID", "a b")));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                TestConfig.load(
                    Map.of(
                        "REKKO_OPS_HTTP_PORT", "-1",
                        "REKKO_COMMAND_MAX_COMMAND_AGE", "0s")));
    assertEquals(2, e.problems().size());
    assertTrue(e.getMessage().startsWith("Invalid configuration (2 problems):"));
  }

  @Test
  void recordsRejectImpossibleValuesWhenBuiltDirectly() {
    IllegalArgumentException port =
        assertThrows(
            IllegalArgumentException.class,
            () -> new OpsSettings(InetAddress.getLoopbackAddress(), -1));
    assertEquals(
        "httpPort must be between 0 and 65535 (0 = any free port), was -1", port.getMessage());
    IllegalArgumentException deadline =
        assertThrows(IllegalArgumentException.class, () -> new WorkerSettings("w", Duration.ZERO));
    assertEquals("shutdownDeadline must be positive, was PT0S", deadline.getMessage());
    IllegalArgumentException instance =
        assertThrows(
            IllegalArgumentException.class, () -> new WorkerSettings("a b", Duration.ofSeconds(1)));
    assertTrue(instance.getMessage().startsWith("instanceId must be 1 to 64 letters"));
  }

  @Test
  void layeringAndEnvironmentNamesFollowTheDocumentedRule() {
    assertEquals("REKKO_REDIS_URL", ConfigSource.envName("redis.url"));
    assertEquals("REKKO_OPS_HTTP_PORT", ConfigSource.envName("ops.http-port"));
    Properties defaults = new Properties();
    defaults.setProperty("a.flag", "true");
    ConfigSource source =
        ConfigSource.layered(defaults, "defaults", null, Map.of("REKKO_A_FLAG", "maybe"));
    source.bool("a.flag");
    assertEquals(
        List.of("a.flag (from REKKO_A_FLAG) must be true or false, was 'maybe'"),
        source.problems());
  }

  @Test
  void secretKeysAreNeverEchoed() {
    Properties defaults = new Properties();
    defaults.setProperty("store.password", "");
    ConfigSource source =
        ConfigSource.layered(defaults, "defaults", null, Map.of("REKKO_STORE_PASSWORD", "hunter2"));
    var secret = source.secret("store.password");
    assertEquals("hunter2", secret.reveal());
    assertEquals("******", secret.toString());
    assertEquals("Holder[******]", "Holder[" + secret + "]");
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertEquals(Duration.ofMillis(250), ConfigSource.parseDuration("250ms"));
    assertEquals(Duration.ofSeconds(30), ConfigSource.parseDuration("30s"));
    assertEquals(Duration.ofMinutes(5), ConfigSource.parseDuration("5m"));
    assertEquals(Duration.ofHours(1), ConfigSource.parseDuration("1h"));
    assertEquals(Duration.ofDays(7), ConfigSource.parseDuration("7d"));
    assertEquals(Duration.ofSeconds(30), ConfigSource.parseDuration("PT30S"));
    assertThrows(IllegalArgumentException.class, () -> ConfigSource.parseDuration("5 weeks"));
    assertThrows(IllegalArgumentException.class, () -> ConfigSource.parseDuration("ms"));
  }

  private static List<String> problems(Map<String, String> environment) {
    return assertThrows(ConfigException.class, () -> TestConfig.load(environment)).problems();
  }

  @Test
  void theOpsEndpointBindsAnIpAddressNeverAHostName() {
    assertEquals(
        "127.0.0.1",
        TestConfig.load(Map.of("REKKO_OPS_BIND_ADDRESS", "127.0.0.1"))
            .ops()
            .bindAddress()
            .getHostAddress());
    assertEquals(
        "0:0:0:0:0:0:0:1",
        TestConfig.load(Map.of("REKKO_OPS_BIND_ADDRESS", "::1"))
            .ops()
            .bindAddress()
            .getHostAddress());
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> TestConfig.load(Map.of("REKKO_OPS_BIND_ADDRESS", "localhost")));
    assertTrue(
        e.getMessage().contains("ops.bind-address (from REKKO_OPS_BIND_ADDRESS) must be an IP"),
        e.getMessage());
  }
}
