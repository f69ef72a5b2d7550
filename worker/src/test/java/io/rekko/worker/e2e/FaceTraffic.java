package io.rekko.worker.e2e;

import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantId;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * Valid face commands on a fixed set of faces, each with the outcome a sequential model of its face
 * gives it: registered, already registered, verified (matched or not), deleted, face not found. A
 * face's commands share a record key, so the worker must carry them out in this order, whatever
 * else is on the topic; faces never depend on each other (the tenants have no rate limits and more
 * quota than faces).
 */
final class FaceTraffic {
  private final Random random;
  private final List<TenantId> tenants;
  private final int facesPerTenant;
  private final Clock clock;
  private final CommandCodec codec = CommandCodec.withDefaults();

  /** The embedding registered under each face's record key; absent when none is. */
  private final Map<String, Embedding> registered = new HashMap<>();

  FaceTraffic(Random random, List<TenantId> tenants, int facesPerTenant, Clock clock) {
    this.random = random;
    this.tenants = List.copyOf(tenants);
    this.facesPerTenant = facesPerTenant;
    this.clock = clock;
  }

  /** The external id of the {@code i}th face of every tenant. */
  static String externalId(int i) {
    return "face-" + i;
  }

  /** One of the faces the traffic uses, picked at random: a key hostile records may share. */
  Face anyFace() {
    return new Face(
        tenants.get(random.nextInt(tenants.size())), externalId(random.nextInt(facesPerTenant)));
  }

  record Face(TenantId tenant, String externalId) {
    String recordKey() {
      return tenant.value() + "/" + externalId;
    }
  }

  /** The next valid command, on a face picked at random, and its modelled outcome. */
  FuzzMessage next() {
    Face face = anyFace();
    String key = face.recordKey();
    Embedding current = registered.get(key);
    UUID id = HostileMessages.uuid(random);
    CommandEnvelope envelope = CommandEnvelope.of(id, face.tenant(), clock.instant());
    ExternalId externalId = ExternalId.of(face.externalId());
    int pick = random.nextInt(100);
    Command command;
    FuzzMessage.Answer answer;
    if (pick < 25) {
      Embedding embedding = Vectors.random(random, Vectors.DIMENSION);
      command = new FaceRegister(envelope, externalId, embedding, 0.9, true, Map.of(), false);
      if (current == null) {
        registered.put(key, embedding);
        answer = FuzzMessage.Answer.registered(face.tenant(), id, false);
      } else {
        answer = FuzzMessage.Answer.rejected(face.tenant(), id, RejectionReason.ALREADY_REGISTERED);
      }
    } else if (pick < 35) {
      Embedding embedding = Vectors.random(random, Vectors.DIMENSION);
      command = new FaceRegister(envelope, externalId, embedding, 0.9, true, Map.of(), true);
      registered.put(key, embedding);
      answer = FuzzMessage.Answer.registered(face.tenant(), id, current != null);
    } else if (pick < 75) {
      boolean same = current != null && random.nextBoolean();
      Embedding probe = same ? current : Vectors.random(random, Vectors.DIMENSION);
      command = new FaceVerify(envelope, externalId, probe);
      answer =
          current == null
              ? FuzzMessage.Answer.rejected(face.tenant(), id, RejectionReason.FACE_NOT_FOUND)
              : FuzzMessage.Answer.verified(face.tenant(), id, same);
    } else {
      command = new FaceDelete(envelope, externalId);
      if (current == null) {
        answer = FuzzMessage.Answer.rejected(face.tenant(), id, RejectionReason.FACE_NOT_FOUND);
      } else {
        registered.remove(key);
        answer = FuzzMessage.Answer.deleted(face.tenant(), id);
      }
    }
    return new FuzzMessage(
        "valid", key, codec.encode(command), Optional.of(id), FuzzMessage.Fate.answer(answer));
  }
}
