package io.rekko.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A JVM killed with SIGKILL runs no shutdown hook; its servers must still die and their directories
 * go, through the guards alone.
 */
class KilledJvmLeavesNoServersIT {

  private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(20);

  @Test
  void serversOfAKilledJvmStopAndTheirDirectoriesAreRemoved() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                JvmDeathFixture.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    Map<String, String> servers;
    try {
      servers = readServers(child);
      assertTrue(accepts(port(servers, "redis-port")), "redis-server did not start");
      assertTrue(accepts(port(servers, "postgres-port")), "PostgreSQL did not start");
    } finally {
      child.destroyForcibly().waitFor();
    }

    await("redis-server of the killed JVM to stop")
        .atMost(CLEANUP_TIMEOUT)
        .until(() -> !accepts(port(servers, "redis-port")));
    await("PostgreSQL of the killed JVM to stop")
        .atMost(CLEANUP_TIMEOUT)
        .until(() -> !accepts(port(servers, "postgres-port")));
    await("the Redis directory to be removed")
        .atMost(CLEANUP_TIMEOUT)
        .until(() -> !Files.exists(Path.of(servers.get("redis-dir"))));
    await("the PostgreSQL directory to be removed")
        .atMost(CLEANUP_TIMEOUT)
        .until(() -> !Files.exists(Path.of(servers.get("postgres-dir"))));
    await("no process to name either directory")
        .atMost(CLEANUP_TIMEOUT)
        .until(
            () ->
                ProcessHandle.allProcesses()
                    .map(process -> process.info().commandLine().orElse(""))
                    .noneMatch(
                        commandLine ->
                            commandLine.contains(servers.get("redis-dir"))
                                || commandLine.contains(servers.get("postgres-dir"))));
  }

  private static Map<String, String> readServers(Process child) throws IOException {
    Map<String, String> servers = new HashMap<>();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.equals("ready")) {
      String[] parts = line.split("=", 2);
      if (parts.length == 2) {
        servers.put(parts[0], parts[1]);
      }
    }
    assertEquals(4, servers.size(), "the child JVM did not report its servers: " + servers);
    return servers;
  }

  private static int port(Map<String, String> servers, String name) {
    return Integer.parseInt(servers.get(name));
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
