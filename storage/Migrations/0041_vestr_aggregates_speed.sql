-- Vestr aggregates (issue 13's benchmark): what lets a refresh work by difference and a rebuild skip an index. See
-- storage/Vestr/VestrFeeStore.cs.

-- How many records of each type a product total holds. A refresh adds the touched days' change to a total instead of
-- summing the product's monthly rows again, and a type whose count falls to 0 gets the same 0 a sum over no rows gives
-- (numeric 0, not 0.0000), so a refreshed total stays equal to a rebuilt one, to the digit.
ALTER TABLE vestr_fee_product_totals
    ADD COLUMN IF NOT EXISTS management_count  integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS performance_count integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS custody_count     integer NOT NULL DEFAULT 0;

UPDATE vestr_fee_product_totals t
SET management_count = c.management_count, performance_count = c.performance_count, custody_count = c.custody_count
FROM (
    SELECT m.product_isin, m.currency,
        coalesce(sum(m.record_count) FILTER (WHERE m.fee_type = 'MANAGEMENT'), 0)::integer AS management_count,
        coalesce(sum(m.record_count) FILTER (WHERE m.fee_type = 'PERFORMANCE'), 0)::integer AS performance_count,
        coalesce(sum(m.record_count) FILTER (WHERE m.fee_type = 'CUSTODY'), 0)::integer AS custody_count
    FROM vestr_fee_monthly_summaries m
    GROUP BY m.product_isin, m.currency
) c
WHERE t.product_isin = c.product_isin AND t.currency = c.currency;

-- Totals are no longer summed from a product's monthly rows, so nothing needs the monthly rows by product alone any
-- more; a full rebuild no longer builds this index. Monthly summaries of one product over a range of months use the
-- primary key (month first).
DROP INDEX IF EXISTS vestr_fee_monthly_summaries_product;
