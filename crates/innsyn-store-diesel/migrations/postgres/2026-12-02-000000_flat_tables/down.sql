-- Not reversible without moving every row back into months it would have
-- to create first; restore the backup taken before the upgrade instead.
DO $$ BEGIN RAISE EXCEPTION 'migration 2026-12-02-000000_flat_tables cannot be reverted'; END $$;
