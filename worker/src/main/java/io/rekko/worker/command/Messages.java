package io.rekko.worker.command;

import io.rekko.schema.Command;
import io.rekko.schema.FaceCommand;
import io.rekko.worker.store.OutcomeCode;

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
      default -> code.reason().replace('_', ' ');
    };
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
