package io.rekko.worker.command;

import io.rekko.schema.Command;
import io.rekko.schema.CommandType;
import io.rekko.schema.DecodeError;
import io.rekko.schema.TenantId;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Runs work with the command it is about in the SLF4J MDC ({@code tenant}, {@code command_id},
 * {@code command_type}, printed by the logback pattern), on the calling thread only, and removes
 * them afterwards. Ids and the type, never payload values.
 */
final class CommandContext {
  static final String TENANT = "tenant";
  static final String COMMAND_ID = "command_id";
  static final String COMMAND_TYPE = "command_type";

  private CommandContext() {}

  static <T> T within(Command command, Supplier<T> work) {
    return within(
        command.tenantId().value(),
        command.commandId().toString(),
        command.type().wireName(),
        work);
  }

  /** With whatever a dead letter's envelope let the codec read. */
  static <T> T within(DecodeError error, Supplier<T> work) {
    return within(
        error.tenantId().map(TenantId::value).orElse(null),
        error.commandId().map(UUID::toString).orElse(null),
        error.commandType().map(CommandType::wireName).orElse(null),
        work);
  }

  private static <T> T within(
      String tenant, String commandId, String commandType, Supplier<T> work) {
    putIfPresent(TENANT, tenant);
    putIfPresent(COMMAND_ID, commandId);
    putIfPresent(COMMAND_TYPE, commandType);
    try {
      return work.get();
    } finally {
      MDC.remove(TENANT);
      MDC.remove(COMMAND_ID);
      MDC.remove(COMMAND_TYPE);
    }
  }

  private static void putIfPresent(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
