package io.rekko.worker.redis;

import java.time.Duration;

/**
 * The tenant event streams ({@link io.rekko.schema.Topics#eventStream}) that let a subscriber
 * replay what it missed: how many entries each keeps and how long it lives after its last append.
 *
 * @param maxLength the entries a stream keeps, about: appends trim with {@code MAXLEN ~}, which
 *     removes whole nodes of entries and so may keep a few more
 * @param ttl how long a stream lives after its last append (renewed by every append)
 */
public record EventStreamSettings(long maxLength, Duration ttl) {

  /** About 10,000 events per tenant, for 24 hours after the last. */
  public static final EventStreamSettings DEFAULTS =
      new EventStreamSettings(10_000, Duration.ofHours(24));

  public EventStreamSettings {
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength must be at least 1, was " + maxLength);
    }
    RedisTtls.requireMillis(ttl, "ttl");
  }
}
