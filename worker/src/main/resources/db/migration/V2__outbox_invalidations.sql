-- Outbox rows whose delivery must first invalidate cache entries (faces registered or deleted,
-- tenant settings changed, tenants suspended, API keys revoked). While such a row is pending, its
-- invalidation may not have reached Redis, so no worker may serve the tenant from Redis: each
-- worker looks for these rows ten times a second and applies their invalidations itself.
ALTER TABLE outbox ADD COLUMN invalidates boolean NOT NULL DEFAULT false;

CREATE INDEX outbox_pending_invalidations ON outbox (id)
  WHERE published_at IS NULL AND invalidates;
