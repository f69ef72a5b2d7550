package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.command.BatchLocks.FaceKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchLocksTest {

  @Test
  void facesAreLockedByTenantThenExternalId() {
    List<FaceKey> keys =
        new ArrayList<>(List.of(key("b", "a"), key("a", "z"), key("a", "b"), key("a-b", "a")));

    keys.sort(FaceKey.ORDER);

    assertEquals(List.of(key("a", "b"), key("a", "z"), key("a-b", "a"), key("b", "a")), keys);
  }

  private static FaceKey key(String tenant, String externalId) {
    return new FaceKey(TenantId.of(tenant), ExternalId.of(externalId));
  }
}
