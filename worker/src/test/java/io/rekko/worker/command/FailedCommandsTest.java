package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.CommandType;
import io.rekko.schema.DecodeResult;
import io.rekko.schema.Event;
import io.rekko.schema.EventIds;
import io.rekko.schema.EventType;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantUpsert;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailedCommandsTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void aCommandThatDecodesIsRejectedProcessingFailedWithItsTypeAndFace() {
    FaceRegister register = Commands.register("acme", "alice-01", 1);

    Event event =
        FailedCommands.rejection(decode(register.recordKey(), encoded(register)), NOW)
            .orElseThrow();

    assertEquals(register.tenantId(), event.tenantId());
    assertEquals(register.commandId(), event.commandId());
    assertEquals(NOW, event.occurredAt());
    assertEquals(EventIds.of(register.commandId(), EventType.COMMAND_REJECTED), event.eventId());
    CommandRejected rejected = assertInstanceOf(CommandRejected.class, event.payload());
    assertEquals(RejectionReason.PROCESSING_FAILED, rejected.reason());
    assertEquals(Optional.of(CommandType.FACE_REGISTER), rejected.commandType());
    assertEquals(Optional.of(register.externalId()), rejected.externalId());
    assertTrue(rejected.retryAfterMs().isEmpty());
    assertTrue(rejected.message().startsWith("face.register could not be carried out"));
  }

  @Test
  void anAdminCommandIsRejectedWithoutAFace() {
    TenantUpsert upsert = Commands.upsert("acme", Commands.config(10));

    Event event =
        FailedCommands.rejection(decode(upsert.recordKey(), encoded(upsert)), NOW).orElseThrow();

    CommandRejected rejected = (CommandRejected) event.payload();
    assertEquals(Optional.of(CommandType.TENANT_UPSERT), rejected.commandType());
    assertEquals(Optional.empty(), rejected.externalId());
  }

  @Test
  void aMessageThatNoLongerDecodesIsRejectedWhenItsTenantAndIdAreReadable() {
    FaceRegister register = Commands.register("acme", "alice-01", 1);
    byte[] broken =
        new String(encoded(register), StandardCharsets.UTF_8)
            .replace("\"quality_score\":0.9", "\"quality_score\":7")
            .getBytes(StandardCharsets.UTF_8);

    Event event = FailedCommands.rejection(decode(register.recordKey(), broken), NOW).orElseThrow();

    assertEquals(register.commandId(), event.commandId());
    CommandRejected rejected = (CommandRejected) event.payload();
    assertEquals(RejectionReason.PROCESSING_FAILED, rejected.reason());
    assertEquals(Optional.of(CommandType.FACE_REGISTER), rejected.commandType());
  }

  @Test
  void aMessageWithoutAReadableTenantAndIdHasNoOneToTell() {
    DecodeResult unreadable = decode("acme", "not json".getBytes(StandardCharsets.UTF_8));

    assertEquals(Optional.empty(), FailedCommands.rejection(unreadable, NOW));
  }

  @Test
  void theMessageNamesTheTypeAndNeverTheFailure() {
    String message = FailedCommands.message(Optional.of(CommandType.FACE_VERIFY));

    assertTrue(message.startsWith("face.verify "), message);
    assertTrue(message.contains("sent again"), message);
    assertFalse(FailedCommands.message(Optional.empty()).contains("null"));
  }

  private static byte[] encoded(Command command) {
    return Commands.CODEC.encode(command);
  }

  private static DecodeResult decode(String key, byte[] value) {
    return Commands.CODEC.decode(key, value);
  }
}
