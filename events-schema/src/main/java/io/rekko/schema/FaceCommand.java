package io.rekko.schema;

/**
 * A command about one face, keyed {@code <tenant_id>/<external_id>}: commands for the same face are
 * processed one at a time, in topic order.
 */
public sealed interface FaceCommand extends Command permits FaceRegister, FaceVerify, FaceDelete {

  ExternalId externalId();

  @Override
  default String recordKey() {
    return Topics.faceKey(tenantId(), externalId());
  }
}
