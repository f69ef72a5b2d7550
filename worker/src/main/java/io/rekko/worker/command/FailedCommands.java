package io.rekko.worker.command;

import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.CommandType;
import io.rekko.schema.DecodeError;
import io.rekko.schema.DecodeResult;
import io.rekko.schema.Event;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantId;
import io.rekko.worker.engine.DeadLetterHook;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.outbox.OutboxRelay;
import io.rekko.worker.store.PendingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's {@link DeadLetterHook}: every dead letter answers the tenant. A command the engine
 * gives up on after its attempts ({@value HandlerResult.DeadLetter#HANDLER_FAILED}) is answered
 * {@code command.rejected} ({@code processing_failed}) on its tenant's channel, when its tenant and
 * command id are readable, so the client is not left waiting for an outcome that never comes.
 *
 * <ul>
 *   <li>The rejection goes through the outbox ({@link OutboxRelay#publishStored}), so it survives a
 *       Redis outage; when the outbox cannot be written, the hook throws the store's retriable
 *       failure and the engine holds the dead letter back until it can.
 *   <li>It is <b>not ledgered</b>: the command took no effect and its id stays free, so the dead
 *       letter, sent again once the cause is fixed, is carried out like any command. Its event id
 *       is the one any {@code command.rejected} of that command has ({@code Event.of}): a rejection
 *       the command meets when sent again is ledgered, but its outbox row is the one already
 *       written (the store keeps one row per event id), and subscribers, who drop an event id they
 *       have seen, keep {@code processing_failed}. A success event has an id of its own.
 *   <li>Written again for each attempt at the dead letter (one outbox row per event id: a repeat
 *       writes nothing). Its message names the command type, never a value of the command.
 * </ul>
 */
final class FailedCommands implements DeadLetterHook {
  private static final Logger log = LoggerFactory.getLogger(FailedCommands.class);

  private final CommandCodec codec;
  private final OutboxRelay relay;
  private final Events events;
  private final CommandMetrics metrics;
  private final Clock clock;

  FailedCommands(
      CommandCodec codec, OutboxRelay relay, Events events, CommandMetrics metrics, Clock clock) {
    this.codec = codec;
    this.relay = relay;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * @throws io.rekko.worker.store.StoreUnavailableException when the outbox cannot be written; the
   *     engine then writes the dead letter later
   */
  @Override
  public void givingUp(ConsumerRecord<byte[], byte[]> record, HandlerResult.DeadLetter deadLetter) {
    if (!deadLetter.code().equals(HandlerResult.DeadLetter.HANDLER_FAILED)) {
      return;
    }
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    Optional<Event> rejection = rejection(codec.decode(key, record.value()), clock.instant());
    if (rejection.isEmpty()) {
      log.info("dead letter ({}): no tenant and command id to tell", deadLetter.code());
      return;
    }
    Event event = rejection.get();
    PendingEvent pending = events.pending(event);
    relay.publishStored(event.tenantId(), pending);
    CommandRejected payload = (CommandRejected) event.payload();
    metrics.deadLetter(payload.commandType());
    log.info(
        "dead letter ({}): tenant {} told command {} failed",
        deadLetter.code(),
        event.tenantId(),
        event.commandId());
  }

  /**
   * The {@code processing_failed} rejection of a record that decodes, or that does not but whose
   * tenant and command id were readable; empty for any other.
   */
  static Optional<Event> rejection(DecodeResult decoded, Instant now) {
    return switch (decoded) {
      case DecodeResult.Decoded ok -> Optional.of(rejection(ok.command(), now));
      case DecodeResult.Invalid invalid -> rejection(invalid.error(), now);
    };
  }

  private static Event rejection(Command command, Instant now) {
    return Events.event(
        command,
        now,
        new CommandRejected(
            Optional.of(command.type()),
            RejectionReason.PROCESSING_FAILED,
            message(Optional.of(command.type())),
            Events.externalId(command),
            OptionalLong.empty()));
  }

  private static Optional<Event> rejection(DecodeError error, Instant now) {
    if (error.tenantId().isEmpty() || error.commandId().isEmpty()) {
      return Optional.empty();
    }
    TenantId tenant = error.tenantId().get();
    UUID commandId = error.commandId().get();
    CommandRejected payload =
        new CommandRejected(
            error.commandType(),
            RejectionReason.PROCESSING_FAILED,
            message(error.commandType()),
            Optional.empty(),
            OptionalLong.empty());
    return Optional.of(Event.of(tenant, commandId, now, payload));
  }

  /** What the client reads: what happened and what can be done, never the failure's details. */
  static String message(Optional<CommandType> type) {
    return type.map(CommandType::wireName).orElse("the command")
        + " could not be carried out: its processing failed until its attempts ran out and it went"
        + " to the dead-letter topic, from which it can be sent again once the cause is fixed";
  }
}
