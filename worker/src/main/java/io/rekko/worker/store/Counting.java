package io.rekko.worker.store;

/** When a unit that adds or removes a face changes its tenant's face count. */
enum Counting {
  /**
   * Each unit counts its own face as it goes, checking the quota for a new one: exact in offset
   * order, but the count row stays locked from the first unit to the commit.
   */
  EACH_UNIT,
  /** Units leave the count alone; the batch settles each tenant's sum last ({@link Quota}). */
  AT_COMMIT
}
