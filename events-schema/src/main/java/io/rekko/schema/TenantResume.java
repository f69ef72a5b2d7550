package io.rekko.schema;

import java.util.Objects;

/**
 * {@code tenant.resume}: accept a suspended tenant's face commands again.
 *
 * @param reason why, for the tenant's event subscribers; 1 to 500 characters
 */
public record TenantResume(CommandEnvelope envelope, String reason) implements TenantCommand {

  public TenantResume {
    Objects.requireNonNull(envelope, "envelope");
    Text.requireReason(reason);
  }

  @Override
  public CommandType type() {
    return CommandType.TENANT_RESUME;
  }
}
