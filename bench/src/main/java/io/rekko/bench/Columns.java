package io.rekko.bench;

import io.rekko.schema.TenantConfig;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Values in the form the worker's columns hold them, for {@link WorkerSql}: the two {@code jsonb}
 * columns (as its Json), UTC timestamps. (Embeddings are sealed by the worker's own DataKey.)
 */
final class Columns {
  private Columns() {}

  static OffsetDateTime timestamp(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** A face's metadata as a JSON object; the contract keeps it a small string map. */
  static String metadata(Map<String, String> metadata) {
    StringBuilder json = new StringBuilder("{");
    metadata.forEach(
        (key, value) -> {
          if (json.length() > 1) {
            json.append(',');
          }
          quote(json, key).append(':');
          quote(json, value);
        });
    return json.append('}').toString();
  }

  /** {@code {"<command type>": {"limit": n, "window_ms": n}}}, the worker's shape. */
  static String rateLimits(TenantConfig config) {
    StringBuilder json = new StringBuilder("{");
    config
        .rateLimits()
        .forEach(
            (type, limit) -> {
              if (json.length() > 1) {
                json.append(',');
              }
              quote(json, type.wireName())
                  .append(":{\"limit\":")
                  .append(limit.limit())
                  .append(",\"window_ms\":")
                  .append(limit.windowMs())
                  .append('}');
            });
    return json.append('}').toString();
  }

  private static StringBuilder quote(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"');
  }
}
