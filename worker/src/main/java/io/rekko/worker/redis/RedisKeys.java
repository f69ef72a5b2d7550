package io.rekko.worker.redis;

import io.rekko.schema.CommandType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every Redis key the worker uses, built only from validated ids, so that no input can reach into
 * another tenant's keys.
 *
 * <p>Layout: {@code rekko:<tenant_id>:<resource>:<id>}, where {@code <id>} starts with a hash tag
 * (the part in braces, which alone decides a key's Cluster slot):
 *
 * <pre>{@code
 * key                                       holds                      TTL
 * rekko:<t>:lock:{<t>/<x>}                  lock token                 lock, renewed while held
 * rekko:<t>:fence:{<t>/<x>}                 fencing counter            fence
 * rekko:<t>:face:{<t>/<x>}:<gen>            cached face or tombstone   face
 * rekko:<t>:cache-gen:{<t>}                 cache generation           2 x longest cache TTL
 * rekko:<t>:cache-gens:{<t>}                recent generations (zset)  4 x longest cache TTL
 * rekko:<t>:config:{<t>}:<gen>              cached tenant config       tenant config
 * rekko:<t>:api-key:{<t>}:<gen>:<key_id>    cached API-key validity    API key
 * rekko:<t>:api-key-ids:{<t>}               key ids cached (zset)      4 x longest cache TTL
 * rekko:<t>:rate:{<t>}:<command_type>       sliding-window log         the window
 * rekko:<t>:face-count:{<t>}                cached face count          face count
 * rekko:<t>:requests:{<t>}:<yyyy-mm-dd>     daily request count        daily counters
 * rekko:<t>:events:{rekko:events:<t>}       event stream (replay)      event stream, renewed on append
 * rekko:global:usage:<yyyy-mm-dd>           daily usage ranking        daily counters
 * }</pre>
 *
 * ({@code <t>} tenant id, {@code <x>} external id, {@code <gen>} the tenant's cache generation.)
 *
 * <p><b>Erasure.</b> A tenant's erasure deletes its keys by name, with no {@code SCAN} (which the
 * worker's ACL does not grant: it would list every key of the server): the per-face keys of every
 * external id the store fenced, in every generation the log {@code cache-gens} names; the API-key
 * entries of every key id the log {@code api-key-ids} names; and the tenant-wide keys, whose names
 * are known ({@link RedisErasure}).
 *
 * <p><b>Hash tags.</b> Per-face keys are tagged {@code {<tenant>/<external_id>}} (the Kafka record
 * key of face commands): the lock and its fencing counter, which one script updates together, land
 * in one slot, while a large tenant's faces spread over the whole Cluster. Tenant-wide keys are
 * tagged {@code {<tenant>}}. The event stream is tagged with the name of the tenant's channel,
 * {@code {rekko:events:<tenant>}}: it lands in the slot of the sharded channel, so one script on
 * the master that owns both appends and publishes. Neither id can contain a brace or a colon, so a
 * tag always ends where intended and a segment never spills into the next.
 *
 * <p><b>The one global family</b> is {@code rekko:global:usage:<day>}, the day's ranking of tenants
 * by requests; it holds tenant ids as members, never tenant data. A tenant may be called {@code
 * global}: its keys cannot collide with the family because no tenant resource is named {@code
 * usage}.
 */
final class RedisKeys {
  static final String PREFIX = "rekko:";
  static final String GLOBAL_USAGE_PREFIX = PREFIX + "global:usage:";

  static final String LOCK = "lock";
  static final String FENCE = "fence";
  static final String FACE = "face";
  static final String CACHE_GENERATION = "cache-gen";
  static final String CACHE_GENERATION_LOG = "cache-gens";
  static final String TENANT_CONFIG = "config";
  static final String API_KEY = "api-key";
  static final String API_KEY_LOG = "api-key-ids";
  static final String RATE = "rate";
  static final String FACE_COUNT = "face-count";
  static final String REQUESTS = "requests";
  static final String EVENTS = "events";

  /** Never a tenant resource: it would let a tenant called {@code global} reach the family. */
  static final String RESERVED = "usage";

  /** Every tenant resource the worker uses. */
  static final Set<String> RESOURCES =
      Set.of(
          LOCK,
          FENCE,
          FACE,
          CACHE_GENERATION,
          CACHE_GENERATION_LOG,
          TENANT_CONFIG,
          API_KEY,
          API_KEY_LOG,
          RATE,
          FACE_COUNT,
          REQUESTS,
          EVENTS);

  /** The contract's command types, valid without a regular expression (the rate-limit keys). */
  private static final Set<String> VALID_COMMAND_TYPES =
      Arrays.stream(CommandType.values()).map(CommandType::wireName).collect(Collectors.toSet());

  private static final Pattern COMMAND_TYPE =
      Pattern.compile("[a-z][a-z0-9_]{0,31}(\\.[a-z][a-z0-9_]{0,31}){0,3}");
  private static final Pattern GLOBAL_USAGE =
      Pattern.compile(Pattern.quote(GLOBAL_USAGE_PREFIX) + "\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern TENANT_KEY =
      Pattern.compile("rekko:([^:{}]+):([a-z][a-z-]*):\\{([^{}]+)\\}(.*)");

  private RedisKeys() {}

  static String lock(TenantId tenant, ExternalId externalId) {
    return faceKey(tenant, LOCK, externalId);
  }

  static String fence(TenantId tenant, ExternalId externalId) {
    return faceKey(tenant, FENCE, externalId);
  }

  static String face(TenantId tenant, ExternalId externalId, String generation) {
    return faceKey(tenant, FACE, externalId) + ":" + generation(generation);
  }

  static String cacheGeneration(TenantId tenant) {
    return tenantKey(tenant, CACHE_GENERATION);
  }

  /** The log of the tenant's recent cache generations ({@link CacheGenerations}). */
  static String cacheGenerationLog(TenantId tenant) {
    return tenantKey(tenant, CACHE_GENERATION_LOG);
  }

  static String tenantConfig(TenantId tenant, String generation) {
    return tenantKey(tenant, TENANT_CONFIG) + ":" + generation(generation);
  }

  /**
   * The tenant's config key without its generation: {@link TenantView} reads the generation and the
   * entry in one script, which appends the generation it read.
   */
  static String tenantConfigPrefix(TenantId tenant) {
    return tenantKey(tenant, TENANT_CONFIG) + ":";
  }

  static String apiKey(TenantId tenant, String generation, String apiKeyId) {
    return tenantKey(tenant, API_KEY) + ":" + generation(generation) + ":" + apiKeyId(apiKeyId);
  }

  /** The log of the API-key ids the tenant's cache holds entries for, in any generation. */
  static String apiKeyLog(TenantId tenant) {
    return tenantKey(tenant, API_KEY_LOG);
  }

  /**
   * The log record of an API-key entry, from the entry's key ({@link #apiKey}): the tenant's {@link
   * #apiKeyLog} and the key id.
   */
  static VersionedCache.Log apiKeyLogRecord(String apiKeyEntry, Duration ttl) {
    int open = apiKeyEntry.indexOf('{');
    int close = apiKeyEntry.indexOf('}', open);
    if (!apiKeyEntry.startsWith(PREFIX) || open < 0 || close < 0) {
      throw new IllegalArgumentException("not an API-key entry: " + apiKeyEntry);
    }
    TenantId tenant = TenantId.of(apiKeyEntry.substring(open + 1, close));
    String keyId = apiKeyId(apiKeyEntry.substring(apiKeyEntry.lastIndexOf(':') + 1));
    return new VersionedCache.Log(apiKeyLog(tenant), keyId, ttl);
  }

  static String rateWindow(TenantId tenant, String commandType) {
    return tenantKey(tenant, RATE) + ":" + commandType(commandType);
  }

  static String faceCount(TenantId tenant) {
    return tenantKey(tenant, FACE_COUNT);
  }

  static String dailyRequests(TenantId tenant, LocalDate day) {
    return tenantKey(tenant, REQUESTS) + ":" + Objects.requireNonNull(day, "day");
  }

  /**
   * The tenant's event stream ({@link Topics#eventStream}), tagged with its channel's name so that
   * both share a slot.
   */
  static String eventStream(TenantId tenant) {
    return Topics.eventStream(tenant);
  }

  static String globalUsage(LocalDate day) {
    return GLOBAL_USAGE_PREFIX + Objects.requireNonNull(day, "day");
  }

  /**
   * True when {@code key} follows the layout above: the global family, the event stream {@code
   * rekko:<valid tenant>:events:{rekko:events:<same tenant>}}, or {@code rekko:<valid
   * tenant>:<resource>:{<same tenant>...}...} with a resource other than {@code usage}. The
   * keyspace guard of the tests holds every key in Redis to this.
   */
  static boolean isWellFormed(String key) {
    if (GLOBAL_USAGE.matcher(key).matches()) {
      return true;
    }
    Matcher m = TENANT_KEY.matcher(key);
    if (!m.matches() || !TenantId.isValid(m.group(1)) || m.group(2).equals(RESERVED)) {
      return false;
    }
    String tenant = m.group(1);
    String tag = m.group(3);
    if (m.group(2).equals(EVENTS)) {
      return tag.equals(PREFIX + "events:" + tenant) && m.group(4).isEmpty();
    }
    return tag.equals(tenant) || tag.startsWith(tenant + "/");
  }

  /** Validates an API-key id for use in a key: the external-id alphabet, 1 to 128 characters. */
  static String apiKeyId(String apiKeyId) {
    if (!ExternalId.isValid(apiKeyId)) {
      throw new IllegalArgumentException(
          "api_key_id must match " + ExternalId.PATTERN + " to be part of a Redis key");
    }
    return apiKeyId;
  }

  /** Validates a command type for use in a key: dotted lower-case words, e.g. face.register. */
  static String commandType(String commandType) {
    if (commandType == null
        || !(VALID_COMMAND_TYPES.contains(commandType)
            || COMMAND_TYPE.matcher(commandType).matches())) {
      throw new IllegalArgumentException(
          "command type must be dotted lower-case words (e.g. face.register), was '"
              + commandType
              + "'");
    }
    return commandType;
  }

  private static String generation(String generation) {
    if (!isGeneration(generation)) {
      throw new IllegalArgumentException("cache generation must be 16 hex digits");
    }
    return generation;
  }

  /** 16 lower-case hex digits; a loop rather than a regular expression: every cache key asks. */
  private static boolean isGeneration(String generation) {
    if (generation == null || generation.length() != 16) {
      return false;
    }
    for (int i = 0; i < 16; i++) {
      char c = generation.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static String faceKey(TenantId tenant, String resource, ExternalId externalId) {
    Objects.requireNonNull(externalId, "externalId");
    return PREFIX
        + tenant.value()
        + ":"
        + resource
        + ":{"
        + tenant.value()
        + "/"
        + externalId.value()
        + "}";
  }

  private static String tenantKey(TenantId tenant, String resource) {
    return PREFIX + tenant.value() + ":" + resource + ":{" + tenant.value() + "}";
  }
}
