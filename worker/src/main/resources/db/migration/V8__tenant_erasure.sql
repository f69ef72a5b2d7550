-- tenant.erase. A tenant being erased is 'erasing': its face commands are refused as
-- tenant_not_found, and its rows go, table by table, until the tenant row itself is deleted.
ALTER TABLE tenants DROP CONSTRAINT tenants_status_check;
ALTER TABLE tenants ADD CONSTRAINT tenants_status_check
  CHECK (status IN ('active', 'suspended', 'erasing'));

-- A tenant created again after an erasure: when its last erasure began. A face command issued at or
-- before then is refused (tenant_erased) even when it arrives once the new tenant exists. NULL for a
-- tenant never erased.
ALTER TABLE tenants ADD COLUMN erased_at timestamptz;

-- One row per tenant.erase: the audit row (tenant, command, when, counts of what was removed), the
-- erasure's progress (finished_at NULL while under way; resumed by a redelivered command), and the
-- tombstone: a command for the tenant issued at or before the latest started_at is refused. The
-- tenant's last version is kept so that a tenant created again continues its versions (a cache entry
-- of the erased tenant can never pass for a newer state). Rows are never deleted. seq orders them for
-- the workers' watch, which drops the erased tenants' data keys from memory.
CREATE TABLE erasures (
  tenant_id           text        NOT NULL,
  command_id          uuid        NOT NULL,
  seq                 bigint      GENERATED ALWAYS AS IDENTITY,
  started_at          timestamptz NOT NULL,
  finished_at         timestamptz,
  tenant_version      bigint      NOT NULL DEFAULT 0 CHECK (tenant_version >= 0),
  faces               bigint      NOT NULL DEFAULT 0 CHECK (faces >= 0),
  fences              bigint      NOT NULL DEFAULT 0 CHECK (fences >= 0),
  api_key_revocations bigint      NOT NULL DEFAULT 0 CHECK (api_key_revocations >= 0),
  bare_ledger_rows    bigint      NOT NULL DEFAULT 0 CHECK (bare_ledger_rows >= 0),
  outbox_rows         bigint      NOT NULL DEFAULT 0 CHECK (outbox_rows >= 0),
  data_keys           bigint      NOT NULL DEFAULT 0 CHECK (data_keys >= 0),
  redis_keys          bigint      NOT NULL DEFAULT 0 CHECK (redis_keys >= 0),
  PRIMARY KEY (tenant_id, command_id),
  UNIQUE (seq)
);
-- The erasures under way, which every worker's watch reads ten times a second.
CREATE INDEX erasures_under_way ON erasures (seq) WHERE finished_at IS NULL;

-- An erased tenant's ledger rows keep only their command id (and when it was written, for the
-- retention): no outcome, no key, no event. A redelivered command whose id is bare is never carried
-- out again. Workers of the previous release cannot read a bare row: a redelivered command of an
-- erased tenant fails there until the upgrade is done. NOT VALID: the rows already there are whole,
-- and checking them would lock the ledger for the length of a scan.
ALTER TABLE ledger ALTER COLUMN outcome DROP NOT NULL;
ALTER TABLE ledger ALTER COLUMN version DROP NOT NULL;
ALTER TABLE ledger ALTER COLUMN event_id DROP NOT NULL;
ALTER TABLE ledger ALTER COLUMN channel DROP NOT NULL;
ALTER TABLE ledger ALTER COLUMN event DROP NOT NULL;
ALTER TABLE ledger ADD CONSTRAINT ledger_whole_or_bare CHECK (
  (outcome IS NOT NULL AND version IS NOT NULL AND event_id IS NOT NULL AND channel IS NOT NULL
   AND event IS NOT NULL)
  OR (outcome IS NULL AND version IS NULL AND event_id IS NULL AND channel IS NULL AND event IS NULL
      AND key IS NULL AND command_type IS NULL AND invalidation IS NULL AND NOT invalidates)
) NOT VALID;
