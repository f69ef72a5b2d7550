package io.rekko.schema;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code tenant.erase}: remove everything the tenant has (faces, fences, API-key revocations,
 * usage, events, cached entries, its data key) and refuse, from then on, every command issued
 * before the erasure. What stays is an audit row, that refusal, the bare ids of the commands the
 * worker carried out for it, and this command's own outcome.
 *
 * @param reason why, for the operators' log; 1 to 500 characters, or empty for none. It is not
 *     stored.
 */
public record TenantErase(CommandEnvelope envelope, Optional<String> reason)
    implements TenantCommand {

  public TenantErase {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(reason, "reason");
    reason.ifPresent(Text::requireReason);
  }

  @Override
  public CommandType type() {
    return CommandType.TENANT_ERASE;
  }
}
