package io.rekko.bench;

/**
 * What the traffic looks like.
 *
 * @param seed makes the traffic repeatable
 * @param tenants how many tenants share the traffic, evenly
 * @param dimension values per embedding
 * @param mix the share of each face command
 * @param tenantPrefix starts every tenant id, so that runs on one server never meet
 * @param facePrefix starts every external id
 */
record WorkloadSettings(
    long seed, int tenants, int dimension, Mix mix, String tenantPrefix, String facePrefix) {

  /** 200 tenants, 512-value embeddings, 60 % verify, 30 % register, 10 % delete. */
  static WorkloadSettings standard(long seed) {
    return new WorkloadSettings(seed, 200, 512, Mix.STANDARD, "bench", "face");
  }

  WorkloadSettings {
    if (tenants < 1 || tenants > 1000) {
      throw new IllegalArgumentException("tenants must be 1 to 1000, was " + tenants);
    }
    if (dimension < 64 || dimension > 2048) {
      throw new IllegalArgumentException("dimension must be 64 to 2048, was " + dimension);
    }
  }

  WorkloadSettings withTenantPrefix(String prefix) {
    return new WorkloadSettings(seed, tenants, dimension, mix, prefix, facePrefix);
  }
}
