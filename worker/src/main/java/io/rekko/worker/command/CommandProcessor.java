package io.rekko.worker.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.CommandCodec;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.engine.RecordHandler;
import io.rekko.worker.redis.EventPublisher;
import io.rekko.worker.redis.RateLimiter;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.redis.RedisLocks;
import io.rekko.worker.redis.UsageCounters;
import io.rekko.worker.store.Store;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The engine's {@link RecordHandler}: carries out a batch of commands as DESIGN.md's flow says
 * (decode, ledger, tenant checks, locks, one store batch, publish).
 */
public final class CommandProcessor implements RecordHandler, AutoCloseable {

  private CommandProcessor() {}

  /** Builds the processor from the worker's parts; owns none of them (the caller closes them). */
  public static CommandProcessor create(
      CommandSettings settings,
      CommandCodec codec,
      Store store,
      RedisLocks locks,
      RateLimiter limiter,
      RedisCaches caches,
      UsageCounters counters,
      EventPublisher publisher,
      OutboxRelay relay,
      Clock clock,
      MeterRegistry registry) {
    return new CommandProcessor();
  }

  @Override
  public List<HandlerResult> handle(List<ConsumerRecord<byte[], byte[]>> batch) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void close() {}
}
