package io.rekko.schema;

import java.util.Objects;

/**
 * {@code tenant.suspend}: refuse the tenant's face commands until it is resumed.
 *
 * @param reason why, for the tenant's event subscribers; 1 to 500 characters
 */
public record TenantSuspend(CommandEnvelope envelope, String reason) implements TenantCommand {

  public TenantSuspend {
    Objects.requireNonNull(envelope, "envelope");
    Text.requireReason(reason);
  }

  @Override
  public CommandType type() {
    return CommandType.TENANT_SUSPEND;
  }
}
