package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rekko.schema.RejectionReason;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RefusalTest {
  /** And {@code processing_failed}, which answers a dead letter and is never ledgered. */
  private static final Set<RejectionReason> DECIDED_BY_THE_STORE_OR_THE_CODEC =
      EnumSet.of(
          RejectionReason.QUOTA_EXCEEDED,
          RejectionReason.ALREADY_REGISTERED,
          RejectionReason.FACE_NOT_FOUND,
          RejectionReason.INVALID_COMMAND,
          RejectionReason.COMMAND_ID_REUSED,
          RejectionReason.PROCESSING_FAILED);

  @Test
  void everyReasonDecidedBeforeTheStoreHasALedgerCodeWithTheSameReason() {
    for (RejectionReason reason : RejectionReason.values()) {
      Refusal refusal = Refusal.of(reason, "why");
      if (DECIDED_BY_THE_STORE_OR_THE_CODEC.contains(reason)) {
        assertThrows(IllegalStateException.class, refusal::outcomeCode);
      } else {
        assertEquals(reason.wireName(), refusal.outcomeCode().reason());
      }
    }
  }
}
