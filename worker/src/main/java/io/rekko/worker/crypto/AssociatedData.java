package io.rekko.worker.crypto;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import java.nio.charset.StandardCharsets;

/**
 * What a sealed value is bound to: GCM authenticates these bytes with the ciphertext, so a value
 * sealed for one place does not open in another, even under the same key. Each form starts with its
 * own label, and parts are joined by a NUL, which no id may hold.
 */
public record AssociatedData(byte[] bytes) {
  private static final char SEPARATOR = '\0';

  /** A stored face's embedding: bound to its tenant, external id and face version. */
  public static AssociatedData face(TenantId tenant, ExternalId externalId, long version) {
    return of("rekko.face.v1", tenant.value(), externalId.value(), Long.toString(version));
  }

  /**
   * An embedding carried by a command (what a dead letter keeps): bound to its tenant and external
   * id, not to the command, so a corrected command may carry it again under a new command id.
   */
  public static AssociatedData command(TenantId tenant, ExternalId externalId) {
    return of("rekko.command.v1", tenant.value(), externalId.value());
  }

  /** A tenant's data key, wrapped by a key-encryption key: bound to its tenant. */
  static AssociatedData dataKeyOf(TenantId tenant) {
    return of("rekko.data-key.v1", tenant.value());
  }

  private static AssociatedData of(String label, String... parts) {
    StringBuilder joined = new StringBuilder(label);
    for (String part : parts) {
      joined.append(SEPARATOR).append(part);
    }
    return new AssociatedData(joined.toString().getBytes(StandardCharsets.UTF_8));
  }
}
