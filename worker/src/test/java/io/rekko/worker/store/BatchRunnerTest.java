package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.worker.crypto.DataKey;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.store.UnitOfWork.DeleteFace;
import io.rekko.worker.store.UnitOfWork.SetTenantStatus;
import io.rekko.worker.store.UnitOfWork.UpsertTenant;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class BatchRunnerTest {
  private static final EventRenderer RENDERER =
      outcome -> new PendingEvent(UUID.randomUUID(), "c", new byte[0]);

  /** Never connected to: the batches below are refused before any statement. */
  private final BatchRunner runner =
      new BatchRunner(
          Jdbi.create("jdbc:postgresql://127.0.0.1:1/none"),
          Clock.systemUTC(),
          new DataKeys() {
            @Override
            public DataKey of(TenantId tenant) {
              throw new AssertionError("no key is needed before a batch is refused");
            }

            @Override
            public void forget(TenantId tenant) {}
          });

  @Test
  void twoUnitsForOneFaceAreRefused() {
    TenantId tenant = TenantId.of("acme");
    var units =
        List.of(
            new DeleteFace(UUID.randomUUID(), tenant, ExternalId.of("a"), Guard.fence(1), RENDERER),
            new DeleteFace(
                UUID.randomUUID(), tenant, ExternalId.of("a"), Guard.fence(1), RENDERER));
    var e = assertThrows(IllegalArgumentException.class, () -> runner.apply(units));
    assertEquals("a batch holds at most one unit per key, but has two for acme/a", e.getMessage());
  }

  @Test
  void twoTenantCommandsForOneTenantAreRefused() {
    TenantId tenant = TenantId.of("acme");
    TenantConfig config = new TenantConfig(10, Map.of(), 0.8, 4, 0.5, false);
    var units =
        List.of(
            new UpsertTenant(UUID.randomUUID(), tenant, config, Guard.fence(1), RENDERER),
            new SetTenantStatus(
                UUID.randomUUID(),
                tenant,
                TenantStatus.SUSPENDED,
                "unpaid",
                Guard.fence(1),
                RENDERER));
    assertThrows(IllegalArgumentException.class, () -> runner.apply(units));
  }

  @Test
  void anEmptyBatchNeedsNoDatabase() {
    assertEquals(List.of(), runner.apply(List.of()));
  }
}
