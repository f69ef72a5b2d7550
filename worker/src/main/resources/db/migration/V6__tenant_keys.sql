-- Each tenant's data key, wrapped (AES-256-GCM) under a key-encryption key that lives only in the
-- workers' configuration (store.kek.<id>); kek_id names it, so keys can be re-wrapped when the KEK
-- is rotated. Deleting a tenant's row destroys its key: everything sealed under it, wherever it is
-- (faces, the Redis face cache, dead letters), can no longer be opened.
CREATE TABLE tenant_keys (
  tenant_id   text        NOT NULL,
  kek_id      text        NOT NULL,
  wrapped_key bytea       NOT NULL,
  created_at  timestamptz NOT NULL,
  rewrapped_at timestamptz,
  PRIMARY KEY (tenant_id)
);
