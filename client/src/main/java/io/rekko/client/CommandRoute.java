package io.rekko.client;

import io.rekko.schema.Command;
import java.util.Objects;

/**
 * Where a command goes: its topic and its record key. The worker checks both, and a command sent to
 * the other topic ({@code wrong_topic}) or under another key ({@code key_mismatch}) is a dead
 * letter, never carried out.
 *
 * @param topic the commands topic for face commands, the admin topic for the others
 * @param key {@code <tenant_id>/<external_id>} for face commands, {@code <tenant_id>} for the
 *     others ({@link Command#recordKey()})
 */
public record CommandRoute(String topic, String key) {

  public CommandRoute {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(key, "key");
  }

  /** The route of {@code command} to the topics of {@code settings}. */
  public static CommandRoute of(Command command, ProducerSettings settings) {
    String topic = command.type().isAdmin() ? settings.adminTopic() : settings.commandsTopic();
    return new CommandRoute(topic, command.recordKey());
  }
}
