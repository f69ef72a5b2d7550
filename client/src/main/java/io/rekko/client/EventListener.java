package io.rekko.client;

import io.rekko.schema.StreamedEvent;

/**
 * What an {@link EventSubscriber} tells its user, from one thread, in stream order.
 *
 * <p>An exception thrown by a method is reported to {@link #onError} and does not stop the
 * subscriber; the event counts as delivered.
 */
public interface EventListener {

  /** The next event of the tenant, each {@code event_id} once. */
  void onEvent(StreamedEvent event);

  /** Events were missed and cannot be replayed; the subscriber goes on after them. */
  default void onGap(Gap gap) {}

  /**
   * Something went wrong that the subscriber works around: Redis unreachable (it keeps trying), a
   * message that is not an event (skipped), or this listener throwing.
   */
  default void onError(String what, Throwable cause) {}
}
