package io.rekko.worker.command;

import io.rekko.schema.Command;
import io.rekko.schema.RejectionReason;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.outbox.OutboxRelay;
import io.rekko.worker.store.UnitResult;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a command whose id the ledger holds for a command with another record key or type: not a
 * redelivery (its stored outcome is not the answer) but a producer's mistake. The first command's
 * outcome stands; this one is a dead letter ({@value #CODE}), and its tenant hears {@code
 * command.rejected} with the same reason, through the outbox, so it survives a Redis outage.
 */
final class ReusedIds {
  private static final Logger log = LoggerFactory.getLogger(ReusedIds.class);

  /** The dead-letter code, the rejection reason's wire name. */
  static final String CODE = RejectionReason.COMMAND_ID_REUSED.wireName();

  private final OutboxRelay relay;
  private final Events events;
  private final CommandMetrics metrics;

  ReusedIds(OutboxRelay relay, Events events, CommandMetrics metrics) {
    this.relay = relay;
    this.events = events;
    this.metrics = metrics;
  }

  /**
   * The dead letter for {@code command}, once its rejection is in the outbox.
   *
   * @throws io.rekko.worker.store.StoreUnavailableException when the outbox cannot be written; the
   *     caller retries
   */
  HandlerResult deadLetter(Command command, UnitResult.Reused reused, Instant now) {
    String message =
        "command id "
            + command.commandId()
            + " was used before by a "
            + reused.storedType()
            + " command with key "
            + reused.storedKey()
            + "; that command's outcome stands. Give every command a new command id";
    relay.publishStored(
        command.tenantId(),
        events.rejection(command, Refusal.of(RejectionReason.COMMAND_ID_REUSED, message), now));
    metrics.deadLetter(Optional.of(command.type()));
    log.info("dead letter: {}", message);
    return new HandlerResult.DeadLetter(CODE, "command_id", "unique", message);
  }
}
