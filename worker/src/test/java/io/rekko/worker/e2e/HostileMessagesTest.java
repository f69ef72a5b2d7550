package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.rekko.schema.CommandCodec;
import io.rekko.schema.DecodeError;
import io.rekko.schema.DecodeResult;
import io.rekko.schema.Event;
import io.rekko.schema.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fates the hostile generators decide agree with the codec wherever the codec alone decides
 * (the worker's own checks, the tenant checks and the ledger need the running workers): a fuzz run
 * that fails then points at the worker, not at its generator.
 */
class HostileMessagesTest {
  private static final Set<String> WORKER_CODES = Set.of("wrong_topic", "command_id_reused");
  private static final Set<String> WORKER_RULES = Set.of("maxClockSkew", "noNulCharacter");
  private static final CommandCodec CODEC = CommandCodec.withDefaults();

  @Test
  void everyDecodeErrorAGeneratorPredictsIsTheCodecsOwn() {
    Random random = new Random(20260301L);
    HostileMessages hostile = generators(random);
    for (String name : hostile.names()) {
      for (int i = 0; i < 200; i++) {
        FuzzMessage message = hostile.next(name);
        String what = name + " #" + i + ": " + message.fate();
        DecodeResult decoded = CODEC.decode(message.key(), message.value());
        Optional<FuzzMessage.Letter> letter = message.fate().letter();
        if (letter.isEmpty()
            || WORKER_CODES.contains(letter.get().code())
            || WORKER_RULES.contains(letter.get().rule())) {
          assertInstanceOf(DecodeResult.Decoded.class, decoded, what);
          continue;
        }
        DecodeError error = assertInstanceOf(DecodeResult.Invalid.class, decoded, what).error();
        FuzzMessage.Letter expected = letter.get();
        assertEquals(
            expected,
            new FuzzMessage.Letter(error.code().wireName(), error.field(), error.rule()),
            what + "; codec: " + error.describe());
        Optional<Event> rejection = error.rejection(Instant.now());
        assertEquals(
            message.fate().answer().map(a -> a.tenant().value() + "/" + a.commandId()),
            rejection.map(e -> e.tenantId().value() + "/" + e.commandId()),
            what);
      }
    }
  }

  private static HostileMessages generators(Random random) {
    List<TenantId> served = List.of(TenantId.of("served-a"), TenantId.of("served-b"));
    FaceTraffic traffic = new FaceTraffic(random, served, 50, Clock.systemUTC());
    byte[] sealed = new byte[Vectors.DIMENSION * 4 + 28];
    random.nextBytes(sealed);
    HostileMessages.Targets targets =
        new HostileMessages.Targets(
            served,
            List.of(TenantId.of("ghost")),
            TenantId.of("metadata"),
            TenantId.of("wide"),
            TenantId.of("anchors"),
            List.of(
                new HostileMessages.Sealed(
                    served.getFirst(), "source", Base64.getEncoder().encodeToString(sealed))));
    return new HostileMessages(random, targets, traffic, Clock.systemUTC());
  }
}
