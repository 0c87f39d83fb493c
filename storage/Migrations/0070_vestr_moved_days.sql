-- The (product, day) pairs a fee record left when an upsert moved it to another product or booking date (issue 13).
-- The upsert that moves a record writes its old pair here in its own transaction; the refresh that recomputes the
-- pair deletes it in its own. So a sync that crashes between its upsert and its refresh, and whose retried batch then
-- reads the record as unchanged, still finds the day it left and refreshes it (VestrFeeSyncJob.RunFinishedAsync).
-- See storage/Vestr/VestrFeeStore.cs.

CREATE TABLE IF NOT EXISTS vestr_fee_moved_days (
    product_isin text NOT NULL,
    booking_date date NOT NULL,
    moved_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (product_isin, booking_date)
);
