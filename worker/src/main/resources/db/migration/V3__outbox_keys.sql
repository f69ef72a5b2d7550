-- The key (external id, or ':tenant' for tenant-wide commands) of the mutation an outbox row
-- reports; NULL for events no mutation orders (verifications, rejections of dead letters). The
-- relay's direct path publishes a row only when no older row of its key is still pending.
ALTER TABLE outbox ADD COLUMN key text;
