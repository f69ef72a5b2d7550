package io.rekko.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandType;
import io.rekko.schema.DecodeResult;
import io.rekko.schema.FaceCommand;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadTest {
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  private final Workload workload = new Workload(WorkloadSettings.standard(42));

  @Test
  void mixFollowsTheStandardSharesOnceFacesAreLive() {
    workload.seedFaces(5, NOW);
    Map<CommandType, Integer> counts = new EnumMap<>(CommandType.class);
    int n = 50_000;
    for (int i = 0; i < n; i++) {
      counts.merge(workload.next(NOW).type(), 1, Integer::sum);
    }
    assertEquals(0.6, counts.get(CommandType.FACE_VERIFY) / (double) n, 0.01);
    assertEquals(0.3, counts.get(CommandType.FACE_REGISTER) / (double) n, 0.01);
    assertEquals(0.1, counts.get(CommandType.FACE_DELETE) / (double) n, 0.01);
  }

  @Test
  void verificationsAndDeletesNameOnlyFacesThatAreLiveAtThatPointOfTheStream() {
    Set<String> live = new HashSet<>();
    for (Command command : workload.seedFaces(2, NOW)) {
      live.add(face(command));
    }
    for (int i = 0; i < 20_000; i++) {
      Command command = workload.next(NOW);
      String face = face(command);
      switch (command.type()) {
        case FACE_REGISTER -> assertTrue(live.add(face), "registered twice: " + face);
        case FACE_VERIFY -> assertTrue(live.contains(face), "verified a dead face: " + face);
        case FACE_DELETE -> assertTrue(live.remove(face), "deleted a dead face: " + face);
        default -> throw new AssertionError("unexpected " + command.type());
      }
    }
    assertEquals(live.size(), workload.liveFaces());
  }

  @Test
  void everyTenantIsUsedAndEveryCommandIsValidUnderTheContract() {
    CommandCodec codec = CommandCodec.withDefaults();
    Set<String> tenants = new HashSet<>();
    List<Command> all = new java.util.ArrayList<>(workload.tenantUpserts(NOW));
    all.addAll(workload.seedFaces(1, NOW));
    for (int i = 0; i < 2_000; i++) {
      all.add(workload.next(NOW));
    }
    for (Command command : all) {
      tenants.add(command.envelope().tenantId().value());
      DecodeResult decoded = codec.decode(command.recordKey(), codec.encode(command));
      assertTrue(decoded instanceof DecodeResult.Decoded, () -> command + ": " + decoded);
    }
    assertEquals(200, tenants.size());
  }

  @Test
  void aVerificationProbeMatchesItsRegisteredFaceAboveTheTenantsThreshold() {
    FaceRegister registered = (FaceRegister) workload.seedFaces(1, NOW).get(0);
    FaceVerify probe = null;
    while (probe == null || !face(probe).equals(face(registered))) {
      Command next = workload.next(NOW);
      probe = next instanceof FaceVerify verify ? verify : probe;
    }
    double similarity = registered.embedding().cosineSimilarity(probe.embedding());
    assertTrue(similarity > workload.tenantConfig().verifyThreshold(), "similarity " + similarity);
  }

  @Test
  void commandsAreAboutFiveKilobytesWithFiveHundredTwelveValues() {
    CommandCodec codec = CommandCodec.withDefaults();
    workload.seedFaces(1, NOW);
    int size = codec.encode(workload.nextRegistration(NOW)).length;
    assertTrue(size > 4_000 && size < 8_000, "size " + size);
  }

  @Test
  void theSameSeedGivesTheSameTraffic() {
    Workload again = new Workload(WorkloadSettings.standard(42));
    for (int i = 0; i < 100; i++) {
      assertEquals(workload.next(NOW), again.next(NOW));
    }
  }

  private static String face(Command command) {
    return command.envelope().tenantId().value()
        + "/"
        + ((FaceCommand) command).externalId().value();
  }
}
