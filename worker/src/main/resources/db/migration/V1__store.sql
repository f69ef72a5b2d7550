-- The worker's source of truth. Every table is keyed by tenant_id first, so that a sharded
-- PostgreSQL (Citus) can distribute them all by tenant and keep each tenant's rows together.
-- Timestamps come from the worker's clock, not now(), so that tests can control time.

-- A tenant's configuration and status. Tenants are never deleted.
CREATE TABLE tenants (
  tenant_id           text             NOT NULL,
  status              text             NOT NULL CHECK (status IN ('active', 'suspended')),
  status_reason       text             NOT NULL DEFAULT '',
  max_faces           integer          NOT NULL CHECK (max_faces >= 0),
  -- {"<command type>": {"limit": n, "window_ms": n}, ...}
  rate_limits         jsonb            NOT NULL,
  verify_threshold    double precision NOT NULL CHECK (verify_threshold BETWEEN -1 AND 1),
  embedding_dimension integer          NOT NULL CHECK (embedding_dimension > 0),
  min_quality         double precision NOT NULL CHECK (min_quality BETWEEN 0 AND 1),
  require_liveness    boolean          NOT NULL,
  version             bigint           NOT NULL CHECK (version > 0),
  created_at          timestamptz      NOT NULL,
  updated_at          timestamptz      NOT NULL,
  PRIMARY KEY (tenant_id)
);

-- The exact number of faces of each tenant: changed only in the transaction that adds or removes a
-- face, so it always equals count(*) of its faces. The quota is decided against it, in SQL.
CREATE TABLE tenant_usage (
  tenant_id  text   NOT NULL REFERENCES tenants (tenant_id),
  face_count bigint NOT NULL CHECK (face_count >= 0),
  PRIMARY KEY (tenant_id)
);

-- Face versions only grow for a given (tenant_id, external_id), across delete and re-register, so
-- a cache can never take a re-registered face for the one deleted before it.
CREATE SEQUENCE face_versions AS bigint;

CREATE TABLE faces (
  tenant_id     text        NOT NULL REFERENCES tenants (tenant_id),
  external_id   text        NOT NULL,
  -- Packed little-endian float32 values (see Embeddings.java for why not real[]).
  embedding     bytea       NOT NULL
                            CHECK (octet_length(embedding) > 0 AND octet_length(embedding) % 4 = 0),
  quality_score double precision NOT NULL CHECK (quality_score BETWEEN 0 AND 1),
  liveness_ok   boolean     NOT NULL,
  metadata      jsonb       NOT NULL,
  version       bigint      NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, external_id)
);

-- The newest fencing token seen per key (an external id, or ':tenant' for tenant-wide commands).
-- Rows are never deleted, so a fence outlives the face it guarded. Every unit of work locks its
-- key's row first, which also serializes all writes to one key.
CREATE TABLE fences (
  tenant_id text   NOT NULL,
  key       text   NOT NULL,
  fence     bigint NOT NULL CHECK (fence >= 0),
  PRIMARY KEY (tenant_id, key)
);

-- A key is valid unless revoked for its tenant.
CREATE TABLE api_key_revocations (
  tenant_id  text        NOT NULL,
  key_id     text        NOT NULL,
  revoked_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, key_id)
);

-- The idempotency ledger: every mutation's outcome, rejections included, and the event it
-- produced, so a redelivered command gets the very same answer and no second effect.
CREATE TABLE ledger (
  tenant_id  text        NOT NULL,
  command_id uuid        NOT NULL,
  outcome    text        NOT NULL,
  version    bigint      NOT NULL,
  event_id   uuid        NOT NULL,
  channel    text        NOT NULL,
  event      bytea       NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, command_id)
);
-- For retention.
CREATE INDEX ledger_created_at ON ledger (created_at);

-- Events committed with their effect and waiting to be published (published_at IS NULL), or
-- published and kept until retention. The relay reads pending rows in id order.
CREATE TABLE outbox (
  id           bigint      GENERATED ALWAYS AS IDENTITY,
  tenant_id    text        NOT NULL,
  channel      text        NOT NULL,
  event_id     uuid        NOT NULL,
  payload      bytea       NOT NULL,
  created_at   timestamptz NOT NULL,
  published_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  -- One row per event: writing a verification event twice is a no-op.
  UNIQUE (tenant_id, event_id)
);
CREATE INDEX outbox_pending ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_created_at ON outbox (created_at) WHERE published_at IS NOT NULL;
