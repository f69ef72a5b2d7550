package io.rekko.worker.command;

import io.rekko.schema.Command;
import io.rekko.schema.FaceCommand;
import io.rekko.worker.store.OutcomeCode;
import java.time.Instant;

/**
 * The sentences of {@code command.rejected}: what happened and what the client can do about it.
 * They name ids and settings, never an embedding, metadata or an API key's secret.
 */
final class Messages {
  private Messages() {}

  /** For a rejection the store decided. */
  static String storeRejection(Command command, OutcomeCode code) {
    return switch (code) {
      case ALREADY_REGISTERED ->
          "external_id "
              + face(command)
              + " is already registered; send replace=true to re-enrol it";
      case QUOTA_EXCEEDED ->
          "the tenant holds max_faces faces already; delete faces or raise max_faces";
      case FACE_NOT_FOUND -> "no face is registered under external_id " + face(command);
      case TENANT_NOT_FOUND -> tenantNotFound(command);
      case TENANT_SUSPENDED -> tenantSuspended(command);
      case TENANT_ERASED ->
          "tenant "
              + command.tenantId()
              + " is being erased; once tenant.erased arrives, a tenant.upsert issued after it"
              + " creates the tenant again";
      default -> code.reason().replace('_', ' ');
    };
  }

  /** A command issued at or before its tenant's latest erasure began. */
  static String issuedBeforeErasure(Command command, Instant erasedAt) {
    return "issued at "
        + command.envelope().issuedAt()
        + ", before tenant "
        + command.tenantId()
        + " was erased (from "
        + erasedAt
        + "); a command issued before an erasure is never carried out: send a new one";
  }

  /** An admin command while its tenant's erasure is under way. */
  static String erasureUnderWay(Command command) {
    return "tenant "
        + command.tenantId()
        + " is being erased; send tenant.erase again if it was cut short, and this command"
        + " once tenant.erased has arrived";
  }

  /** A command carried out before its tenant was erased, delivered again since. */
  static String outcomeErased(Command command) {
    return "command "
        + command.commandId()
        + " was carried out before tenant "
        + command.tenantId()
        + " was erased; its outcome was erased with the tenant, and it is not carried out again";
  }

  static String tenantNotFound(Command command) {
    return "tenant " + command.tenantId() + " does not exist; create it with tenant.upsert";
  }

  static String tenantSuspended(Command command) {
    return "tenant " + command.tenantId() + " is suspended; tenant.resume lifts it";
  }

  private static String face(Command command) {
    return command instanceof FaceCommand face ? face.externalId().value() : "?";
  }
}
