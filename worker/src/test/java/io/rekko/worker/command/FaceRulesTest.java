package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.FaceRegister;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaceRulesTest {
  private static final TenantConfig TENANT =
      new TenantConfig(10, Map.of(), 0.8, Commands.DIMENSION, 0.5, true);

  @Test
  void aRegistrationThatMeetsEveryRuleIsAccepted() {
    assertTrue(FaceRules.register(register(Commands.DIMENSION, 0.5, true), TENANT).isEmpty());
  }

  @Test
  void theDimensionIsCheckedFirstThenQualityThenLiveness() {
    assertEquals(
        RejectionReason.INVALID_EMBEDDING, reason(register(Commands.DIMENSION + 1, 0.1, false)));
    assertEquals(RejectionReason.LOW_QUALITY, reason(register(Commands.DIMENSION, 0.49, false)));
    assertEquals(RejectionReason.LIVENESS_FAILED, reason(register(Commands.DIMENSION, 0.9, false)));
  }

  @Test
  void livenessIsOnlyRequiredWhenTheTenantRequiresIt() {
    TenantConfig lenient = new TenantConfig(10, Map.of(), 0.8, Commands.DIMENSION, 0.5, false);

    assertTrue(FaceRules.register(register(Commands.DIMENSION, 0.9, false), lenient).isEmpty());
  }

  @Test
  void aProbeOfAnotherDimensionIsRefusedWithBothDimensionsInTheMessage() {
    Optional<Refusal> refusal =
        FaceRules.verify(
            Commands.verify(Commands.envelope("t"), "x", Commands.embedding(1, 128)), TENANT);

    assertEquals(RejectionReason.INVALID_EMBEDDING, refusal.orElseThrow().reason());
    assertEquals(
        "the embedding has 128 values; the tenant's embedding_dimension is 64",
        refusal.get().message());
  }

  private static RejectionReason reason(FaceRegister register) {
    return FaceRules.register(register, TENANT).orElseThrow().reason();
  }

  private static FaceRegister register(int dimension, double quality, boolean liveness) {
    return Commands.register(
        Commands.envelope("t"), "x", Commands.embedding(1, dimension), quality, liveness, false);
  }
}
