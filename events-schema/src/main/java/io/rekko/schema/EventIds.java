package io.rekko.schema;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Event ids derived from the command they answer, so a re-emitted outcome (a redelivered command,
 * an outbox row relayed twice) carries the same id and subscribers can drop the duplicate.
 *
 * <p>The id is a name-based UUID, version 5 (SHA-1, RFC 9562), in the namespace {@link #NAMESPACE},
 * of the UTF-8 name {@code <command_id>/<event type>} with the command id in lower-case canonical
 * form, e.g. {@code 0b6f2b7e-3c1d-4a5e-9f00-1234567890ab/face.registered}. Any language with a UUID
 * v5 function computes the same id.
 */
public final class EventIds {
  /** The UUID v5 namespace of Rekko event ids. */
  public static final UUID NAMESPACE = UUID.fromString("910db189-a8f1-43bc-923b-f719e75dea6a");

  private EventIds() {}

  /** The id of the {@code eventType} event that answers command {@code commandId}. */
  public static UUID of(UUID commandId, EventType eventType) {
    return nameBased(NAMESPACE, commandId + "/" + eventType.wireName());
  }

  /** A version 5 (SHA-1) name-based UUID. */
  static UUID nameBased(UUID namespace, String name) {
    MessageDigest sha1 = sha1();
    sha1.update(
        ByteBuffer.allocate(16)
            .putLong(namespace.getMostSignificantBits())
            .putLong(namespace.getLeastSignificantBits())
            .array());
    byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
    ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bytes.getLong(), bytes.getLong());
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-1 (MessageDigest's documented requirements).
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }
}
