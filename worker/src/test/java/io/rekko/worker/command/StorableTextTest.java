package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.DecodeError;
import io.rekko.schema.DecodeErrorCode;
import io.rekko.schema.DecodeResult;
import io.rekko.schema.Embedding;
import io.rekko.schema.Event;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantSuspend;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StorableTextTest {
  private static final CommandCodec CODEC = CommandCodec.withDefaults();
  private static final TenantId TENANT = TenantId.of("acme");

  @Test
  void aRegistrationWhoseMetadataValueHoldsNulIsInvalidAndItsTenantIsTold() {
    FaceRegister register = register(Map.of("camera", "lobby\u00002"));

    DecodeError error = invalid(register);

    assertEquals(DecodeErrorCode.INVALID_FIELD, error.code());
    assertEquals("payload.metadata.camera", error.field());
    assertEquals("noNulCharacter", error.rule());
    Event rejection = error.rejection(Instant.now()).orElseThrow();
    assertEquals(register.commandId(), rejection.commandId());
    assertEquals(
        RejectionReason.INVALID_COMMAND,
        assertInstanceOf(CommandRejected.class, rejection.payload()).reason());
  }

  @Test
  void aMetadataKeyHoldingNulIsReportedAtItsOwnEscapedPath() {
    DecodeError error = invalid(register(Map.of("cam\u0000era", "lobby")));

    assertEquals("payload.metadata[\"cam\\u0000era\"]", error.field());
    assertEquals("noNulCharacter", error.rule());
  }

  @Test
  void aSuspensionWhoseReasonHoldsNulIsInvalid() {
    TenantSuspend suspend = new TenantSuspend(envelope(), "unpaid\u0000");

    DecodeError error = invalid(suspend);

    assertEquals("payload.reason", error.field());
    assertEquals(suspend.commandId(), error.commandId().orElseThrow());
  }

  @Test
  void metadataOfAnyOtherCharactersPassesAsDecoded() {
    DecodeResult decoded =
        decode(register(Map.of("rekko:other:*", "{}\r\n\u202E\uD83D\uDE00", "k", "")));

    assertSame(decoded, StorableText.check(decoded));
  }

  private static DecodeError invalid(io.rekko.schema.Command command) {
    DecodeResult checked = StorableText.check(decode(command));
    return assertInstanceOf(DecodeResult.Invalid.class, checked).error();
  }

  private static DecodeResult decode(io.rekko.schema.Command command) {
    DecodeResult decoded = CODEC.decode(command.recordKey(), CODEC.encode(command));
    assertInstanceOf(DecodeResult.Decoded.class, decoded, "the codec accepts it");
    return decoded;
  }

  private static FaceRegister register(Map<String, String> metadata) {
    float[] values = new float[64];
    Arrays.fill(values, 0.125f);
    return new FaceRegister(
        envelope(), ExternalId.of("alice"), Embedding.of(values), 0.9, true, metadata, false);
  }

  private static CommandEnvelope envelope() {
    return CommandEnvelope.of(UUID.randomUUID(), TENANT, Instant.now());
  }
}
