package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.worker.store.TestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The process as an operator starts it: {@code java -cp ... io.rekko.worker.app.Main}. */
class MainTest {

  @Test
  void anInvalidConfigurationPrintsEveryProblemWithoutSecretsAndExitsWithTwo() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().keySet().removeIf(name -> name.startsWith("REKKO_"));
    builder.environment().putAll(TestKeys.environment());
    builder.environment().put("REKKO_OPS_HTTP_PORT", "http");
    builder.environment().put("REKKO_STORE_PASSWORD", "hunter2");
    builder.environment().put("REKKO_STORE_USERNAME", "");
    Process process = builder.start();
    String errors = read(process);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "Main did not exit");
    assertEquals(2, process.exitValue(), errors);
    assertTrue(errors.startsWith("Invalid configuration (2 problems):"), errors);
    assertTrue(errors.contains("ops.http-port (from REKKO_OPS_HTTP_PORT)"), errors);
    assertTrue(errors.contains("store.username (from REKKO_STORE_USERNAME) must be set"), errors);
    assertFalse(errors.contains("hunter2"), errors);
  }

  @Test
  void migrateWithAnInvalidConfigurationPrintsTheProblemAndExitsWithTwo() throws Exception {
    ProcessBuilder builder = main("migrate");
    builder.environment().putAll(TestKeys.environment());
    builder.environment().put("REKKO_STORE_RUNTIME_ROLE", "Not A Role");
    builder.environment().put("REKKO_STORE_PASSWORD", "hunter2");
    Process process = builder.start();
    String errors = read(process);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "Main did not exit");
    assertEquals(2, process.exitValue(), errors);
    assertTrue(errors.startsWith("Invalid configuration (1 problem):"), errors);
    assertTrue(errors.contains("store.runtime-role (from REKKO_STORE_RUNTIME_ROLE)"), errors);
    assertFalse(errors.contains("hunter2"), errors);
  }

  @Test
  void aWorkerWithoutAKeyEncryptionKeyRefusesToStartSayingHowToMakeOne() throws Exception {
    Process process = main().start();
    String errors = read(process);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "Main did not exit");
    assertEquals(2, process.exitValue(), errors);
    assertTrue(
        errors.contains(
            "no key-encryption key is configured: set store.kek.<id> to the base64 of 32 random"
                + " bytes (e.g. `openssl rand -base64 32`)"),
        errors);
  }

  @Test
  void anUnknownArgumentPrintsTheUsageAndExitsWithTwo() throws Exception {
    Process process = main("migrat").start();
    String errors = read(process);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "Main did not exit");
    assertEquals(2, process.exitValue(), errors);
    assertTrue(errors.startsWith("usage: Main"), errors);
  }

  /** {@code java -cp <test class path> Main <args>} without any REKKO_ variable of this JVM. */
  private static ProcessBuilder main(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().keySet().removeIf(name -> name.startsWith("REKKO_"));
    return builder;
  }

  private static String read(Process process) throws IOException {
    return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
