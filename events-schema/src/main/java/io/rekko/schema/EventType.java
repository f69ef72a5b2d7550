package io.rekko.schema;

import java.util.Optional;

/** Every event type of the contract, with its wire name. The list is closed. */
public enum EventType {
  FACE_REGISTERED("face.registered"),
  FACE_VERIFIED("face.verified"),
  FACE_DELETED("face.deleted"),
  TENANT_UPDATED("tenant.updated"),
  TENANT_SUSPENDED("tenant.suspended"),
  TENANT_RESUMED("tenant.resumed"),
  API_KEY_REVOKED("api_key.revoked"),
  TENANT_ERASED("tenant.erased"),
  COMMAND_REJECTED("command.rejected");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /** The value of the {@code type} field, e.g. {@code face.registered}. */
  public String wireName() {
    return wireName;
  }

  /** The event type with this wire name; empty for anything else (case matters). */
  public static Optional<EventType> fromWireName(String wireName) {
    for (EventType type : values()) {
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
