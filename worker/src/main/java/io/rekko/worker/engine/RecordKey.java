package io.rekko.worker.engine;

import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The identity that orders records: equal key bytes are one key, in any partition.
 *
 * <p>A record without a key gets a key equal only to itself, so it is ordered after nothing and
 * nothing waits for it. That is the only reading that keeps a keyless topic parallel; producers
 * that need order must set a key.
 */
final class RecordKey {
  private final byte[] bytes;
  private final int hash;

  private RecordKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = bytes == null ? System.identityHashCode(this) : Arrays.hashCode(bytes);
  }

  static RecordKey of(ConsumerRecord<byte[], byte[]> record) {
    return of(record.key());
  }

  /** The key of these bytes; {@code null} gives a fresh key equal to no other. */
  static RecordKey of(byte[] bytes) {
    return new RecordKey(bytes == null ? null : bytes.clone());
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof RecordKey that
        && bytes != null
        && that.bytes != null
        && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    // Keys may carry tenant ids; a length is enough to tell them apart in a debugger.
    return bytes == null ? "RecordKey[none]" : "RecordKey[" + bytes.length + " bytes]";
  }
}
