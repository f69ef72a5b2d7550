package io.rekko.worker.engine;

import io.rekko.worker.support.Retriable;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the engine tells the layer that knows what records mean before it writes a dead letter of
 * its own deciding: a record whose unexpected failures used up its attempts ({@value
 * HandlerResult.DeadLetter#HANDLER_FAILED}). Every other dead letter is the handler's own answer,
 * which had its say when it gave it; this one the handler never saw coming, so the hook is its one
 * chance to answer for the record (the worker tells the command's tenant).
 *
 * <p>Called on a handler thread, where it may block on I/O, before each attempt to write that dead
 * letter (a retried write, or the stub that replaces a refused dead letter, calls it again): it
 * must be thread-safe and idempotent. A {@link Retriable} failure (a store away) holds the dead
 * letter back: its write is tried again later with backoff, as a failed write is. Any other failure
 * is a bug of the hook, logged, and the dead letter is written anyway: a record the hook cannot
 * answer for must not hold its partition forever.
 */
@FunctionalInterface
public interface DeadLetterHook {

  /**
   * The engine is about to dead-letter {@code record} with {@code deadLetter}, whose code is
   * {@value HandlerResult.DeadLetter#HANDLER_FAILED}.
   */
  void givingUp(ConsumerRecord<byte[], byte[]> record, HandlerResult.DeadLetter deadLetter);

  /** Does nothing: for records no one needs to hear about. */
  static DeadLetterHook none() {
    return (record, deadLetter) -> {};
  }
}
