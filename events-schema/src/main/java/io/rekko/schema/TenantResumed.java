package io.rekko.schema;

/** {@code tenant.resumed}: face commands are accepted again, with the given reason. */
public record TenantResumed(String reason) implements EventPayload {

  public TenantResumed {
    Text.requireReason(reason);
  }

  @Override
  public EventType type() {
    return EventType.TENANT_RESUMED;
  }
}
