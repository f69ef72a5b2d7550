package io.rekko.client;

import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.DecodeResult;
import io.rekko.schema.StreamedEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends the contract's commands to the worker: face commands to the commands topic keyed {@code
 * <tenant_id>/<external_id>}, tenant, API-key and erase commands to the admin topic keyed {@code
 * <tenant_id>} ({@link CommandRoute}), through an idempotent Kafka producer ({@code
 * enable.idempotence=true}, {@code acks=all}).
 *
 * <p>A send's future completes with the command id once Kafka has acknowledged the record, or fails
 * with Kafka's exception (brokers unreachable within {@link ProducerSettings#deliveryTimeout()},
 * not authorised, ...). Acknowledged means written, not carried out: the outcome is the tenant's
 * event for that command id. To retry a command whose send failed, send the same command again (the
 * same command id): the worker gives a redelivered command the outcome of the first.
 *
 * <p>Thread-safe; share one per process. Records of one key are sent in the order of the sends.
 */
public final class CommandProducer implements AutoCloseable {
  private final ProducerSettings settings;
  private final CommandCodec codec;
  private final Producer<String, byte[]> producer;

  CommandProducer(
      ProducerSettings settings, CommandCodec codec, Producer<String, byte[]> producer) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.producer = Objects.requireNonNull(producer, "producer");
  }

  /** A producer on the brokers of {@code settings}, validating with the contract's limits. */
  public static CommandProducer open(ProducerSettings settings) {
    return open(settings, CommandCodec.withDefaults());
  }

  /**
   * A producer validating encoded commands with {@code codec} (for a worker configured with other
   * {@link io.rekko.schema.DecodeLimits} than the contract's).
   */
  public static CommandProducer open(ProducerSettings settings, CommandCodec codec) {
    Map<String, Object> properties = new HashMap<>(settings.producerProperties());
    return new CommandProducer(settings, codec, new KafkaProducer<>(properties));
  }

  public ProducerSettings settings() {
    return settings;
  }

  /** Where {@code command} goes. */
  public CommandRoute routeOf(Command command) {
    return CommandRoute.of(command, settings);
  }

  /** Encodes {@code command} and sends it; the future gives its command id once acknowledged. */
  public CompletableFuture<UUID> send(Command command) {
    return sendEncoded(command, codec.encode(command));
  }

  /**
   * Sends {@code command} and then waits for its outcome among {@code outcomes}, which must watch
   * the command's tenant and have been opened before: the future gives the command's success event
   * or its {@code command.rejected}.
   */
  public CompletableFuture<StreamedEvent> sendAndAwait(Command command, CommandOutcomes outcomes) {
    if (!command.tenantId().equals(outcomes.tenant())) {
      throw new IllegalArgumentException(
          "outcomes watch tenant "
              + outcomes.tenant().value()
              + ", the command is for "
              + command.tenantId().value());
    }
    return send(command).thenCompose(outcomes::of);
  }

  /**
   * Sends an already-encoded command (UTF-8 JSON, {@code rekko.command.v1}) exactly as given, once
   * the codec has found it valid, to the topic and under the key its content implies.
   *
   * @throws InvalidCommandException when it does not validate; nothing is sent
   */
  public CompletableFuture<UUID> sendJson(byte[] json) {
    return sendEncoded(validate(json), json);
  }

  /**
   * The command {@code json} holds.
   *
   * @throws InvalidCommandException when it does not validate, naming the field and the rule
   */
  public Command validate(byte[] json) {
    return switch (codec.decodeUnkeyed(json)) {
      case DecodeResult.Decoded decoded -> decoded.command();
      case DecodeResult.Invalid invalid -> throw new InvalidCommandException(invalid.error());
    };
  }

  /** Waits until every record sent so far is acknowledged or has failed. */
  public void flush() {
    producer.flush();
  }

  private CompletableFuture<UUID> sendEncoded(Command command, byte[] value) {
    CommandRoute route = routeOf(command);
    UUID commandId = command.commandId();
    CompletableFuture<UUID> acknowledged = new CompletableFuture<>();
    try {
      producer.send(
          new ProducerRecord<>(route.topic(), route.key(), value),
          (metadata, failure) -> {
            if (failure == null) {
              acknowledged.complete(commandId);
            } else {
              acknowledged.completeExceptionally(failure);
            }
          });
    } catch (RuntimeException e) {
      // send throws, rather than calling back, when it cannot even queue the record (metadata not
      // had within max.block.ms, the producer closed, ...).
      acknowledged.completeExceptionally(e);
    }
    return acknowledged;
  }

  /** Sends what is queued, waiting at most the delivery timeout, then closes the producer. */
  @Override
  public void close() {
    close(settings.deliveryTimeout());
  }

  /** Closes within {@code timeout}; records not acknowledged by then fail. */
  public void close(Duration timeout) {
    producer.close(timeout);
  }
}
