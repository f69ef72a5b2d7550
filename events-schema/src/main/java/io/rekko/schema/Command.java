package io.rekko.schema;

import java.util.UUID;

/**
 * A well-formed command: what the codec makes of a valid message, and what producers written in
 * Java encode. Every implementation is a record whose constructor rejects values the contract
 * forbids.
 *
 * <p>The hierarchy is sealed, so a handler can switch over every command type and the compiler
 * tells it when one is added.
 */
public sealed interface Command permits FaceCommand, TenantCommand {

  CommandEnvelope envelope();

  CommandType type();

  /** The Kafka record key this command must be sent with (see {@link Topics}). */
  String recordKey();

  default UUID commandId() {
    return envelope().commandId();
  }

  default TenantId tenantId() {
    return envelope().tenantId();
  }
}
