-- What delivering an event must make stale in the caches, written by the worker that builds the
-- event: 'face:<external_id>', 'tenant-settings', 'tenant-caches' or 'api-key:<key_id>'; NULL for
-- none. The relay and the invalidation watch read it instead of decoding the event. Rows written
-- before this column (invalidates set, invalidation NULL) are read as 'tenant-caches', a superset
-- of what they named. The invalidates flag stays, written as before: the partial index
-- outbox_pending_invalidations and workers of the previous release read it.
ALTER TABLE outbox ADD COLUMN invalidation text;
ALTER TABLE ledger ADD COLUMN invalidation text;

-- The contract's rules for a tenant's settings (TenantConfig), which the worker always applied:
-- the table now states the same ones.
ALTER TABLE tenants DROP CONSTRAINT tenants_verify_threshold_check;
ALTER TABLE tenants ADD CONSTRAINT tenants_verify_threshold_check
  CHECK (verify_threshold BETWEEN 0 AND 1);
ALTER TABLE tenants ADD CONSTRAINT tenants_max_faces_limit_check
  CHECK (max_faces <= 1000000000);
ALTER TABLE tenants ADD CONSTRAINT tenants_embedding_dimension_limit_check
  CHECK (embedding_dimension <= 65536);
