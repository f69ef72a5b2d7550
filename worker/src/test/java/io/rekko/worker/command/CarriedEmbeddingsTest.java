package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.SealedEmbedding;
import io.rekko.schema.TenantId;
import io.rekko.worker.store.StoreUnavailableException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A command's sealed embedding opens for its own tenant and face only, and not after erasure. */
class CarriedEmbeddingsTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final ExternalId ALICE = ExternalId.of("alice");

  private final MemoryDataKeys keys = new MemoryDataKeys();
  private final CarriedEmbeddings embeddings = new CarriedEmbeddings(keys);

  @Test
  void aSealedEmbeddingOpensToTheSameValuesUnderANewCommandId() {
    Embedding embedding = Commands.embedding(1, 512);
    FaceRegister sent = sealedRegister("acme", "alice", embeddings.seal(ACME, ALICE, embedding));

    FaceRegister clear = embeddings.inTheClear(sent).orElseThrow();

    assertEquals(embedding, clear.embedding());
    assertEquals(sent.commandId(), clear.commandId());
  }

  @Test
  void aCommandInTheClearIsLeftAsItIs() {
    FaceVerify verify = Commands.verify("acme", "alice", 2);
    assertSame(verify, embeddings.inTheClear(verify).orElseThrow());
  }

  @Test
  void sealingTwiceNeverGivesTheSameBytes() {
    Embedding embedding = Commands.embedding(3);
    assertNotEquals(
        embeddings.seal(ACME, ALICE, embedding), embeddings.seal(ACME, ALICE, embedding));
  }

  @Test
  void aSealedEmbeddingDoesNotOpenForAnotherFaceOrTenant() {
    SealedEmbedding sealed = embeddings.seal(ACME, ALICE, Commands.embedding(4));
    assertEquals(Optional.empty(), embeddings.inTheClear(sealedRegister("acme", "bob", sealed)));
    assertEquals(Optional.empty(), embeddings.inTheClear(sealedVerify("globex", "alice", sealed)));
  }

  @Test
  void anAlteredSealedEmbeddingDoesNotOpen() {
    byte[] bytes = embeddings.seal(ACME, ALICE, Commands.embedding(5)).toBytes();
    bytes[bytes.length / 2] ^= 1;
    assertEquals(
        Optional.empty(),
        embeddings.inTheClear(sealedVerify("acme", "alice", SealedEmbedding.of(bytes))));
  }

  @Test
  void aSealedEmbeddingDoesNotOpenOnceItsTenantsKeyIsDestroyed() {
    SealedEmbedding sealed = embeddings.seal(ACME, ALICE, Commands.embedding(6));
    keys.forget(ACME);
    assertEquals(Optional.empty(), embeddings.inTheClear(sealedRegister("acme", "alice", sealed)));
  }

  @Test
  void theRefusalOfOneThatDoesNotOpenIsAnInvalidEmbeddingSayingSo() {
    Refusal refusal = CarriedEmbeddings.doesNotOpen();
    assertEquals(RejectionReason.INVALID_EMBEDDING, refusal.reason());
    assertEquals(true, refusal.message().startsWith("sealed_embedding does not open"));
  }

  @Test
  void aKeyThatCannotBeHadIsAFailureToRetryNotASealedEmbeddingThatDoesNotOpen() {
    SealedEmbedding sealed = embeddings.seal(ACME, ALICE, Commands.embedding(7));
    keys.unavailable(true);
    assertThrows(
        StoreUnavailableException.class,
        () -> embeddings.inTheClear(sealedRegister("acme", "alice", sealed)));
  }

  @Test
  void aSealedEmbeddingKeepsEveryBit() {
    Embedding embedding = Embedding.of(Float.MIN_VALUE, -0.0f, 1.5f, -Float.MAX_VALUE);
    SealedEmbedding sealed = embeddings.seal(ACME, ALICE, embedding);
    assertEquals(
        embedding,
        embeddings.inTheClear(sealedVerify("acme", "alice", sealed)).orElseThrow().embedding());
  }

  private static FaceRegister sealedRegister(String tenant, String externalId, SealedEmbedding e) {
    return new FaceRegister(
        Commands.envelope(tenant),
        ExternalId.of(externalId),
        e,
        0.9,
        true,
        java.util.Map.of(),
        false);
  }

  private static FaceVerify sealedVerify(String tenant, String externalId, SealedEmbedding e) {
    return new FaceVerify(Commands.envelope(tenant), ExternalId.of(externalId), e);
  }
}
