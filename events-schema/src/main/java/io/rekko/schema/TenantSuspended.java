package io.rekko.schema;

/** {@code tenant.suspended}: face commands are refused from now on, with the given reason. */
public record TenantSuspended(String reason) implements EventPayload {

  public TenantSuspended {
    Text.requireReason(reason);
  }

  @Override
  public EventType type() {
    return EventType.TENANT_SUSPENDED;
  }
}
