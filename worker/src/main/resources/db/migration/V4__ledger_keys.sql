-- The record key (external id, or ':tenant' for tenant-wide commands) and the command type of each
-- ledgered command: a command id reused by another key or type is told apart from a redelivery.
-- NULL in rows written before; those are taken as the same command.
ALTER TABLE ledger ADD COLUMN key text;
ALTER TABLE ledger ADD COLUMN command_type text;
