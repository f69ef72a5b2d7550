package io.rekko.schema;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The fields every command carries besides its payload.
 *
 * @param commandId the idempotency key: a redelivered command has the same id and gets the same
 *     outcome
 * @param tenantId whose command it is
 * @param issuedAt when the producer issued it, within years 0000 to 9999 (UTC); the worker refuses
 *     commands older than its maximum command age ({@code expired})
 * @param apiKeyId the API key the tenant used upstream, when there was one; a revoked key's
 *     commands are refused
 * @param deviceId the producer's device label, when there is one; informational (printable ASCII, 1
 *     to 128 characters)
 */
public record CommandEnvelope(
    UUID commandId,
    TenantId tenantId,
    Instant issuedAt,
    Optional<ApiKeyId> apiKeyId,
    Optional<String> deviceId) {

  /** The {@code schema} field of every version 1 command. */
  public static final String SCHEMA_VERSION = "rekko.command.v1";

  /** The rule a device id follows, as written in the JSON Schemas: printable ASCII, no spaces. */
  public static final String DEVICE_ID_PATTERN = "^[!-~]{1,128}$";

  public CommandEnvelope {
    Objects.requireNonNull(commandId, "command_id");
    Objects.requireNonNull(tenantId, "tenant_id");
    Objects.requireNonNull(issuedAt, "issued_at");
    Objects.requireNonNull(apiKeyId, "api_key_id");
    Objects.requireNonNull(deviceId, "device_id");
    if (!Formats.isInRange(issuedAt)) {
      throw new IllegalArgumentException("issued_at must be within years 0000 to 9999 (UTC)");
    }
    deviceId.ifPresent(
        id -> {
          if (!isValidDeviceId(id)) {
            throw new IllegalArgumentException("device_id must match " + DEVICE_ID_PATTERN);
          }
        });
  }

  /** An envelope without API key or device. */
  public static CommandEnvelope of(UUID commandId, TenantId tenantId, Instant issuedAt) {
    return new CommandEnvelope(commandId, tenantId, issuedAt, Optional.empty(), Optional.empty());
  }

  static boolean isValidDeviceId(String id) {
    return IdChars.isVisibleAscii(id, 128);
  }
}
