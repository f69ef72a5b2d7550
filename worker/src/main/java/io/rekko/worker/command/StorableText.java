package io.rekko.worker.command;

import io.rekko.schema.DecodeError;
import io.rekko.schema.DecodeResult;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.TenantResume;
import io.rekko.schema.TenantSuspend;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses, as an invalid message, a command holding U+0000 in free text the store keeps: a face's
 * metadata (a {@code jsonb} column) and a suspension's or resumption's reason (a {@code text}
 * column). PostgreSQL cannot hold that character in either, so the command's unit of work would
 * fail at every attempt and it would end as a {@code handler_failed} dead letter, after blocking
 * its key through every retry, and its tenant would hear only {@code processing_failed}, which
 * sending it again could never mend. The contract lets these texts hold any character; ids cannot
 * hold it by their patterns.
 */
final class StorableText {
  private static final char NUL = '\u0000';

  private StorableText() {}

  /** {@code result}, or the {@code noNulCharacter} error of the first text holding U+0000. */
  static DecodeResult check(DecodeResult result) {
    if (!(result instanceof DecodeResult.Decoded ok)) {
      return result;
    }
    Optional<DecodeError> error =
        switch (ok.command()) {
          case FaceRegister register -> inMetadata(register);
          case TenantSuspend suspend ->
              holdsNul(suspend.reason())
                  ? Optional.of(DecodeError.nulCharacter(suspend, "payload", "reason"))
                  : Optional.empty();
          case TenantResume resume ->
              holdsNul(resume.reason())
                  ? Optional.of(DecodeError.nulCharacter(resume, "payload", "reason"))
                  : Optional.empty();
          default -> Optional.empty();
        };
    return error.<DecodeResult>map(DecodeResult.Invalid::new).orElse(result);
  }

  private static Optional<DecodeError> inMetadata(FaceRegister register) {
    for (Map.Entry<String, String> entry : register.metadata().entrySet()) {
      if (holdsNul(entry.getKey()) || holdsNul(entry.getValue())) {
        return Optional.of(DecodeError.nulCharacter(register, "payload.metadata", entry.getKey()));
      }
    }
    return Optional.empty();
  }

  private static boolean holdsNul(String text) {
    return text.indexOf(NUL) >= 0;
  }
}
