package io.rekko.schema;

/** Kafka topic names, record keys and Redis channel names of the contract. */
public final class Topics {
  /** Where producers send commands. */
  public static final String COMMANDS = "rekko.commands";

  /** Where the worker sends messages it cannot process. */
  public static final String COMMANDS_DLQ = "rekko.commands.dlq";

  /** Prefix of the tenant event channels: {@code rekko:events:<tenant_id>}. */
  public static final String EVENTS_CHANNEL_PREFIX = "rekko:events:";

  private Topics() {}

  /** The Redis pub/sub channel of one tenant's events. */
  public static String eventsChannel(TenantId tenant) {
    return EVENTS_CHANNEL_PREFIX + tenant.value();
  }

  /** The record key of a face command: {@code <tenant_id>/<external_id>}. */
  public static String faceKey(TenantId tenant, ExternalId externalId) {
    return tenant.value() + "/" + externalId.value();
  }

  /** The record key of a tenant or API-key command: {@code <tenant_id>}. */
  public static String tenantKey(TenantId tenant) {
    return tenant.value();
  }
}
