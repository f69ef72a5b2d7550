package io.rekko.worker.redis;

import io.rekko.schema.CommandType;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The compact binary forms of cached values: a format byte, then fixed-width big-endian fields; a
 * face's embedding as the sealed bytes the command layer gives (opaque here; a 512-float embedding
 * seals to about 2 KB, against about 5 KB as JSON text), after a 4-byte length; strings as a 2-byte
 * length and UTF-8.
 *
 * <p>The version is not part of the bytes: it lives beside them in the entry (see {@link
 * VersionedCache}), where the scripts compare it. A value in an unknown format (written by a newer
 * worker during a rolling upgrade) decodes to an {@link IllegalArgumentException}, which the cache
 * treats as a miss. So does a face in the format of releases before encryption at rest ({@code
 * FACE_V1}, a plaintext embedding): it is refused, never read, and ages out with its TTL.
 */
final class CacheCodec {
  /** Format 1 held the embedding in plaintext; its entries are refused as unknown. */
  private static final byte FACE_V2 = 2;

  private static final byte TENANT_V1 = 1;

  /**
   * {@link #TENANT_V1} followed by the time of the erasure that came before the tenant (seconds and
   * nanoseconds): written only for a tenant created again after an erasure, so a worker of the
   * previous release, which reads only V1, misses (and reads the store) for those tenants alone.
   */
  private static final byte TENANT_V2 = 2;

  private CacheCodec() {}

  static byte[] encodeFace(CachedFace face) {
    return write(
        out -> {
          out.writeByte(FACE_V2);
          byte[] sealed = face.sealedEmbedding();
          out.writeInt(sealed.length);
          out.write(sealed);
          writeMap(out, new TreeMap<>(face.metadata()));
        });
  }

  static CachedFace decodeFace(long version, byte[] bytes) {
    return read(
        bytes,
        in -> {
          format(in, FACE_V2, "face");
          int length = in.getInt();
          if (length < 1 || length > in.remaining()) {
            throw new IllegalArgumentException("face entry has a bad embedding length " + length);
          }
          byte[] sealed = new byte[length];
          in.get(sealed);
          int entries = Short.toUnsignedInt(in.getShort());
          Map<String, String> metadata = new LinkedHashMap<>();
          for (int i = 0; i < entries; i++) {
            metadata.put(readString(in), readString(in));
          }
          return new CachedFace(version, sealed, metadata);
        });
  }

  static byte[] encodeTenant(CachedTenant tenant) {
    TenantConfig config = tenant.config();
    return write(
        out -> {
          out.writeByte(tenant.erasedAt().isPresent() ? TENANT_V2 : TENANT_V1);
          out.writeBoolean(tenant.suspended());
          // At most TenantConfig.MAX_FACES_LIMIT, which fits the format's int.
          out.writeInt(Math.toIntExact(config.maxFaces()));
          out.writeDouble(config.verifyThreshold());
          out.writeInt(config.embeddingDimension());
          out.writeDouble(config.minQuality());
          out.writeBoolean(config.requireLiveness());
          Map<CommandType, RateLimit> limits = config.rateLimits();
          out.writeShort(checkedCount(limits.size()));
          for (Map.Entry<CommandType, RateLimit> limit : limits.entrySet()) {
            writeString(out, limit.getKey().wireName());
            out.writeLong(limit.getValue().limit());
            out.writeLong(limit.getValue().windowMs());
          }
          if (tenant.erasedAt().isPresent()) {
            out.writeLong(tenant.erasedAt().get().getEpochSecond());
            out.writeInt(tenant.erasedAt().get().getNano());
          }
        });
  }

  static CachedTenant decodeTenant(long version, byte[] bytes) {
    return read(
        bytes,
        in -> {
          byte format = in.get();
          if (format != TENANT_V1 && format != TENANT_V2) {
            throw new IllegalArgumentException("tenant entry has unknown format " + format);
          }
          boolean suspended = in.get() != 0;
          int maxFaces = in.getInt();
          double verifyThreshold = in.getDouble();
          int embeddingDimension = in.getInt();
          double minQuality = in.getDouble();
          boolean requireLiveness = in.get() != 0;
          int count = Short.toUnsignedInt(in.getShort());
          Map<CommandType, RateLimit> limits = new EnumMap<>(CommandType.class);
          for (int i = 0; i < count; i++) {
            String type = readString(in);
            limits.put(
                CommandType.fromWireName(type)
                    .orElseThrow(
                        () -> new IllegalArgumentException("unknown command type " + type)),
                new RateLimit(in.getLong(), in.getLong()));
          }
          Optional<Instant> erasedAt =
              format == TENANT_V2
                  ? Optional.of(Instant.ofEpochSecond(in.getLong(), in.getInt()))
                  : Optional.empty();
          return new CachedTenant(
              version,
              suspended,
              new TenantConfig(
                  maxFaces,
                  limits,
                  verifyThreshold,
                  embeddingDimension,
                  minQuality,
                  requireLiveness),
              erasedAt);
        });
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(ByteBuffer in);
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] bytes, Reader<T> reader) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    T value;
    try {
      value = reader.read(in);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("cache entry is truncated", e);
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(
          "cache entry has " + in.remaining() + " unexpected trailing bytes");
    }
    return value;
  }

  private static void format(ByteBuffer in, byte expected, String what) {
    byte format = in.get();
    if (format != expected) {
      throw new IllegalArgumentException(what + " entry has unknown format " + format);
    }
  }

  private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
    out.writeShort(checkedCount(map.size()));
    for (Map.Entry<String, String> entry : map.entrySet()) {
      writeString(out, entry.getKey());
      writeString(out, entry.getValue());
    }
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > 0xFFFF) {
      throw new IllegalArgumentException("cached strings are at most 65535 UTF-8 bytes");
    }
    out.writeShort(utf8.length);
    out.write(utf8);
  }

  private static String readString(ByteBuffer in) {
    byte[] utf8 = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private static int checkedCount(int count) {
    if (count > 0xFFFF) {
      throw new IllegalArgumentException("cached maps hold at most 65535 entries");
    }
    return count;
  }
}
