package io.rekko.worker.outbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.TenantId;
import io.rekko.worker.outbox.InvalidationWatch.Verdict;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rule by which a check's verdict lets a tenant be read from the caches. */
class InvalidationWatchTest {
  private static final TenantId ADA = TenantId.of("ada");
  private static final TenantId BOB = TenantId.of("bob");

  @Test
  void aTenantWithNothingUnappliedIsTrustedWhileTheLinkIsUndisrupted() {
    Verdict verdict = new Verdict(7, Set.of(BOB), false);

    assertTrue(verdict.trusts(ADA, 7));
    assertFalse(verdict.trusts(BOB, 7), "an invalidation of bob is not applied");
  }

  @Test
  void aDisruptionSinceTheCheckBeganVoidsItsVerdictForEveryTenant() {
    Verdict verdict = new Verdict(7, Set.of(), false);

    assertFalse(verdict.trusts(ADA, 8));
  }

  @Test
  void aCheckThatSawTooManyPendingTrustsNoTenant() {
    assertFalse(new Verdict(7, Set.of(), true).trusts(ADA, 7));
  }

  @Test
  void beforeTheFirstCheckNothingIsTrusted() {
    assertFalse(InvalidationWatch.UNCHECKED.trusts(ADA, 0));
  }
}
