package io.rekko.worker.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * The answer to a request for a per-face lock: a value, so the caller must decide what each case
 * means and nothing is dropped silently.
 */
public sealed interface LockAttempt {

  /** The lock is held, renewed in the background until released; carries its fencing token. */
  record Granted(FencedLock lock) implements LockAttempt {
    public Granted {
      Objects.requireNonNull(lock, "lock");
    }
  }

  /**
   * Another holder kept the lock for the whole wait. The command is not dropped: the caller hands
   * it back to the engine to retry later.
   */
  record Busy(Duration waited) implements LockAttempt {
    public Busy {
      Objects.requireNonNull(waited, "waited");
    }
  }

  /**
   * Redis could not be asked. The caller takes the PostgreSQL advisory lock instead; the store's
   * fence check keeps the two kinds of lock from overlapping unsafely.
   */
  record Unavailable(String reason) implements LockAttempt {
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
