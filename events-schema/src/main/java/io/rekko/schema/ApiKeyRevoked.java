package io.rekko.schema;

import java.util.Objects;

/** {@code api_key.revoked}: commands carrying this key are refused from now on. */
public record ApiKeyRevoked(ApiKeyId keyId) implements EventPayload {

  public ApiKeyRevoked {
    Objects.requireNonNull(keyId, "key_id");
  }

  @Override
  public EventType type() {
    return EventType.API_KEY_REVOKED;
  }
}
