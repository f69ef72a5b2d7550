package io.rekko.worker.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rekko.schema.ApiKeyId;
import io.rekko.schema.ApiKeyRevoke;
import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.DecodeErrorCode;
import io.rekko.schema.DecodeLimits;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.SealedEmbedding;
import io.rekko.schema.TenantErase;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantResume;
import io.rekko.schema.TenantSuspend;
import io.rekko.schema.TenantUpsert;
import io.rekko.worker.e2e.FuzzMessage.Answer;
import io.rekko.worker.e2e.FuzzMessage.Fate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Hostile records for the commands topic, each made by a small named generator from one seeded
 * {@link Random}, each with the one fate the contract (events-schema/README.md) gives it: the dead
 * letter's code, field and rule, and whether its tenant hears {@code command.rejected} and why.
 *
 * <p>Records that name a tenant the workers serve go on the keys of the valid traffic's faces, so
 * they share partitions (and key queues) with it; whatever they are, that traffic's outcomes must
 * not change. Records that are valid commands refused by a tenant check (unknown tenant, expired, a
 * sealed embedding that does not open) carry no dead letter, only their rejection.
 */
final class HostileMessages {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_MESSAGE_BYTES = DecodeLimits.DEFAULTS.maxMessageBytes();
  private static final String RAW = "@@raw@@";

  /**
   * Strings that would break out of a Redis key or channel name, or a log line: each breaks the
   * pattern of every id (tenant, external and API key id).
   */
  static final List<String> INJECTIONS =
      List.of(
          ":",
          "{",
          "}",
          "*",
          "?",
          "\r\n",
          "\u0000",
          "a".repeat(300),
          "é",
          "\uD83D\uDE00",
          "rekko:other:faces",
          "rekko:events:victim",
          "x}:{y",
          "*:*",
          "a b",
          "id\u0000x",
          "\u202Eevil",
          "../..",
          "\\",
          "\"");

  /** A tenant served by the workers whose sealed embedding of {@code externalId} this is. */
  record Sealed(TenantId tenant, String externalId, String base64) {}

  /**
   * What the generators aim at.
   *
   * @param served tenants of the valid traffic (standard settings)
   * @param ghosts tenant ids no tenant has
   * @param metadata a served tenant with room for any number of faces, for valid oddities
   * @param wide a served tenant of the largest embedding dimension
   * @param anchors a served tenant whose registrations (sent before the run) lend their ids
   * @param sealed embeddings sealed by the workers for a tenant and face
   */
  record Targets(
      List<TenantId> served,
      List<TenantId> ghosts,
      TenantId metadata,
      TenantId wide,
      TenantId anchors,
      List<Sealed> sealed) {}

  private record Generator(int weight, Supplier<FuzzMessage> make) {}

  private final Random random;
  private final Targets targets;
  private final FaceTraffic traffic;
  private final Clock clock;
  private final CommandCodec codec = CommandCodec.withDefaults();
  private final Map<String, Generator> generators = new LinkedHashMap<>();
  private final List<FaceRegister> anchorRegistrations = new ArrayList<>();
  private int freshIds;
  private int totalWeight;

  HostileMessages(Random random, Targets targets, FaceTraffic traffic, Clock clock) {
    this.random = random;
    this.targets = targets;
    this.traffic = traffic;
    this.clock = clock;
    add("random bytes", 4, this::randomBytes);
    add("truncated json", 4, this::truncatedJson);
    add("over the size limit", 1, this::overTheSizeLimit);
    add("at the size limit", 1, this::atTheSizeLimit);
    add("deeply nested", 3, this::deeplyNested);
    add("non-finite literal", 3, this::nonFiniteLiteral);
    add("number out of range", 3, this::numberOutOfRange);
    add("wrong json type", 8, this::wrongJsonType);
    add("not an object", 1, this::notAnObject);
    add("duplicate key", 2, this::duplicateKey);
    add("wrong schema", 1, this::wrongSchema);
    add("unknown type", 3, this::unknownType);
    add("missing field", 6, this::missingField);
    add("other tenant in value", 3, this::otherTenantInValue);
    add("unknown tenant", 3, this::unknownTenant);
    add("injected tenant id", 3, this::injectedTenantId);
    add("injected external id", 3, this::injectedExternalId);
    add("injected api key id", 3, this::injectedApiKeyId);
    add("injected metadata", 2, this::injectedMetadata);
    add("embedding at max dimension", 1, this::embeddingAtMaxDimension);
    add("embedding beyond dimension limits", 2, this::embeddingBeyondDimensionLimits);
    add("metadata at the limits", 1, this::metadataAtTheLimits);
    add("metadata beyond the limits", 3, this::metadataBeyondTheLimits);
    add("issued in the future", 3, this::issuedInTheFuture);
    add("issued long ago", 3, this::issuedLongAgo);
    add("sealed that does not open", 3, this::sealedThatDoesNotOpen);
    add("sealed for another tenant or face", 3, this::sealedForAnotherTenantOrFace);
    add("malformed sealed embedding", 3, this::malformedSealedEmbedding);
    add("admin command on commands topic", 3, this::adminCommandOnCommandsTopic);
    add("reused command id", 2, this::reusedCommandId);
  }

  private void add(String name, int weight, Supplier<FuzzMessage> make) {
    generators.put(name, new Generator(weight, make));
    totalWeight += weight;
  }

  Set<String> names() {
    return generators.keySet();
  }

  /** A hostile record from a generator picked by weight. */
  FuzzMessage next() {
    int pick = random.nextInt(totalWeight);
    for (Map.Entry<String, Generator> generator : generators.entrySet()) {
      pick -= generator.getValue().weight();
      if (pick < 0) {
        FuzzMessage made = generator.getValue().make().get();
        return new FuzzMessage(
            generator.getKey(), made.key(), made.value(), made.commandId(), made.fate());
      }
    }
    throw new IllegalStateException("weights add up to " + totalWeight);
  }

  /** One record of the named generator (for tests of the generators themselves). */
  FuzzMessage next(String name) {
    FuzzMessage made = generators.get(name).make().get();
    return new FuzzMessage(name, made.key(), made.value(), made.commandId(), made.fate());
  }

  /**
   * The registrations whose command ids {@link #reusedCommandId} reuses: they must have their
   * outcome before the reusing records are sent.
   */
  List<FaceRegister> anchorRegistrations() {
    return List.copyOf(anchorRegistrations);
  }

  // ---- the generators ----

  /** Bytes that are never UTF-8 (they start with 0xFF): {@code invalid_json}. */
  private FuzzMessage randomBytes() {
    byte[] bytes = new byte[1 + random.nextInt(2048)];
    random.nextBytes(bytes);
    bytes[0] = (byte) 0xFF;
    return noCommand(
        traffic.anyFace().recordKey(), bytes, Fate.deadLetter(code(INVALID_JSON), "", "json"));
  }

  /** A valid command cut anywhere before its end. */
  private FuzzMessage truncatedJson() {
    Command command = faceCommand(traffic.anyFace());
    byte[] whole = codec.encode(command);
    byte[] cut = java.util.Arrays.copyOf(whole, random.nextInt(whole.length));
    return noCommand(command.recordKey(), cut, Fate.deadLetter(code(INVALID_JSON), "", "json"));
  }

  /** A valid command padded past the 64 KiB limit: not even parsed. */
  private FuzzMessage overTheSizeLimit() {
    Command command = faceCommand(traffic.anyFace());
    byte[] value = padded(command, MAX_MESSAGE_BYTES + 1 + random.nextInt(4096));
    return noCommand(
        command.recordKey(), value, Fate.deadLetter(code(TOO_LARGE), "", "maxMessageBytes"));
  }

  /**
   * A command of an unknown tenant padded to exactly 64 KiB: the limit is inclusive, so it is read
   * and refused by the tenant check.
   */
  private FuzzMessage atTheSizeLimit() {
    TenantId ghost = pick(targets.ghosts());
    Command command = faceCommand(ghost, FaceTraffic.externalId(random.nextInt(1000)));
    byte[] value = padded(command, MAX_MESSAGE_BYTES);
    return message(
        command,
        value,
        Fate.answer(Answer.rejected(ghost, command.commandId(), RejectionReason.TENANT_NOT_FOUND)));
  }

  /** An unknown field nested past the 16 levels the parser allows. */
  private FuzzMessage deeplyNested() {
    Command command = faceCommand(traffic.anyFace());
    int depth = 16 + random.nextInt(3000);
    boolean arrays = random.nextBoolean();
    String nested =
        arrays
            ? "[".repeat(depth) + "]".repeat(depth)
            : "{\"n\":".repeat(depth) + "1" + "}".repeat(depth);
    ObjectNode tree = tree(command);
    tree.put("nested", RAW);
    return message(
        command, withRaw(tree, nested), Fate.deadLetter(code(INVALID_JSON), "", "parserLimits"));
  }

  /** NaN or an infinity written as a literal, which JSON does not have. */
  private FuzzMessage nonFiniteLiteral() {
    FaceTraffic.Face face = traffic.anyFace();
    FaceRegister register = register(face.tenant(), face.externalId(), Vectors.DIMENSION);
    ObjectNode tree = tree(register);
    String literal = pick(List.of("NaN", "Infinity", "-Infinity", "+Infinity", "-NaN"));
    if (random.nextBoolean()) {
      setPath(tree, "payload.quality_score", NODES.textNode(RAW));
    } else {
      setPath(
          tree,
          "payload.embedding[" + random.nextInt(Vectors.DIMENSION) + "]",
          NODES.textNode(RAW));
    }
    return message(
        register, withRaw(tree, literal), Fate.deadLetter(code(INVALID_JSON), "", "json"));
  }

  /** 1e999 and -1e999: well-formed JSON numbers that no float or score holds. */
  private FuzzMessage numberOutOfRange() {
    FaceTraffic.Face face = traffic.anyFace();
    FaceRegister register = register(face.tenant(), face.externalId(), Vectors.DIMENSION);
    ObjectNode tree = tree(register);
    boolean positive = random.nextBoolean();
    String literal = positive ? "1e999" : "-1e999";
    String rule = positive ? "maximum" : "minimum";
    if (random.nextBoolean()) {
      setPath(tree, "payload.quality_score", NODES.textNode(RAW));
      return message(
          register,
          withRaw(tree, literal),
          told(register, code(INVALID_FIELD), "payload.quality_score", rule));
    }
    String field = "payload.embedding[" + random.nextInt(Vectors.DIMENSION) + "]";
    setPath(tree, field, NODES.textNode(RAW));
    return message(
        register, withRaw(tree, literal), told(register, code(INVALID_EMBEDDING), field, rule));
  }

  /** What a field holds is of another JSON type than the contract's (null, for required ones). */
  private FuzzMessage wrongJsonType() {
    FaceTraffic.Face face = traffic.anyFace();
    Command command = withOptionals(faceCommand(face));
    ObjectNode tree = tree(command);
    List<String> fields =
        new ArrayList<>(
            List.of(
                "schema",
                "type",
                "command_id",
                "tenant_id",
                "issued_at",
                "api_key_id",
                "device_id",
                "payload",
                "payload.external_id"));
    if (!(command instanceof FaceDelete)) {
      fields.addAll(List.of("payload.embedding", "payload.embedding[" + random.nextInt(8) + "]"));
    }
    if (command instanceof FaceRegister) {
      fields.addAll(
          List.of(
              "payload.quality_score",
              "payload.liveness_ok",
              "payload.metadata",
              "payload.metadata.source",
              "payload.replace"));
    }
    String field = pick(fields);
    JsonNode current = getPath(tree, field);
    boolean optional =
        Set.of("api_key_id", "device_id", "payload.metadata", "payload.replace").contains(field);
    JsonNode wrong = wrongTypeFor(current, !optional);
    setPath(tree, field, wrong);
    byte[] value = bytes(tree);
    Fate fate;
    if (field.equals("schema")) {
      fate = told(command, code(INVALID_SCHEMA_VERSION), "schema", "const");
    } else if (field.equals("type")) {
      fate = told(command, code(UNKNOWN_TYPE), "type", "enum");
    } else if (field.equals("payload.embedding") && wrong.isNull()) {
      fate = told(command, code(MISSING_FIELD), "payload.embedding", "required");
    } else if (field.startsWith("payload.embedding")) {
      fate = told(command, code(INVALID_EMBEDDING), field, "type");
    } else if (field.equals("command_id") || field.equals("tenant_id")) {
      return noCommand(
          command.recordKey(), value, Fate.deadLetter(code(INVALID_FIELD), field, "type"));
    } else {
      fate = told(command, code(INVALID_FIELD), field, "type");
    }
    return message(command, value, fate);
  }

  /** A JSON value that is not an object: an array, a string, a number, true or null. */
  private FuzzMessage notAnObject() {
    Command command = faceCommand(traffic.anyFace());
    String json = new String(codec.encode(command), UTF_8);
    String value =
        pick(List.of("[" + json + "]", "\"" + command.commandId() + "\"", "42", "true", "null"));
    return noCommand(
        command.recordKey(),
        value.getBytes(UTF_8),
        Fate.deadLetter(code(INVALID_FIELD), "", "type"));
  }

  /** A field written twice, which parsers disagree on. */
  private FuzzMessage duplicateKey() {
    Command command = faceCommand(traffic.anyFace());
    String json = new String(codec.encode(command), UTF_8);
    String field =
        pick(
            List.of(
                "\"type\":\"face.delete\"",
                "\"tenant_id\":\"" + pick(targets.served()).value() + "\"",
                "\"command_id\":\"" + uuid(random) + "\""));
    String doubled = json.substring(0, json.length() - 1) + "," + field + "}";
    return message(
        command, doubled.getBytes(UTF_8), Fate.deadLetter(code(INVALID_JSON), "", "uniqueKeys"));
  }

  /** Another schema version than {@code rekko.command.v1}. */
  private FuzzMessage wrongSchema() {
    Command command = faceCommand(traffic.anyFace());
    ObjectNode tree = tree(command);
    tree.put("schema", pick(List.of("rekko.command.v2", "rekko.event.v1", "", "REKKO.COMMAND.V1")));
    return message(
        command, bytes(tree), told(command, code(INVALID_SCHEMA_VERSION), "schema", "const"));
  }

  /** A {@code type} that is no command type. */
  private FuzzMessage unknownType() {
    Command command = faceCommand(traffic.anyFace());
    ObjectNode tree = tree(command);
    tree.put(
        "type",
        pick(
            List.of(
                "face.enrol",
                "",
                "FACE.REGISTER",
                "face.register ",
                "tenant.delete",
                "face.*",
                "command.rejected")));
    return message(command, bytes(tree), told(command, code(UNKNOWN_TYPE), "type", "enum"));
  }

  /** A required field left out. */
  private FuzzMessage missingField() {
    Command command = faceCommand(traffic.anyFace());
    ObjectNode tree = tree(command);
    List<String> fields =
        new ArrayList<>(
            List.of(
                "schema",
                "type",
                "command_id",
                "tenant_id",
                "issued_at",
                "payload",
                "payload.external_id"));
    if (!(command instanceof FaceDelete)) {
      fields.add("payload.embedding");
    }
    if (command instanceof FaceRegister) {
      fields.addAll(List.of("payload.quality_score", "payload.liveness_ok"));
    }
    String field = pick(fields);
    removePath(tree, field);
    if (field.equals("command_id") || field.equals("tenant_id")) {
      return noCommand(
          command.recordKey(),
          bytes(tree),
          Fate.deadLetter(code(MISSING_FIELD), field, "required"));
    }
    return message(command, bytes(tree), told(command, code(MISSING_FIELD), field, "required"));
  }

  /** A valid command of tenant B under the record key of tenant A's face. */
  private FuzzMessage otherTenantInValue() {
    FaceTraffic.Face face = traffic.anyFace();
    List<TenantId> others = new ArrayList<>(targets.served());
    others.remove(face.tenant());
    Command command = faceCommand(pick(others), face.externalId());
    return new FuzzMessage(
        "",
        face.recordKey(),
        codec.encode(command),
        Optional.of(command.commandId()),
        told(command, code(KEY_MISMATCH), "", "recordKey"));
  }

  /** A valid face command of a tenant that does not exist. */
  private FuzzMessage unknownTenant() {
    Command command =
        faceCommand(pick(targets.ghosts()), FaceTraffic.externalId(random.nextInt(1000)));
    return message(
        command,
        codec.encode(command),
        Fate.answer(
            Answer.rejected(
                command.tenantId(), command.commandId(), RejectionReason.TENANT_NOT_FOUND)));
  }

  private FuzzMessage injectedTenantId() {
    FaceTraffic.Face face = traffic.anyFace();
    Command command = faceCommand(face);
    ObjectNode tree = tree(command);
    String injected = injection(face.tenant().value());
    tree.put("tenant_id", injected);
    String key = random.nextBoolean() ? face.recordKey() : injected + "/" + face.externalId();
    return noCommand(
        key, bytes(tree), Fate.deadLetter(code(INVALID_FIELD), "tenant_id", "pattern"));
  }

  private FuzzMessage injectedExternalId() {
    FaceTraffic.Face face = traffic.anyFace();
    Command command = faceCommand(face);
    ObjectNode tree = tree(command);
    String injected = injection(face.externalId());
    setPath(tree, "payload.external_id", NODES.textNode(injected));
    String key = random.nextBoolean() ? face.recordKey() : face.tenant().value() + "/" + injected;
    return new FuzzMessage(
        "",
        key,
        bytes(tree),
        Optional.of(command.commandId()),
        told(command, code(INVALID_FIELD), "payload.external_id", "pattern"));
  }

  private FuzzMessage injectedApiKeyId() {
    Command command = faceCommand(traffic.anyFace());
    ObjectNode tree = tree(command);
    tree.put("api_key_id", injection("ak_live"));
    return message(
        command, bytes(tree), told(command, code(INVALID_FIELD), "api_key_id", "pattern"));
  }

  /**
   * Metadata keys and values are free text within their lengths: injection strings there are a
   * valid registration, stored as given; but U+0000, which PostgreSQL cannot store, makes it
   * invalid (rule {@code noNulCharacter}, at the first entry in key order that holds it).
   */
  private FuzzMessage injectedMetadata() {
    Map<String, String> metadata = new TreeMap<>();
    int entries = 1 + random.nextInt(4);
    for (int i = 0; i < entries; i++) {
      metadata.put(fitting(injection("k" + i), 64), fitting(injection("v"), 256));
    }
    FuzzMessage registration = freshRegistration(targets.metadata(), Vectors.DIMENSION, metadata);
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      if (entry.getKey().indexOf('\u0000') >= 0 || entry.getValue().indexOf('\u0000') >= 0) {
        return new FuzzMessage(
            "",
            registration.key(),
            registration.value(),
            registration.commandId(),
            Fate.deadLetterTold(
                code(INVALID_FIELD),
                metadataPath(entry.getKey()),
                "noNulCharacter",
                targets.metadata(),
                registration.commandId().orElseThrow()));
      }
    }
    return registration;
  }

  /**
   * The path of a metadata entry as decode errors write it: {@code payload.metadata.<key>} for a
   * plain identifier, else the key quoted, escaped to printable ASCII and cut after 64 characters.
   */
  static String metadataPath(String key) {
    if (key.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
      return "payload.metadata." + key;
    }
    StringBuilder quoted = new StringBuilder("payload.metadata[\"");
    int end = Math.min(key.length(), 64);
    for (int i = 0; i < end; i++) {
      char c = key.charAt(i);
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        quoted.append(c);
      } else {
        quoted.append(String.format("\\u%04x", (int) c));
      }
    }
    return quoted.append(end < key.length() ? "...\"]" : "\"]").toString();
  }

  private FuzzMessage embeddingAtMaxDimension() {
    return freshRegistration(targets.wide(), DecodeLimits.DEFAULTS.maxDimension(), Map.of());
  }

  private FuzzMessage embeddingBeyondDimensionLimits() {
    boolean above = random.nextBoolean();
    int dimension =
        above
            ? DecodeLimits.DEFAULTS.maxDimension() + 1 + random.nextInt(8)
            : DecodeLimits.DEFAULTS.minDimension() - 1 - random.nextInt(63);
    FaceRegister register = register(targets.wide(), freshExternalId(), dimension);
    return message(
        register,
        codec.encode(register),
        told(
            register,
            code(INVALID_EMBEDDING),
            "payload.embedding",
            above ? "maxItems" : "minItems"));
  }

  /** 16 entries, keys of 64 code points and values of 256 (some outside the BMP): valid. */
  private FuzzMessage metadataAtTheLimits() {
    Map<String, String> metadata = new LinkedHashMap<>();
    for (int i = 0; i < DecodeLimits.DEFAULTS.maxMetadataEntries(); i++) {
      String prefix = String.format("%02d", i);
      metadata.put(prefix + codePoints(64 - 2), codePoints(256));
    }
    return freshRegistration(targets.metadata(), Vectors.DIMENSION, metadata);
  }

  private FuzzMessage metadataBeyondTheLimits() {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("source", "fuzz");
    String field;
    String rule;
    switch (random.nextInt(4)) {
      case 0 -> {
        for (int i = 0; i < DecodeLimits.DEFAULTS.maxMetadataEntries(); i++) {
          metadata.put("k" + i, "v");
        }
        field = "payload.metadata";
        rule = "maxProperties";
      }
      case 1 -> {
        String key = "k".repeat(65 + random.nextInt(200));
        metadata.put(key, "v");
        field = "payload.metadata[\"" + "k".repeat(64) + "...\"]";
        rule = "propertyNames";
      }
      case 2 -> {
        metadata.put("", "v");
        field = "payload.metadata[\"\"]";
        rule = "propertyNames";
      }
      default -> {
        metadata.put("note", codePoints(257 + random.nextInt(100)));
        field = "payload.metadata.note";
        rule = "maxLength";
      }
    }
    FaceTraffic.Face face = traffic.anyFace();
    FaceRegister register = register(face.tenant(), face.externalId(), Vectors.DIMENSION);
    ObjectNode tree = tree(register);
    ObjectNode entries = NODES.objectNode();
    metadata.forEach(entries::put);
    setPath(tree, "payload.metadata", entries);
    return message(register, bytes(tree), told(register, code(INVALID_FIELD), field, rule));
  }

  /** Issued a day or more ahead, or at the very end of year 9999: beyond the clock skew allowed. */
  private FuzzMessage issuedInTheFuture() {
    Instant when =
        random.nextInt(8) == 0
            ? Instant.parse("9999-12-31T23:59:59.999999999Z")
            : clock.instant().plus(Duration.ofMinutes(24 * 60 + random.nextInt(3_000_000)));
    Command command = faceCommand(traffic.anyFace(), when);
    return message(
        command,
        codec.encode(command),
        told(command, code(INVALID_FIELD), "issued_at", "maxClockSkew"));
  }

  /** Registrations and verifications issued from year 1 to an hour ago: {@code expired}. */
  private FuzzMessage issuedLongAgo() {
    Instant when =
        random.nextInt(8) == 0
            ? Instant.parse("0001-01-01T00:00:00Z")
            : clock.instant().minus(Duration.ofMinutes(60 + random.nextInt(30_000_000)));
    FaceTraffic.Face face = traffic.anyFace();
    CommandEnvelope envelope = CommandEnvelope.of(uuid(random), face.tenant(), when);
    Command command =
        random.nextBoolean()
            ? new FaceRegister(
                envelope,
                ExternalId.of(face.externalId()),
                embedding(Vectors.DIMENSION),
                0.9,
                true,
                Map.of(),
                random.nextBoolean())
            : new FaceVerify(
                envelope, ExternalId.of(face.externalId()), embedding(Vectors.DIMENSION));
    return message(
        command,
        codec.encode(command),
        Fate.answer(Answer.rejected(face.tenant(), command.commandId(), RejectionReason.EXPIRED)));
  }

  /** Random bytes of a sealed embedding's length: well-formed, but nothing the worker sealed. */
  private FuzzMessage sealedThatDoesNotOpen() {
    int length = Vectors.DIMENSION * 4 + 28 + random.nextInt(64);
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return sealedOnAServedFace(Base64.getEncoder().encodeToString(bytes), traffic.anyFace());
  }

  /** A sealed embedding the workers made, sent for another tenant or another face. */
  private FuzzMessage sealedForAnotherTenantOrFace() {
    Sealed sealed = pick(targets.sealed());
    return sealedOnAServedFace(sealed.base64(), traffic.anyFace());
  }

  private FuzzMessage sealedOnAServedFace(String base64, FaceTraffic.Face face) {
    Command command =
        random.nextBoolean()
            ? register(face.tenant(), face.externalId(), Vectors.DIMENSION)
            : verify(face.tenant(), face.externalId());
    ObjectNode tree = tree(command);
    removePath(tree, "payload.embedding");
    setPath(tree, "payload.sealed_embedding", NODES.textNode(base64));
    return message(
        command,
        bytes(tree),
        Fate.answer(
            Answer.rejected(
                face.tenant(), command.commandId(), RejectionReason.INVALID_EMBEDDING)));
  }

  /** A {@code sealed_embedding} whose form is wrong, or given beside {@code embedding}. */
  private FuzzMessage malformedSealedEmbedding() {
    FaceTraffic.Face face = traffic.anyFace();
    Command command =
        random.nextBoolean()
            ? register(face.tenant(), face.externalId(), Vectors.DIMENSION)
            : verify(face.tenant(), face.externalId());
    ObjectNode tree = tree(command);
    int min = SealedEmbedding.minBase64Length(DecodeLimits.DEFAULTS);
    int max = SealedEmbedding.maxBase64Length(DecodeLimits.DEFAULTS);
    String field = "payload.sealed_embedding";
    String rule;
    JsonNode sealed;
    switch (random.nextInt(6)) {
      case 0 -> {
        sealed =
            NODES.textNode(
                "A".repeat(400) + pick(List.of("!", "-", "_", " ", ":", "\u00e9")) + "A".repeat(3));
        rule = "pattern";
      }
      case 1 -> {
        sealed = NODES.textNode("A".repeat(4 * random.nextInt(min / 4)));
        rule = "minLength";
      }
      case 2 -> {
        sealed = NODES.textNode("A".repeat(max + 4));
        rule = "maxLength";
      }
      case 3 -> {
        sealed = NODES.textNode("A".repeat(min + 1 + random.nextInt(2)));
        rule = "contentEncoding";
      }
      case 4 -> {
        sealed = NODES.numberNode(42);
        rule = "type";
      }
      default -> {
        sealed = NODES.textNode("A".repeat(min + 4));
        setPath(tree, field, sealed);
        return message(
            command, bytes(tree), told(command, code(INVALID_FIELD), "payload.embedding", "oneOf"));
      }
    }
    removePath(tree, "payload.embedding");
    setPath(tree, field, sealed);
    return message(command, bytes(tree), told(command, code(INVALID_EMBEDDING), field, rule));
  }

  /**
   * A tenant's admin command on the topic face producers write: were it carried out, a suspension
   * or erasure would change every outcome of the valid traffic.
   */
  private FuzzMessage adminCommandOnCommandsTopic() {
    TenantId tenant = pick(targets.served());
    CommandEnvelope envelope = CommandEnvelope.of(uuid(random), tenant, clock.instant());
    Command command =
        switch (random.nextInt(5)) {
          case 0 -> new TenantSuspend(envelope, "hostile");
          case 1 -> new TenantErase(envelope, Optional.of("hostile"));
          case 2 -> new TenantUpsert(envelope, Commands.withMaxFaces(0));
          case 3 -> new TenantResume(envelope, "hostile");
          default -> new ApiKeyRevoke(envelope, ApiKeyId.of("ak_live.fuzz"));
        };
    return message(command, codec.encode(command), told(command, "wrong_topic", "type", "topic"));
  }

  /**
   * The command id of a registration already carried out, reused for another face (or for a
   * deletion of the same face): a dead letter, and the first outcome stands.
   */
  private FuzzMessage reusedCommandId() {
    String anchor = "anchor-" + anchorRegistrations.size();
    FaceRegister first = register(targets.anchors(), anchor, Vectors.DIMENSION);
    anchorRegistrations.add(first);
    CommandEnvelope envelope =
        CommandEnvelope.of(first.commandId(), targets.anchors(), clock.instant());
    Command reuse =
        random.nextBoolean()
            ? new FaceRegister(
                envelope,
                ExternalId.of(anchor + "-other"),
                embedding(Vectors.DIMENSION),
                0.9,
                true,
                Map.of(),
                false)
            : new FaceDelete(envelope, ExternalId.of(anchor));
    return message(
        reuse,
        codec.encode(reuse),
        new Fate(
            Optional.of(new FuzzMessage.Letter("command_id_reused", "command_id", "unique")),
            Optional.of(
                Answer.rejected(
                    targets.anchors(), reuse.commandId(), RejectionReason.COMMAND_ID_REUSED))));
  }

  // ---- building blocks ----

  private static final DecodeErrorCode INVALID_JSON = DecodeErrorCode.INVALID_JSON;
  private static final DecodeErrorCode TOO_LARGE = DecodeErrorCode.TOO_LARGE;
  private static final DecodeErrorCode INVALID_FIELD = DecodeErrorCode.INVALID_FIELD;
  private static final DecodeErrorCode INVALID_EMBEDDING = DecodeErrorCode.INVALID_EMBEDDING;
  private static final DecodeErrorCode INVALID_SCHEMA_VERSION =
      DecodeErrorCode.INVALID_SCHEMA_VERSION;
  private static final DecodeErrorCode UNKNOWN_TYPE = DecodeErrorCode.UNKNOWN_TYPE;
  private static final DecodeErrorCode MISSING_FIELD = DecodeErrorCode.MISSING_FIELD;
  private static final DecodeErrorCode KEY_MISMATCH = DecodeErrorCode.KEY_MISMATCH;

  private static String code(DecodeErrorCode code) {
    return code.wireName();
  }

  /** A version 4 UUID drawn from {@code random}. */
  static UUID uuid(Random random) {
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private Embedding embedding(int dimension) {
    return Vectors.random(random, dimension);
  }

  private String freshExternalId() {
    return "fresh-" + (freshIds++);
  }

  /** A registration of a new face: {@code face.registered}, not a replacement. */
  private FuzzMessage freshRegistration(
      TenantId tenant, int dimension, Map<String, String> metadata) {
    CommandEnvelope envelope = CommandEnvelope.of(uuid(random), tenant, clock.instant());
    FaceRegister register =
        new FaceRegister(
            envelope,
            ExternalId.of(freshExternalId()),
            embedding(dimension),
            0.9,
            true,
            metadata,
            false);
    return message(
        register,
        codec.encode(register),
        Fate.answer(Answer.registered(tenant, register.commandId(), false)));
  }

  /** {@code base} or an injection string, or both joined: never a valid id. */
  private String injection(String base) {
    String injected = pick(INJECTIONS);
    return switch (random.nextInt(3)) {
      case 0 -> injected;
      case 1 -> base + injected;
      default -> injected + base;
    };
  }

  /** At most {@code codePoints} code points of {@code text}, at least one. */
  private static String fitting(String text, int codePoints) {
    int count = text.codePointCount(0, text.length());
    return count <= codePoints ? text : text.substring(0, text.offsetByCodePoints(0, codePoints));
  }

  /** {@code count} code points, some of them outside the Basic Multilingual Plane. */
  private String codePoints(int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.appendCodePoint(
          switch (random.nextInt(4)) {
            case 0 -> 0x1F600 + random.nextInt(64);
            case 1 -> 0x4E00 + random.nextInt(512);
            default -> 'a' + random.nextInt(26);
          });
    }
    return text.toString();
  }

  private Command faceCommand(FaceTraffic.Face face) {
    return faceCommand(face.tenant(), face.externalId());
  }

  private Command faceCommand(FaceTraffic.Face face, Instant issuedAt) {
    return faceCommand(face.tenant(), face.externalId(), issuedAt);
  }

  private Command faceCommand(TenantId tenant, String externalId) {
    return faceCommand(tenant, externalId, clock.instant());
  }

  /** A register, verify or delete of the face, issued at {@code issuedAt}. */
  private Command faceCommand(TenantId tenant, String externalId, Instant issuedAt) {
    CommandEnvelope envelope = CommandEnvelope.of(uuid(random), tenant, issuedAt);
    ExternalId id = ExternalId.of(externalId);
    return switch (random.nextInt(3)) {
      case 0 ->
          new FaceRegister(
              envelope,
              id,
              embedding(Vectors.DIMENSION),
              0.9,
              true,
              Map.of(),
              random.nextBoolean());
      case 1 -> new FaceVerify(envelope, id, embedding(Vectors.DIMENSION));
      default -> new FaceDelete(envelope, id);
    };
  }

  private FaceRegister register(TenantId tenant, String externalId, int dimension) {
    CommandEnvelope envelope = CommandEnvelope.of(uuid(random), tenant, clock.instant());
    return new FaceRegister(
        envelope,
        ExternalId.of(externalId),
        embedding(dimension),
        0.9,
        true,
        Map.of("source", "fuzz"),
        false);
  }

  private FaceVerify verify(TenantId tenant, String externalId) {
    CommandEnvelope envelope = CommandEnvelope.of(uuid(random), tenant, clock.instant());
    return new FaceVerify(envelope, ExternalId.of(externalId), embedding(Vectors.DIMENSION));
  }

  /** The command with every optional field set, so that each can be given a wrong type. */
  private Command withOptionals(Command command) {
    CommandEnvelope envelope =
        new CommandEnvelope(
            command.commandId(),
            command.tenantId(),
            command.envelope().issuedAt(),
            Optional.of(ApiKeyId.of("ak_live.fuzz")),
            Optional.of("kiosk-17"));
    return switch (command) {
      case FaceRegister r ->
          new FaceRegister(
              envelope, r.externalId(), r.embedding(), 0.9, true, Map.of("source", "fuzz"), true);
      case FaceVerify v -> new FaceVerify(envelope, v.externalId(), v.embedding());
      case FaceDelete d -> new FaceDelete(envelope, d.externalId());
      default -> throw new IllegalArgumentException(command.type().wireName());
    };
  }

  /** A value of another JSON type than {@code current} ({@code null} only if required). */
  private JsonNode wrongTypeFor(JsonNode current, boolean required) {
    List<JsonNode> candidates = new ArrayList<>();
    if (!current.isTextual()) {
      candidates.add(NODES.textNode("0.9"));
    }
    if (!current.isNumber()) {
      candidates.add(NODES.numberNode(42));
      candidates.add(NODES.numberNode(1.5));
    }
    if (!current.isBoolean()) {
      candidates.add(NODES.booleanNode(true));
    }
    if (!current.isArray()) {
      candidates.add(NODES.arrayNode().add(1));
    }
    if (!current.isObject()) {
      candidates.add(NODES.objectNode().put("a", 1));
    }
    if (required) {
      candidates.add(NODES.nullNode());
    }
    return pick(candidates);
  }

  private FuzzMessage message(Command command, byte[] value, Fate fate) {
    return new FuzzMessage("", command.recordKey(), value, Optional.of(command.commandId()), fate);
  }

  private static FuzzMessage noCommand(String key, byte[] value, Fate fate) {
    return new FuzzMessage("", key, value, Optional.empty(), fate);
  }

  private static Fate told(Command command, String code, String field, String rule) {
    return Fate.deadLetterTold(code, field, rule, command.tenantId(), command.commandId());
  }

  private ObjectNode tree(Command command) {
    try {
      return (ObjectNode) JSON.readTree(codec.encode(command));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(JsonNode tree) {
    try {
      return JSON.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tree's JSON with the one string {@link #RAW} in it replaced by {@code literal}. */
  private static byte[] withRaw(JsonNode tree, String literal) {
    String json = new String(bytes(tree), UTF_8);
    return json.replace("\"" + RAW + "\"", literal).getBytes(UTF_8);
  }

  /** The command's JSON with an unknown string field making it exactly {@code size} bytes. */
  private byte[] padded(Command command, int size) {
    String json = new String(codec.encode(command), UTF_8);
    String open = json.substring(0, json.length() - 1) + ",\"padding\":\"";
    String close = "\"}";
    int fill = size - open.length() - close.length();
    return (open + "x".repeat(fill) + close).getBytes(UTF_8);
  }

  private static JsonNode getPath(ObjectNode root, String path) {
    JsonNode node = root;
    for (String step : steps(path)) {
      node = step.startsWith("[") ? node.get(index(step)) : node.get(step);
    }
    return node;
  }

  private static void setPath(ObjectNode root, String path, JsonNode value) {
    List<String> steps = steps(path);
    JsonNode parent =
        getPath(root, String.join(".", steps.subList(0, steps.size() - 1)).replace(".[", "["));
    String last = steps.getLast();
    if (last.startsWith("[")) {
      ((ArrayNode) parent).set(index(last), value);
    } else {
      ((ObjectNode) parent).set(last, value);
    }
  }

  private static void removePath(ObjectNode root, String path) {
    List<String> steps = steps(path);
    JsonNode parent =
        getPath(root, String.join(".", steps.subList(0, steps.size() - 1)).replace(".[", "["));
    ((ObjectNode) parent).remove(steps.getLast());
  }

  /** {@code payload.embedding[3]} as {@code payload}, {@code embedding}, {@code [3]}. */
  private static List<String> steps(String path) {
    List<String> steps = new ArrayList<>();
    if (path.isEmpty()) {
      return steps;
    }
    for (String part : path.split("\\.")) {
      int bracket = part.indexOf('[');
      if (bracket < 0) {
        steps.add(part);
      } else {
        steps.add(part.substring(0, bracket));
        steps.add(part.substring(bracket));
      }
    }
    return steps;
  }

  private static int index(String step) {
    return Integer.parseInt(step.substring(1, step.length() - 1));
  }
}
