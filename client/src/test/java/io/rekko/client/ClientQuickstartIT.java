package io.rekko.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.client.testing.WorkerStack;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.StreamId;
import io.rekko.schema.StreamedEvent;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantUpsert;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's Java client quickstart, run as written against a real worker: the code between the
 * markers below is the README's {@code java} block, which {@link #theReadmeShowsThisCode} holds it
 * to.
 */
class ClientQuickstartIT {
  private static final Path SOURCE =
      Path.of("src", "test", "java", "io", "rekko", "client", "ClientQuickstartIT.java");
  private static final String SECTION = "## Producers and subscribers: quickstarts";

  @Test
  void theQuickstartProducesAwaitsTheOutcomeAndSubscribes() throws Exception {
    try (WorkerStack stack = WorkerStack.start("quickstart")) {
      String redisUrl = stack.redisUri();
      String bootstrapServers = stack.bootstrapServers();
      Optional<StreamId> lastSaved = Optional.empty();
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      PrintStream console = System.out;
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      EventSubscriber opened;
      try {
        // README: begin
        // A producer that awaits each command's outcome.
        RedisEndpoint redis = RedisEndpoint.standalone(redisUrl);
        TenantId acme = TenantId.of("acme");
        try (CommandProducer producer =
                CommandProducer.open(
                    ProducerSettings.of(bootstrapServers)
                        .withTopics(stack.commandsTopic(), stack.adminTopic()));
            CommandOutcomes outcomes = CommandOutcomes.watch(redis, acme)) {
          TenantUpsert upsert =
              new TenantUpsert(
                  CommandEnvelope.of(UUID.randomUUID(), acme, Instant.now()),
                  new TenantConfig(1_000, Map.of(), 0.8, 64, 0.5, false));
          StreamedEvent outcome = producer.sendAndAwait(upsert, outcomes).get(30, TimeUnit.SECONDS);
          System.out.println(outcome.event().type()); // tenant.updated, or command.rejected
        }

        // A subscriber from where the last one stopped (or the oldest event kept): each event once,
        // in
        // order, on the subscriber's thread, across reconnections; save lastSeen() to resume from
        // it.
        EventListener printer =
            new EventListener() {
              @Override
              public void onEvent(StreamedEvent event) {
                System.out.println(event.streamId().orElseThrow() + " " + event.event());
              }

              @Override
              public void onGap(Gap gap) {
                System.err.println(gap); // events the stream no longer holds: look in PostgreSQL
              }
            };
        StartPosition start = lastSaved.map(StartPosition::after).orElse(StartPosition.oldest());
        EventSubscriber subscriber =
            EventSubscriber.builder(redis, acme).from(start).start(printer);
        // README: end
        opened = subscriber;
        WorkerStack.patiently("the subscriber printed the oldest event")
            .until(() -> printedByTheQuickstart(printed).size() >= 2);
      } finally {
        System.setOut(console);
      }
      opened.close();
      List<String> lines = printedByTheQuickstart(printed);
      assertEquals("tenant.updated", lines.get(0), lines.toString());
      assertTrue(lines.get(1).matches("\\d+-\\d+ Event\\[.*TenantUpdated.*"), lines.toString());
    }
  }

  @Test
  void theReadmeShowsThisCode() throws IOException {
    String source = Files.readString(SOURCE);
    String marked =
        source.substring(
            source.indexOf("// README: begin") + "// README: begin".length(),
            source.indexOf("        // README: end"));
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf(SECTION);
    int block = readme.indexOf("```java\n", section) + "```java\n".length();
    String shown = readme.substring(block, readme.indexOf("```", block));
    assertEquals(normalized(shown), normalized(marked).replace(normalized(TEST_TOPICS), ""));
  }

  /** What the quickstart printed, without the log lines of the worker running beside it. */
  private static List<String> printedByTheQuickstart(ByteArrayOutputStream printed) {
    return printed
        .toString(StandardCharsets.UTF_8)
        .lines()
        .filter(line -> line.startsWith("tenant.") || line.matches("\\d+-\\d+ Event\\[.*"))
        .toList();
  }

  /** The one difference: the test worker's topics instead of the defaults. */
  private static final String TEST_TOPICS =
      ".withTopics(stack.commandsTopic(), stack.adminTopic())";

  /**
   * Without indentation, line breaks, blanks and comment markers: google-java-format wraps the
   * test's more deeply indented comments at other words.
   */
  private static String normalized(String code) {
    return code.replace("//", "").replaceAll("\\s+", "");
  }
}
