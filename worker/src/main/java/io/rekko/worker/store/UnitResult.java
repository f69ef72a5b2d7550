package io.rekko.worker.store;

import io.rekko.worker.support.RekkoException;
import io.rekko.worker.support.Retriable;
import java.util.Objects;
import java.util.Optional;

/** What became of one unit of work in a batch. */
public sealed interface UnitResult {

  /**
   * The unit committed: its effect (or the rejection the store decided), its ledger row and its
   * outbox row. Publish {@code event} now, or leave it to the outbox relay.
   *
   * @param outboxId the outbox row holding {@code event}
   * @param storedEmbedding for a registration that wrote a face, its embedding as the row holds it
   *     (sealed for the row's version), to fill a cache with; empty for every other unit
   */
  record Applied(
      Outcome outcome, PendingEvent event, long outboxId, Optional<byte[]> storedEmbedding)
      implements UnitResult {
    public Applied {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(storedEmbedding, "storedEmbedding");
    }

    /** A unit that stored no embedding. */
    public Applied(Outcome outcome, PendingEvent event, long outboxId) {
      this(outcome, event, outboxId, Optional.empty());
    }
  }

  /**
   * The command had been applied before: this is the stored outcome and event, byte for byte.
   * Nothing changed and no outbox row was written; re-publish {@code event} (its id is the
   * original's, so subscribers can tell it is a repeat).
   */
  record Replayed(Outcome outcome, PendingEvent event) implements UnitResult {
    public Replayed {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * The key holds a newer fence than the one presented: a newer lock holder has written it. Nothing
   * changed, no event, no ledger row. The caller reseeds its token source above {@code storedFence}
   * and, if it still holds the key, retries.
   */
  record StaleFence(long storedFence) implements UnitResult {}

  /**
   * The ledger holds this command id for a command with another record key or type: not a
   * redelivery but a reused id. Nothing was written; the first command's outcome stands.
   *
   * @param storedKey the key the ledger holds the id for
   * @param storedType the command type the ledger holds the id for
   */
  record Reused(String storedKey, String storedType) implements UnitResult {
    public Reused {
      Objects.requireNonNull(storedKey, "storedKey");
      Objects.requireNonNull(storedType, "storedType");
    }
  }

  /**
   * The ledger holds this command id bare: the command was carried out before its tenant was
   * erased, and its outcome went with the tenant. Nothing was written; the command must not be
   * carried out again, and there is no event to re-publish.
   */
  record Erased() implements UnitResult {}

  /**
   * This unit failed and was rolled back alone; the others of the batch are unaffected. Retry it if
   * {@link #isRetriable()}; otherwise the failure is a bug or bad data.
   */
  record Failed(RekkoException cause) implements UnitResult {
    public Failed {
      Objects.requireNonNull(cause, "cause");
    }

    public boolean isRetriable() {
      return Retriable.isRetriable(cause);
    }
  }
}
