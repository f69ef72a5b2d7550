package io.rekko.worker.engine;

import io.rekko.worker.support.Retriable;
import java.util.Objects;

/** The handler's answer for one record. */
public sealed interface HandlerResult {

  /** The shared {@link Done} answer. */
  static HandlerResult done() {
    return Done.INSTANCE;
  }

  /** The record is finished; its offset may be committed. */
  record Done() implements HandlerResult {
    private static final Done INSTANCE = new Done();
  }

  /**
   * {@link Retry} of a record that must never be given up on: whatever its cause, it is retried
   * with backoff until the handler answers otherwise, never dead-lettered for its failures.
   */
  static HandlerResult retryUntilDone(Throwable cause) {
    return new Retry(cause, true);
  }

  /**
   * The record could not be handled now; try it again later, holding back its key's later records
   * meanwhile.
   *
   * <p>A {@link Retriable} cause (anywhere in its chain) is an infrastructure failure: the record
   * is retried with backoff, without limit, and the engine reports itself degraded until it
   * succeeds. Any other cause is unexpected: the record is retried up to {@code maxAttempts}
   * attempts, then dead-lettered with code {@value DeadLetter#HANDLER_FAILED} — unless {@code
   * untilDone}.
   *
   * @param untilDone the record must take effect, so it is never dead-lettered for a failure, only
   *     retried, however often it fails. Once a record was answered so, the engine keeps to it for
   *     that record, even after an answer that could not say so (a batch the handler threw for).
   *     While such a record waits to retry after a failure, {@link
   *     io.rekko.worker.engine.Engine#retryingUntilDone()} counts it.
   */
  record Retry(Throwable cause, boolean untilDone) implements HandlerResult {
    public Retry {
      Objects.requireNonNull(cause, "cause");
    }

    /** A retry within the configured attempts. */
    public Retry(Throwable cause) {
      this(cause, false);
    }
  }

  /**
   * The record can never be handled: write it to the dead-letter topic with these error headers
   * (see {@code io.rekko.schema.DeadLetterHeaders}), then move on.
   *
   * @param code a short snake_case error code, e.g. {@code invalid_json}
   * @param field the path of the offending field, or empty
   * @param rule the rule the field broke, or empty
   * @param message a human-readable message; it must not echo the payload
   */
  record DeadLetter(String code, String field, String rule, String message)
      implements HandlerResult {
    /** The code the engine uses for a record whose unexpected failures exhausted its attempts. */
    public static final String HANDLER_FAILED = "handler_failed";

    public DeadLetter {
      Objects.requireNonNull(code, "code");
      if (code.isBlank()) {
        throw new IllegalArgumentException("dead letter code must not be blank");
      }
      field = field == null ? "" : field;
      rule = rule == null ? "" : rule;
      message = message == null ? "" : message;
    }
  }
}
