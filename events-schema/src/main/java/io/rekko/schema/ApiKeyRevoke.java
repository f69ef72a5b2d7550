package io.rekko.schema;

import java.util.Objects;

/**
 * {@code api_key.revoke}: from now on, refuse the tenant's commands that carry this {@code
 * api_key_id}. Revocation is permanent.
 */
public record ApiKeyRevoke(CommandEnvelope envelope, ApiKeyId keyId) implements TenantCommand {

  public ApiKeyRevoke {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(keyId, "key_id");
  }

  @Override
  public CommandType type() {
    return CommandType.API_KEY_REVOKE;
  }
}
