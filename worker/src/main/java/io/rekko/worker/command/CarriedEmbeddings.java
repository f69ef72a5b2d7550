package io.rekko.worker.command;

import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceCommand;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.SealedEmbedding;
import io.rekko.schema.TenantId;
import io.rekko.worker.crypto.AssociatedData;
import io.rekko.worker.crypto.DataKey;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.crypto.SealException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals and opens the embeddings commands carry ({@code sealed_embedding}): sealed under the
 * tenant's data key and bound to the tenant and external id ({@link AssociatedData#command}), not
 * to the command, so a dead letter's sealed embedding opens again when the command is sent anew,
 * corrected or under a new command id, and never for another face or tenant. The plaintext is the
 * one every sealed embedding has ({@link DataKey#sealEmbedding}).
 *
 * <p>A sealed embedding that does not open (altered, sealed for another tenant or face, or sealed
 * before its tenant was erased, whose new key if any is another) is answered {@code
 * command.rejected} with reason {@code invalid_embedding}, not dead-lettered: the message is a
 * well-formed command of a tenant that passed its checks, so the tenant is told the reason itself
 * (a dead letter would tell it only {@code invalid_command}), a register's rejection is ledgered
 * like any other (a redelivery gets the same answer), and a dead letter would only keep bytes that
 * no one can ever open or correct. Opening needs the key, and so PostgreSQL: when the key cannot be
 * had, the failure is the caller's to retry.
 */
final class CarriedEmbeddings {
  private static final Logger log = LoggerFactory.getLogger(CarriedEmbeddings.class);

  private final DataKeys keys;

  CarriedEmbeddings(DataKeys keys) {
    this.keys = keys;
  }

  /**
   * {@code command} carrying its embedding in the clear: itself, or with its sealed embedding
   * opened; empty when that does not open. The tenant's key is had first: a failure to have it
   * (PostgreSQL away, a KEK missing) is thrown as it is, never taken for a sealed embedding that
   * does not open.
   */
  Optional<FaceRegister> inTheClear(FaceRegister command) {
    if (command.sealedEmbedding().isEmpty()) {
      return Optional.of(command);
    }
    return open(command, command.externalId(), command.sealedEmbedding().get())
        .map(command::withEmbedding);
  }

  /** {@code command} carrying its probe in the clear, as {@link #inTheClear(FaceRegister)}. */
  Optional<FaceVerify> inTheClear(FaceVerify command) {
    if (command.sealedEmbedding().isEmpty()) {
      return Optional.of(command);
    }
    return open(command, command.externalId(), command.sealedEmbedding().get())
        .map(command::withEmbedding);
  }

  /** {@code embedding} sealed for a command of {@code tenant} about {@code externalId}. */
  SealedEmbedding seal(TenantId tenant, ExternalId externalId, Embedding embedding) {
    return SealedEmbedding.of(
        keys.of(tenant).sealEmbedding(embedding, AssociatedData.command(tenant, externalId)));
  }

  /** The refusal of a command whose sealed embedding does not open. */
  static Refusal doesNotOpen() {
    return Refusal.of(
        RejectionReason.INVALID_EMBEDDING,
        "sealed_embedding does not open under the tenant's data key: it was altered, sealed for"
            + " another tenant or external_id, or sealed before the tenant was erased; send the"
            + " embedding in the clear");
  }

  private Optional<Embedding> open(
      FaceCommand command, ExternalId externalId, SealedEmbedding sealed) {
    TenantId tenant = command.tenantId();
    DataKey key = keys.of(tenant);
    try {
      return Optional.of(
          key.openEmbedding(sealed.toBytes(), AssociatedData.command(tenant, externalId)));
    } catch (SealException e) {
      log.info("the sealed embedding of a {} does not open: {}", command.type(), e.getMessage());
      return Optional.empty();
    }
  }
}
