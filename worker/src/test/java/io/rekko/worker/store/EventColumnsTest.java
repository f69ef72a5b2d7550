package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.ExternalId;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventColumnsTest {

  @Test
  void everyTargetSurvivesTheColumn() {
    List<Invalidation> targets =
        List.of(
            new Invalidation.Face(ExternalId.of("user-42@example.com")),
            new Invalidation.TenantSettings(),
            new Invalidation.TenantCaches(),
            new Invalidation.ApiKey(ApiKeyId.of("key-1")));
    for (Invalidation target : targets) {
      assertEquals(
          target,
          EventColumns.invalidation(EventColumns.invalidationText(target), true),
          "" + target);
    }
  }

  @Test
  void anEventThatInvalidatesNothingIsNull() {
    assertNull(EventColumns.invalidationText(null));
    assertNull(EventColumns.invalidation(null, false));
  }

  @Test
  void aRowWithOnlyTheFlagOrAnUnknownTargetInvalidatesAllOfTheTenantsEntries() {
    assertEquals(new Invalidation.TenantCaches(), EventColumns.invalidation(null, true));
    assertEquals(new Invalidation.TenantCaches(), EventColumns.invalidation("galaxy", true));
  }

  @Test
  void theStoredFormIsReadable() {
    assertEquals(
        "face:ada", EventColumns.invalidationText(new Invalidation.Face(ExternalId.of("ada"))));
    assertEquals(
        "api-key:key-1",
        EventColumns.invalidationText(new Invalidation.ApiKey(ApiKeyId.of("key-1"))));
  }
}
