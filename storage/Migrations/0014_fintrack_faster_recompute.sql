-- Two changes that make holdings recomputes cheap.
--
-- 1. A recompute usually finds most holdings unchanged (past months' snapshots never move). Each row
--    carries a 64-bit fingerprint of its values, computed by the holdings calculator: it reads the keys
--    and fingerprints of a batch's rows, rewrites only rows that differ, deletes rows that no longer
--    exist, and copies new ones straight into the table. The per-asset indexes cover that read.
--    Rows written before this migration get fingerprint 0 and are rewritten on their next computation.
ALTER TABLE fintrack.holdings ADD COLUMN IF NOT EXISTS fingerprint bigint NOT NULL DEFAULT 0;
ALTER TABLE fintrack.holdings_monthly ADD COLUMN IF NOT EXISTS fingerprint bigint NOT NULL DEFAULT 0;

DROP INDEX IF EXISTS fintrack.holdings_by_asset;
CREATE INDEX IF NOT EXISTS holdings_by_asset_account
    ON fintrack.holdings (asset_id, account_id) INCLUDE (fingerprint);

DROP INDEX IF EXISTS fintrack.holdings_monthly_by_asset;
CREATE INDEX IF NOT EXISTS holdings_monthly_by_asset_account_month
    ON fintrack.holdings_monthly (asset_id, account_id, month) INCLUDE (fingerprint);

-- 2. Month-end valuation probes "the last close of this asset on or before this day" once per asset
--    and month: with close in the primary key's index, each probe is an index-only scan.
ALTER TABLE fintrack.price_history DROP CONSTRAINT IF EXISTS price_history_pkey;
ALTER TABLE fintrack.price_history ADD CONSTRAINT price_history_pkey PRIMARY KEY (asset_id, day) INCLUDE (close);
