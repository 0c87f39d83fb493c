-- Vestr fees (issue 13): the fee records a sync fetches, the syncs themselves, and what is derived from the records
-- (daily and monthly summaries, lifetime totals per product and currency, the latest fees per product). See
-- storage/Vestr/VestrFeeStore.cs for the rules each table is written by. Amounts are numeric throughout, and no
-- aggregate ever adds two currencies together.

CREATE TABLE IF NOT EXISTS vestr_fee_records (
    id                   text           PRIMARY KEY,
    booking_date         date           NOT NULL,
    amount               numeric(20, 4) NOT NULL,
    currency             text           NOT NULL,
    fee_type             text           NOT NULL CHECK (fee_type IN ('MANAGEMENT', 'PERFORMANCE', 'CUSTODY')),
    product_isin         text           NOT NULL,
    product_name         text           NULL,
    outstanding_quantity numeric(28, 8) NULL,
    -- The sync that inserted the row or last changed it (not a foreign key: records outlive sync history).
    sync_id              uuid           NULL,
    created_at           timestamptz    NOT NULL DEFAULT now(),
    updated_at           timestamptz    NOT NULL DEFAULT now()
);

-- A product's records by day: refreshing touched days, the latest fee of any type, keyset paging within a product.
CREATE INDEX IF NOT EXISTS vestr_fee_records_product_day ON vestr_fee_records (product_isin, booking_date, id);
-- First and last booking date of a product in one currency.
CREATE INDEX IF NOT EXISTS vestr_fee_records_product_currency_day ON vestr_fee_records (product_isin, currency, booking_date);
-- The latest fee of each type.
CREATE INDEX IF NOT EXISTS vestr_fee_records_product_type_day ON vestr_fee_records (product_isin, fee_type, booking_date, id);
-- The most recent record that carries an outstanding quantity.
CREATE INDEX IF NOT EXISTS vestr_fee_records_product_quantity_day ON vestr_fee_records (product_isin, booking_date, id)
    WHERE outstanding_quantity IS NOT NULL;
-- A full rebuild of the daily summaries: an index-only scan already in the summaries' key order, summed as it streams.
CREATE INDEX IF NOT EXISTS vestr_fee_records_day_group ON vestr_fee_records (booking_date, product_isin, fee_type, currency) INCLUDE (amount);
-- Keyset paging over all products.
CREATE INDEX IF NOT EXISTS vestr_fee_records_day ON vestr_fee_records (booking_date, id);

-- One row per sync run; the counts add up over the sync's upserts, each added in the upsert's own transaction.
CREATE TABLE IF NOT EXISTS fee_sync_status (
    sync_id     uuid        PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NULL,
    from_date   date        NOT NULL,
    to_date     date        NOT NULL,
    force_full  boolean     NOT NULL,
    records     integer     NOT NULL DEFAULT 0,
    inserted    integer     NOT NULL DEFAULT 0,
    updated     integer     NOT NULL DEFAULT 0,
    unchanged   integer     NOT NULL DEFAULT 0,
    outcome     text        NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'succeeded', 'failed')),
    error       text        NULL
);

CREATE INDEX IF NOT EXISTS fee_sync_status_started_at ON fee_sync_status (started_at DESC);
CREATE INDEX IF NOT EXISTS fee_sync_status_succeeded ON fee_sync_status (finished_at DESC) WHERE outcome = 'succeeded';

CREATE TABLE IF NOT EXISTS vestr_fee_daily_summaries (
    day          date        NOT NULL,
    product_isin text        NOT NULL,
    fee_type     text        NOT NULL,
    currency     text        NOT NULL,
    total_amount numeric     NOT NULL,
    record_count integer     NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (day, product_isin, fee_type, currency)
);

CREATE TABLE IF NOT EXISTS vestr_fee_monthly_summaries (
    month        date        NOT NULL CHECK (extract(day FROM month) = 1),
    product_isin text        NOT NULL,
    fee_type     text        NOT NULL,
    currency     text        NOT NULL,
    total_amount numeric     NOT NULL,
    record_count integer     NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (month, product_isin, fee_type, currency)
);

-- Product totals are summed from a product's monthly rows.
CREATE INDEX IF NOT EXISTS vestr_fee_monthly_summaries_product ON vestr_fee_monthly_summaries (product_isin);

-- Lifetime totals per product and currency: a product booked in two currencies has two rows.
CREATE TABLE IF NOT EXISTS vestr_fee_product_totals (
    product_isin       text        NOT NULL,
    currency           text        NOT NULL,
    product_name       text        NULL,
    total_amount       numeric     NOT NULL,
    management_total   numeric     NOT NULL,
    performance_total  numeric     NOT NULL,
    custody_total      numeric     NOT NULL,
    record_count       integer     NOT NULL,
    first_booking_date date        NOT NULL,
    last_booking_date  date        NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (product_isin, currency)
);

-- The latest fees of each product. "Latest" is the greatest (booking_date, id); a type never booked is NULL.
CREATE TABLE IF NOT EXISTS fee_latest_snapshot (
    product_isin              text           PRIMARY KEY,
    product_name              text           NULL,
    management_fee_date       date           NULL,
    management_fee_amount     numeric(20, 4) NULL,
    management_fee_currency   text           NULL,
    performance_fee_date      date           NULL,
    performance_fee_amount    numeric(20, 4) NULL,
    performance_fee_currency  text           NULL,
    custody_fee_date          date           NULL,
    custody_fee_amount        numeric(20, 4) NULL,
    custody_fee_currency      text           NULL,
    latest_fee_date           date           NOT NULL,
    latest_fee_type           text           NOT NULL,
    latest_fee_amount         numeric(20, 4) NOT NULL,
    latest_fee_currency       text           NOT NULL,
    outstanding_quantity      numeric(28, 8) NULL,
    outstanding_quantity_date date           NULL,
    updated_at                timestamptz    NOT NULL DEFAULT now()
);
