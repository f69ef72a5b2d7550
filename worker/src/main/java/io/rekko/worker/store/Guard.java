package io.rekko.worker.store;

/**
 * How a unit of work proves it may write its key: a fencing token from the Redis lock, or, when
 * Redis is unreachable, a PostgreSQL advisory lock taken inside the transaction.
 *
 * <p>Either way the unit first locks its key's row in {@code fences}, so writes to one key are
 * serialized inside PostgreSQL whatever happened to the Redis lock.
 */
public sealed interface Guard {

  /** Presents {@code token}, issued with the caller's Redis lock. */
  static Guard fence(long token) {
    return new Fence(token);
  }

  /** Takes {@code pg_advisory_xact_lock} on the key, for when Redis cannot issue a token. */
  static Guard advisoryLock() {
    return AdvisoryLock.INSTANCE;
  }

  /** No lock: only for {@link UnitOfWork.Reject}, which has no effect to guard. */
  static Guard none() {
    return None.INSTANCE;
  }

  /**
   * A fencing token. The write is refused if the stored fence is greater; an equal fence is
   * accepted, because one lock holder presents the same token for every command it applies to the
   * key while it holds the lock, and again when it retries one. Two holders never share a token, so
   * equality can only mean the same holder.
   *
   * @param token from the lock's monotonic token source; not negative
   */
  record Fence(long token) implements Guard {
    public Fence {
      if (token < 0) {
        throw new IllegalArgumentException("fence token must not be negative, was " + token);
      }
    }
  }

  /**
   * The fallback when Redis is unreachable: the unit takes a transaction-scoped advisory lock on
   * its key (held until commit), then advances the stored fence by one. Advancing it refuses, from
   * then on, any Redis lock holder whose token is not newer than everything this store has seen for
   * the key; a holder whose token never reached the store cannot be known, which is why the ledger,
   * not the fence alone, is what keeps a late duplicate from applying twice.
   */
  enum AdvisoryLock implements Guard {
    INSTANCE
  }

  /**
   * The guard of a {@link UnitOfWork.Reject}: it changes nothing but the ledger and the outbox, so
   * there is no effect for a stale lock holder to overwrite, and two copies of the same command are
   * serialized by the ledger's primary key (the second waits for the first and replays its row).
   * Effect units refuse it.
   */
  enum None implements Guard {
    INSTANCE
  }
}
