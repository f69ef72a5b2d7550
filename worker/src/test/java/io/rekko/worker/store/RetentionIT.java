package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rekko.worker.store.UnitResult.Applied;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ledger rows and published outbox rows older than the retention go; nothing else does. */
class RetentionIT {
  private static StoreFixture fixture;

  @BeforeAll
  static void open() {
    fixture =
        StoreFixture.create(
            "store_retention",
            database ->
                new StoreSettings(
                    StoreFixture.login(database),
                    StoreFixture.POOL_SIZE,
                    StoreFixture.TIMEOUTS,
                    new StoreRetention(Duration.ofDays(7), 3),
                    TestKeys.RING));
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  @Test
  void oldLedgerRowsAndOldPublishedEventsAreDeletedInBatches() {
    fixture.store.apply(Units.upsert("old", 100));
    List<Long> published = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Applied applied =
          (Applied) fixture.store.apply(Units.register("old", "face-" + i, Guard.fence(1)));
      if (i < 7) {
        published.add(applied.outboxId());
      }
    }
    fixture.store.markPublished(published);
    fixture.clock.advance(Duration.ofDays(7).plusSeconds(1));
    fixture.store.apply(Units.register("old", "recent", Guard.fence(1)));

    RetentionResult result = fixture.store.purgeExpired();

    // 11 old ledger rows (the upsert and 10 registrations), 7 old published events; batches of 3.
    assertEquals(new RetentionResult(11, 7), result);
    assertEquals(1, fixture.ledgerRows("old"));
    assertEquals(1 + 3 + 1, fixture.outboxRows("old"));
    assertEquals(11, fixture.faceRows("old"));
    assertEquals(new RetentionResult(0, 0), fixture.store.purgeExpired());
  }
}
