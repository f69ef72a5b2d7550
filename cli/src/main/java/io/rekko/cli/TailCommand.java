package io.rekko.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rekko.client.EventListener;
import io.rekko.client.EventSubscriber;
import io.rekko.client.Gap;
import io.rekko.client.StartPosition;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.StreamId;
import io.rekko.schema.StreamedEvent;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine;

/**
 * {@code rekko tail <tenant>}: the tenant's events as they are published, or from an entry of its
 * event stream on, each once and in order ({@link EventSubscriber}); gaps that cannot be replayed
 * are said on stderr.
 */
@CommandLine.Command(
    name = "tail",
    description = {
      "Print a tenant's events as they are published (Ctrl-C stops), each once and in order:"
          + " what was missed while disconnected is replayed from the tenant's event stream.",
      "Pretty: <stream id>  <occurred at>  <type>  <payload>  command <command id>;"
          + " --json: each event as published. Events that can no longer be replayed are said"
          + " on stderr."
    })
final class TailCommand extends Action {
  private static final EventCodec CODEC = EventCodec.withDefaults();

  @CommandLine.Mixin ConnectionOptions connection;

  @CommandLine.Parameters(index = "0", paramLabel = "TENANT", description = "The tenant id.")
  String tenant;

  @CommandLine.Option(
      names = "--from",
      paramLabel = "ENTRY",
      description =
          "Start after this entry of the stream (a stream_id, e.g. 1767268801500-0), or at the"
              + " 'oldest' it still holds; default: only events published from now on.")
  String from;

  @CommandLine.Option(
      names = "--json",
      description = "Print each event as its JSON, stream_id and prev_stream_id included.")
  boolean json;

  @CommandLine.Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
  Integer count;

  /** What the subscriber hands the printing thread. */
  private sealed interface Line {
    record Heard(StreamedEvent event) implements Line {}

    record Lost(Gap gap) implements Line {}

    record Trouble(String what) implements Line {}
  }

  @Override
  void run() throws InterruptedException {
    TenantId id = TenantId.of(tenant);
    StartPosition start = start();
    if (count != null && count < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1");
    }
    BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
    EventListener listener =
        new EventListener() {
          @Override
          public void onEvent(StreamedEvent event) {
            lines.add(new Line.Heard(event));
          }

          @Override
          public void onGap(Gap gap) {
            lines.add(new Line.Lost(gap));
          }

          @Override
          public void onError(String what, Throwable cause) {
            lines.add(new Line.Trouble(what + ": " + cause.getMessage()));
          }
        };
    try (EventSubscriber subscriber =
        EventSubscriber.builder(connection.redisEndpoint(), id)
            .from(start)
            .commandTimeout(connection.timeout)
            .start(listener)) {
      err()
          .println(
              "tail "
                  + id.value()
                  + ": "
                  + subscriber
                      .lastSeen()
                      .map(last -> "after entry " + last)
                      .orElse("from the start")
                  + " of "
                  + Topics.eventStream(id));
      err().flush();
      int printed = 0;
      while (count == null || printed < count) {
        switch (lines.take()) {
          case Line.Heard heard -> {
            out().println(json ? asJson(heard.event()) : pretty(heard.event()));
            out().flush();
            printed++;
          }
          case Line.Lost lost -> {
            err().println("gap: " + lost.gap());
            err().flush();
          }
          case Line.Trouble trouble -> {
            err().println("warning: " + trouble.what());
            err().flush();
          }
        }
      }
    }
  }

  private StartPosition start() {
    if (from == null) {
      return StartPosition.live();
    }
    if (from.equals("oldest")) {
      return StartPosition.oldest();
    }
    if (!StreamId.isValid(from)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--from must be a stream entry id (<milliseconds>-<sequence>) or 'oldest', was '"
              + from
              + "'");
    }
    return StartPosition.after(StreamId.parse(from));
  }

  private static String asJson(StreamedEvent event) {
    return new String(CODEC.encode(event), StandardCharsets.UTF_8);
  }

  private static String pretty(StreamedEvent streamed) {
    Event event = streamed.event();
    ObjectNode whole = JsonTrees.parseObject(CODEC.encode(event));
    return streamed.streamId().map(StreamId::toString).orElse("-")
        + "  "
        + event.occurredAt()
        + "  "
        + event.type().wireName()
        + "  "
        + whole.get("payload")
        + "  command "
        + event.commandId();
  }
}
