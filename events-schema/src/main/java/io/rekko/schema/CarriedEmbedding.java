package io.rekko.schema;

/**
 * How a face command carries its embedding: in the clear ({@link Embedding}, the JSON field {@code
 * embedding}) or sealed by the worker ({@link SealedEmbedding}, the field {@code sealed_embedding})
 * — exactly one of the two.
 *
 * <p>Producers send the clear form. The sealed form is what a dead letter keeps instead, so that a
 * dead-lettered command can be sent again as it is; only the worker, which holds the tenant's data
 * key, can open it.
 */
public sealed interface CarriedEmbedding permits Embedding, SealedEmbedding {}
