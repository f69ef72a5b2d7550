package io.rekko.schema;

/** Kafka topic names, record keys and Redis channel names of the contract. */
public final class Topics {
  /** Where producers send face commands. */
  public static final String COMMANDS = "rekko.commands";

  /**
   * Where tenant and API-key commands go ({@link CommandType#isAdmin()}): a topic of its own, so
   * that Kafka ACLs can let fewer principals write it than the commands topic.
   */
  public static final String ADMIN = "rekko.admin";

  /** Where the worker sends messages it cannot process. */
  public static final String COMMANDS_DLQ = "rekko.commands.dlq";

  /** Prefix of the tenant event channels: {@code rekko:events:<tenant_id>}. */
  public static final String EVENTS_CHANNEL_PREFIX = "rekko:events:";

  private Topics() {}

  /**
   * The default topic of a command type: {@link #ADMIN} for admin commands, else {@link #COMMANDS}.
   */
  public static String topicFor(CommandType type) {
    return type.isAdmin() ? ADMIN : COMMANDS;
  }

  /** The Redis pub/sub channel of one tenant's events. */
  public static String eventsChannel(TenantId tenant) {
    return EVENTS_CHANNEL_PREFIX + tenant.value();
  }

  /**
   * The tenant's event stream, a Redis Stream holding its recent events for replay: {@code
   * rekko:<tenant_id>:events:{rekko:events:<tenant_id>}}. Its hash tag is the channel's name, so on
   * a Cluster it lives in the slot of the tenant's sharded channel (see events-schema/README.md).
   */
  public static String eventStream(TenantId tenant) {
    return "rekko:" + tenant.value() + ":events:{" + eventsChannel(tenant) + "}";
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
