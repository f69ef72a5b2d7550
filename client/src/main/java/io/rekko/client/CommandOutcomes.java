package io.rekko.client;

import io.rekko.schema.StreamedEvent;
import io.rekko.schema.TenantId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outcomes of one tenant's commands as they are published: for each command, its success event
 * or its {@code command.rejected}. Open it before sending, then ask for a command's outcome by its
 * id; an outcome that arrives before it is asked for is kept (the latest {@value #KEPT}).
 *
 * <p>It is an {@link EventSubscriber} started at the live end of the tenant's stream, so an outcome
 * published while it reconnects is replayed, not lost. A command that ends in a dead letter has an
 * outcome only when its tenant and command id could be read ({@code command.rejected} with {@code
 * invalid_command} or {@code processing_failed}); wait with a timeout.
 */
public final class CommandOutcomes implements AutoCloseable {
  static final int KEPT = 10_000;

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<UUID, CompletableFuture<StreamedEvent>> outcomes =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, CompletableFuture<StreamedEvent>> e) {
          return size() > KEPT && e.getValue().isDone();
        }
      };
  private final EventSubscriber subscriber;

  private CommandOutcomes(EventSubscriber.Builder builder) {
    this.subscriber =
        builder
            .from(StartPosition.live())
            .start(
                new EventListener() {
                  @Override
                  public void onEvent(StreamedEvent event) {
                    outcome(event.event().commandId()).complete(event);
                  }
                });
  }

  /**
   * Watches {@code tenant}'s outcomes from now on.
   *
   * @throws io.lettuce.core.RedisException when Redis cannot be reached
   */
  public static CommandOutcomes watch(RedisEndpoint redis, TenantId tenant) {
    return watch(EventSubscriber.builder(redis, tenant));
  }

  /** Watches with a subscriber built as {@code builder} says (its start position is ignored). */
  public static CommandOutcomes watch(EventSubscriber.Builder builder) {
    return new CommandOutcomes(Objects.requireNonNull(builder, "builder"));
  }

  /** The tenant whose outcomes these are. */
  public TenantId tenant() {
    return subscriber.tenant();
  }

  /** Completes with the outcome of command {@code commandId} once it is published. */
  public CompletableFuture<StreamedEvent> of(UUID commandId) {
    return outcome(Objects.requireNonNull(commandId, "commandId"));
  }

  /**
   * The outcome of command {@code commandId}, waiting up to {@code timeout} for it.
   *
   * @throws TimeoutException when none was published meanwhile
   * @throws InterruptedException when interrupted while waiting
   */
  public StreamedEvent await(UUID commandId, Duration timeout)
      throws TimeoutException, InterruptedException {
    try {
      return of(commandId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("an outcome future never fails", e);
    }
  }

  private CompletableFuture<StreamedEvent> outcome(UUID commandId) {
    lock.lock();
    try {
      return outcomes.computeIfAbsent(commandId, id -> new CompletableFuture<>());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    subscriber.close();
  }
}
