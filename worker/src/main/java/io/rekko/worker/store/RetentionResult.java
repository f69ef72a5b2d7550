package io.rekko.worker.store;

/**
 * What one retention pass deleted.
 *
 * @param ledgerRows idempotency records older than the retention
 * @param outboxRows published outbox rows older than the retention
 */
public record RetentionResult(long ledgerRows, long outboxRows) {}
