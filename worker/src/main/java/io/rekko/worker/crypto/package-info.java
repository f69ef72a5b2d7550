/**
 * Encryption at rest with per-tenant keys (crypto-shredding), on the JDK's own AES-GCM and
 * HMAC-SHA256 and nothing else.
 *
 * <p>Each tenant has one {@link io.rekko.worker.crypto.DataKey}: it seals the tenant's embeddings
 * wherever they leave the worker's memory (PostgreSQL, the Redis face cache, dead letters) and keys
 * the HMAC that replaces external ids in fences. Data keys are stored only wrapped by a
 * key-encryption key ({@link io.rekko.worker.crypto.KeyRing}) that comes from configuration, never
 * from the database, so a dump of the database opens nothing. Destroying a tenant's wrapped data
 * key makes every copy sealed under it unreadable, wherever that copy is.
 *
 * <p>Nothing here knows of Kafka, Redis or PostgreSQL; the store keeps the wrapped keys.
 */
package io.rekko.worker.crypto;
