package io.rekko.worker.crypto;

import java.util.Objects;

/** A data key as stored: sealed under the key-encryption key named {@code kekId}. */
public record WrappedKey(String kekId, byte[] sealed) {
  public WrappedKey {
    Objects.requireNonNull(kekId, "kekId");
    Objects.requireNonNull(sealed, "sealed");
  }
}
