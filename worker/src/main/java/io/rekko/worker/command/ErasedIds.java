package io.rekko.worker.command;

import io.rekko.schema.Command;
import io.rekko.schema.RejectionReason;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.outbox.OutboxRelay;
import io.rekko.worker.store.UnitOfWork;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a command whose id the ledger holds bare: it was carried out before its tenant was
 * erased, and its outcome went with the tenant. It is not carried out again (the bare id is there
 * for that), and since its first event cannot be repeated the tenant hears {@code command.rejected}
 * ({@code tenant_erased}) instead, published directly like a replay and not stored: the erased
 * tenant gets no new ledger row for it.
 */
final class ErasedIds {
  private static final Logger log = LoggerFactory.getLogger(ErasedIds.class);

  private final OutboxRelay relay;
  private final Events events;
  private final CommandMetrics metrics;

  ErasedIds(OutboxRelay relay, Events events, CommandMetrics metrics) {
    this.relay = relay;
    this.events = events;
    this.metrics = metrics;
  }

  /**
   * Publishes the rejection (into the outbox when Redis cannot take it) and answers {@code Done}.
   *
   * @throws io.rekko.worker.store.StoreUnavailableException when neither Redis nor the outbox can
   *     take it; the caller retries
   */
  HandlerResult answer(Command command, Instant now) {
    Refusal refusal = Refusal.of(RejectionReason.TENANT_ERASED, Messages.outcomeErased(command));
    relay.publishOrStore(
        command.tenantId(), UnitOfWork.keyOf(command), events.rejection(command, refusal, now));
    metrics.rejected(command.type(), RejectionReason.TENANT_ERASED);
    log.info("carried out before its tenant was erased: refused as tenant_erased");
    return HandlerResult.done();
  }
}
