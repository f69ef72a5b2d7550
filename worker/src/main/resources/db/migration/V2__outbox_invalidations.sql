-- Outbox rows whose delivery must first invalidate cache entries (faces registered or deleted,
-- tenant settings changed, tenants suspended, API keys revoked). While such a row is pending, its
-- invalidation may not have reached Redis, so no worker may serve the tenant from Redis: each
-- worker looks for these rows ten times a second and applies their invalidations itself.
ALTER TABLE outbox ADD COLUMN invalidates boolean NOT NULL DEFAULT false;

-- The version of the mutation a row reports (0: none, or written before this column), so that an
-- invalidation needs no ledger read to know which cached states it makes stale.
ALTER TABLE outbox ADD COLUMN version bigint NOT NULL DEFAULT 0;

CREATE INDEX outbox_pending_invalidations ON outbox (id)
  WHERE published_at IS NULL AND invalidates;

-- The ledger keeps the whole event, flag included, so that a replay is the event first committed.
ALTER TABLE ledger ADD COLUMN invalidates boolean NOT NULL DEFAULT false;
