package io.rekko.schema;

import java.util.Objects;

/**
 * Commands to and from Kafka record values (UTF-8 JSON, {@code rekko.command.v1}).
 *
 * <p>{@link #decode} never throws for any input: whatever a producer sends becomes either a valid
 * {@link Command} whose record key matches it, or a {@link DecodeError} with a code from the closed
 * list {@link DecodeErrorCode}. Its cost is linear in the message size, which is bounded by {@link
 * DecodeLimits#maxMessageBytes()}. Unknown fields are ignored; an unknown {@code type} or {@code
 * schema} is an error. Thread-safe and stateless: share one instance.
 */
public final class CommandCodec {
  private final DecodeLimits limits;
  private final CommandReader reader;

  public CommandCodec(DecodeLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.reader = new CommandReader(limits);
  }

  /** A codec with {@link DecodeLimits#DEFAULTS}, the limits the JSON Schema files publish. */
  public static CommandCodec withDefaults() {
    return new CommandCodec(DecodeLimits.DEFAULTS);
  }

  public DecodeLimits limits() {
    return limits;
  }

  /**
   * The command in {@code value}, if it is valid and {@code recordKey} is the key it must be sent
   * with ({@link Command#recordKey()}); a null key is a {@code key_mismatch}.
   */
  public DecodeResult decode(String recordKey, byte[] value) {
    JsonValue.Obj root = null;
    try {
      root = JsonValueReader.read(value, limits.maxMessageBytes());
      Command command = reader.read(root);
      requireKey(recordKey, command);
      return new DecodeResult.Decoded(command);
    } catch (Violation violation) {
      return new DecodeResult.Invalid(CommandReader.describe(violation, root));
    }
  }

  /**
   * The command in {@code value}, if it is valid, whatever record key it will be sent with: for a
   * producer, which takes the key from the command ({@link Command#recordKey()}) instead of
   * checking one. Never throws, like {@link #decode}; never returns {@code key_mismatch}.
   */
  public DecodeResult decodeUnkeyed(byte[] value) {
    JsonValue.Obj root = null;
    try {
      root = JsonValueReader.read(value, limits.maxMessageBytes());
      return new DecodeResult.Decoded(reader.read(root));
    } catch (Violation violation) {
      return new DecodeResult.Invalid(CommandReader.describe(violation, root));
    }
  }

  /** The canonical UTF-8 JSON of {@code command}; send it with key {@link Command#recordKey()}. */
  public byte[] encode(Command command) {
    return CommandWriter.write(Objects.requireNonNull(command, "command"));
  }

  private static void requireKey(String recordKey, Command command) {
    String expected = command.recordKey();
    if (recordKey == null || !recordKey.equals(expected)) {
      String shape = command.type().isFaceKeyed() ? "<tenant_id>/<external_id>" : "<tenant_id>";
      throw new Violation(
          DecodeErrorCode.KEY_MISMATCH,
          "",
          "recordKey",
          (recordKey == null
                  ? "the record has no key"
                  : "the record key does not match the message")
              + "; a "
              + command.type().wireName()
              + " must be keyed "
              + shape
              + ", here \""
              + expected
              + "\"");
    }
  }
}
