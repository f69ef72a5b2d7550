package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.TenantId;
import io.rekko.worker.store.UnitResult.Applied;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The count kept for the quota always equals the number of face rows, whatever mix of
 * registrations, re-enrolments and deletions runs concurrently, in batches that share tenants and
 * keys (which also shows that batches take their locks in an order that cannot deadlock).
 */
class FaceCountIT {
  private static final int TENANTS = 4;
  private static final int IDS_PER_TENANT = 40;
  private static final int MAX_FACES = 25;
  private static final int OPERATIONS = 2_000;
  private static StoreFixture fixture;

  @BeforeAll
  static void open() {
    fixture = StoreFixture.create("store_face_count");
    for (int t = 0; t < TENANTS; t++) {
      fixture.store.apply(Units.upsert(tenant(t), MAX_FACES));
    }
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  @Test
  void aRandomMixOfTwoThousandOperationsKeepsEveryCountEqualToItsRows() {
    List<List<UnitOfWork>> batches = randomBatches(new SplittableRandom(20300101));

    List<List<UnitResult>> results =
        Concurrently.run(8, batches.size(), i -> fixture.store.apply(batches.get(i)));

    Map<String, Long> registeredMinusDeleted = new HashMap<>();
    for (int b = 0; b < batches.size(); b++) {
      for (int u = 0; u < batches.get(b).size(); u++) {
        UnitOfWork unit = batches.get(b).get(u);
        UnitResult result = results.get(b).get(u);
        Applied applied =
            assertInstanceOf(Applied.class, result, () -> unit.describe() + " -> " + result);
        long delta =
            switch (applied.outcome().code()) {
              case REGISTERED -> 1;
              case DELETED -> -1;
              default -> 0;
            };
        registeredMinusDeleted.merge(unit.tenant().value(), delta, Long::sum);
      }
    }
    for (int t = 0; t < TENANTS; t++) {
      long rows = fixture.faceRows(tenant(t));
      long count = fixture.store.faceCount(TenantId.of(tenant(t)));
      assertEquals(rows, count, "face count of " + tenant(t));
      assertEquals(registeredMinusDeleted.getOrDefault(tenant(t), 0L), rows, tenant(t));
      assertTrue(count <= MAX_FACES, tenant(t) + " holds " + count);
    }
    assertEquals(OPERATIONS + TENANTS, fixture.count("SELECT count(*) FROM ledger"));
  }

  /** 2,000 operations in batches of 1 to 8 units with distinct keys. */
  private static List<List<UnitOfWork>> randomBatches(SplittableRandom random) {
    List<List<UnitOfWork>> batches = new ArrayList<>();
    List<UnitOfWork> batch = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    int target = 1 + random.nextInt(8);
    for (int i = 0; i < OPERATIONS; i++) {
      String tenant = tenant(random.nextInt(TENANTS));
      String id = "id-" + random.nextInt(IDS_PER_TENANT);
      if (batch.size() == target || !keys.add(tenant + "/" + id)) {
        batches.add(batch);
        batch = new ArrayList<>();
        keys.clear();
        keys.add(tenant + "/" + id);
        target = 1 + random.nextInt(8);
      }
      int kind = random.nextInt(100);
      Guard guard = Guard.fence(1);
      batch.add(
          kind < 45
              ? Units.register(tenant, id, guard)
              : kind < 70 ? Units.replace(tenant, id, guard) : Units.delete(tenant, id, guard));
    }
    batches.add(batch);
    return batches;
  }

  private static String tenant(int index) {
    return "mix-" + index;
  }
}
