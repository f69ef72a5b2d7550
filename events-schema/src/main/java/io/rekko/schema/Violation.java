package io.rekko.schema;

import java.util.Optional;
import java.util.UUID;

/**
 * A broken rule found while decoding. Internal control flow only: the codec turns it into a {@link
 * DecodeError} before returning, so it never reaches a caller. No stack trace is taken (bad input
 * is not exceptional for a decoder, and must stay cheap).
 */
final class Violation extends RuntimeException {
  final DecodeErrorCode code;
  final String field;
  final String rule;

  Violation(DecodeErrorCode code, String field, String rule, String message) {
    super(message, null, false, false);
    this.code = code;
    this.field = field;
    this.rule = rule;
  }

  DecodeError toError(
      Optional<TenantId> tenantId, Optional<UUID> commandId, Optional<CommandType> commandType) {
    return new DecodeError(code, field, rule, getMessage(), tenantId, commandId, commandType);
  }
}
