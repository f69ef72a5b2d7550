package io.rekko.schema;

import java.util.Optional;

/**
 * Every command type of the contract, with its wire name, how its record key is built and the event
 * it produces on success. The list is closed: a message of any other type is invalid.
 */
public enum CommandType {
  FACE_REGISTER("face.register", true, EventType.FACE_REGISTERED),
  FACE_VERIFY("face.verify", true, EventType.FACE_VERIFIED),
  FACE_DELETE("face.delete", true, EventType.FACE_DELETED),
  TENANT_UPSERT("tenant.upsert", false, EventType.TENANT_UPDATED),
  TENANT_SUSPEND("tenant.suspend", false, EventType.TENANT_SUSPENDED),
  TENANT_RESUME("tenant.resume", false, EventType.TENANT_RESUMED),
  API_KEY_REVOKE("api_key.revoke", false, EventType.API_KEY_REVOKED),
  TENANT_ERASE("tenant.erase", false, EventType.TENANT_ERASED);

  private final String wireName;
  private final boolean faceKeyed;
  private final EventType successEvent;

  CommandType(String wireName, boolean faceKeyed, EventType successEvent) {
    this.wireName = wireName;
    this.faceKeyed = faceKeyed;
    this.successEvent = successEvent;
  }

  /** The value of the {@code type} field, e.g. {@code face.register}. */
  public String wireName() {
    return wireName;
  }

  /**
   * True when the record key is {@code <tenant_id>/<external_id>} (face commands), false when it is
   * {@code <tenant_id>} (tenant and API-key commands).
   */
  public boolean isFaceKeyed() {
    return faceKeyed;
  }

  /**
   * True for tenant and API-key commands, erasure included (the tenant-keyed ones): they change
   * what a tenant may do, so they are consumed from the admin topic only ({@link Topics#ADMIN}),
   * which a deployment lets fewer principals write than the commands topic. False for face
   * commands.
   */
  public boolean isAdmin() {
    return !faceKeyed;
  }

  /** The event a successful command of this type produces. */
  public EventType successEvent() {
    return successEvent;
  }

  /** The command type with this wire name; empty for anything else (case matters). */
  public static Optional<CommandType> fromWireName(String wireName) {
    for (CommandType type : values()) {
      if (type.wireName.equals(wireName)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
