package io.rekko.worker.command;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.DeadLetterHeaders;
import io.rekko.schema.DecodeLimits;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.engine.DeadLetterValue;
import io.rekko.worker.engine.DeadLetterValues;
import io.rekko.worker.support.MetricNames;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's {@link DeadLetterValues}: a dead letter never carries an embedding in the clear.
 *
 * <ul>
 *   <li>A value that is a JSON object with no embedding in it (no {@code payload.embedding}, no
 *       array holding a number anywhere) is kept as read: there is nothing to hide.
 *   <li>A command whose only embedding is a {@code payload.embedding} of numbers, whose {@code
 *       tenant_id} and {@code payload.external_id} are valid, and whose tenant exists, keeps all
 *       its fields but that one, which becomes {@code payload.sealed_embedding} (sealed under the
 *       tenant's data key, bound to the tenant and external id): the dead letter can be sent again,
 *       corrected if need be, and the worker opens it.
 *   <li>Anything else is replaced by its length and SHA-256 ({@link DeadLetterValue#digestOf}): not
 *       JSON, larger than the decoder takes, an embedding that is not an array of finite numbers or
 *       an array of numbers under another name (an embedding the contract does not know), both
 *       forms at once, an unknown tenant, a key that cannot be had now (PostgreSQL away), anything
 *       unexpected. Such a dead letter cannot be sent again; its error headers still say what was
 *       wrong.
 * </ul>
 *
 * <p>It never throws and may block on PostgreSQL (the engine calls it on a handler thread). Logs
 * say which form a value took and why, never a value.
 */
final class DeadLetterSealing implements DeadLetterValues {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterSealing.class);

  /** Deeper than any valid command nests, and bounded as the decoder's parser is. */
  private static final int MAX_NESTING_DEPTH = 32;

  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                  .build())
          // The rest of the value is kept, so numbers are kept exactly as written.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // A duplicate key could hide a second embedding behind the one sealed.
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  private final Predicate<TenantId> tenantExists;
  private final CarriedEmbeddings embeddings;
  private final int maxValueBytes;
  private final Map<String, Counter> written;

  /**
   * @param tenantExists whether a tenant exists (a store read: it may throw when PostgreSQL is
   *     away)
   * @param limits the decoder's: a value larger than it takes is not parsed here either
   */
  DeadLetterSealing(
      Predicate<TenantId> tenantExists,
      CarriedEmbeddings embeddings,
      DecodeLimits limits,
      MeterRegistry registry) {
    this.tenantExists = tenantExists;
    this.embeddings = embeddings;
    this.maxValueBytes = limits.maxMessageBytes();
    this.written =
        Map.of(
            DeadLetterHeaders.VALUE_AS_READ, counter(registry, DeadLetterHeaders.VALUE_AS_READ),
            DeadLetterHeaders.VALUE_SEALED, counter(registry, DeadLetterHeaders.VALUE_SEALED),
            DeadLetterHeaders.VALUE_DIGEST, counter(registry, DeadLetterHeaders.VALUE_DIGEST));
  }

  @Override
  public DeadLetterValue of(ConsumerRecord<byte[], byte[]> record) {
    DeadLetterValue value;
    try {
      value = transform(record.value());
    } catch (RuntimeException e) {
      value = digest("it could not be sealed: " + e, record.value());
    }
    written.get(value.form()).increment();
    return value;
  }

  private DeadLetterValue transform(byte[] value) {
    if (value == null) {
      return DeadLetterValue.asRead(null);
    }
    if (value.length > maxValueBytes) {
      return digest("it is larger than the decoder takes", value);
    }
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (IOException e) {
      return digest("it is not one JSON document", value);
    }
    if (!(root instanceof ObjectNode message)) {
      return digest("it is not a JSON object", value);
    }
    JsonNode payload = message.get("payload");
    JsonNode embedding = payload == null ? null : payload.get("embedding");
    boolean clear = embedding != null && !embedding.isNull();
    if (!clear) {
      return holdsNumberArray(message)
          ? digest("it holds an array of numbers, which may be an embedding", value)
          : DeadLetterValue.asRead(value);
    }
    Optional<String> unsealable = unsealable(message, (ObjectNode) payload, embedding);
    if (unsealable.isPresent()) {
      return digest(unsealable.get(), value);
    }
    TenantId tenant = TenantId.of(message.get("tenant_id").asText());
    if (!tenantExists.test(tenant)) {
      return digest("its tenant does not exist", value);
    }
    ExternalId externalId = ExternalId.of(payload.get("external_id").asText());
    String sealed = embeddings.seal(tenant, externalId, Embedding.of(floats(embedding))).toBase64();
    message.set("payload", withSealed((ObjectNode) payload, sealed));
    log.debug("dead letter keeps its embedding sealed");
    return DeadLetterValue.sealed(bytes(message));
  }

  /** Why {@code embedding} cannot be sealed in place, if it cannot. */
  private static Optional<String> unsealable(
      ObjectNode message, ObjectNode payload, JsonNode embedding) {
    JsonNode tenant = message.get("tenant_id");
    if (tenant == null || !tenant.isTextual() || !TenantId.isValid(tenant.asText())) {
      return Optional.of("its tenant_id is not a valid tenant id");
    }
    JsonNode externalId = payload.get("external_id");
    if (externalId == null || !externalId.isTextual() || !ExternalId.isValid(externalId.asText())) {
      return Optional.of("its payload.external_id is not a valid external id");
    }
    JsonNode sealed = payload.get("sealed_embedding");
    if (sealed != null && !sealed.isNull()) {
      return Optional.of("it carries both embedding and sealed_embedding");
    }
    if (!isFiniteNonZeroFloats(embedding)) {
      return Optional.of("its embedding is not an array of finite 32-bit floats, not all zero");
    }
    ObjectNode rest = message.deepCopy();
    ((ObjectNode) rest.get("payload")).remove("embedding");
    if (holdsNumberArray(rest)) {
      return Optional.of("it holds another array of numbers, which may be an embedding");
    }
    return Optional.empty();
  }

  private static boolean isFiniteNonZeroFloats(JsonNode embedding) {
    if (!embedding.isArray() || embedding.isEmpty()) {
      return false;
    }
    boolean nonZero = false;
    for (JsonNode value : embedding) {
      if (!value.isNumber()) {
        return false;
      }
      float f = value.floatValue();
      if (!Float.isFinite(f)) {
        return false;
      }
      nonZero |= f != 0;
    }
    return nonZero;
  }

  /** Whether any array below {@code node} holds a number. */
  private static boolean holdsNumberArray(JsonNode node) {
    if (node.isArray()) {
      for (JsonNode element : node) {
        if (element.isNumber() || holdsNumberArray(element)) {
          return true;
        }
      }
      return false;
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (holdsNumberArray(field.getValue())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The values rounded to 32-bit floats, as the decoder rounds them. */
  private static float[] floats(JsonNode embedding) {
    float[] values = new float[embedding.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = embedding.get(i).floatValue();
    }
    return values;
  }

  /** {@code payload} with {@code sealed_embedding} where {@code embedding} was, order kept. */
  private static ObjectNode withSealed(ObjectNode payload, String sealed) {
    ObjectNode rewritten = JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> field : payload.properties()) {
      if (field.getKey().equals("embedding")) {
        rewritten.put("sealed_embedding", sealed);
      } else {
        rewritten.set(field.getKey(), field.getValue());
      }
    }
    return rewritten;
  }

  private static byte[] bytes(JsonNode message) {
    try {
      return JSON.writeValueAsBytes(message);
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory cannot fail", e);
    }
  }

  private static DeadLetterValue digest(String why, byte[] value) {
    log.info("dead letter keeps only the length and SHA-256 of its value: {}", why);
    return DeadLetterValue.digestOf(value);
  }

  private static Counter counter(MeterRegistry registry, String form) {
    return MetricNames.DEAD_LETTER_VALUES.counter(registry, "form", form);
  }
}
