-- Holdings are derived data: recomputed from all transactions of an asset (average-cost method) and
-- replaced batch by batch. They carry no foreign keys: their source rows in fintrack.transactions do,
-- and the checks would only slow the bulk writes down.
--
-- realised_pnl = sum over sells of quantity * (price - average cost) minus fees;
-- unrealised_pnl = market_value - cost_basis; dividends are reported apart.
-- price/market_value/unrealised_pnl/as_of are NULL while an asset has no quote.
CREATE TABLE IF NOT EXISTS fintrack.holdings (
    account_id        text COLLATE "C" NOT NULL,
    asset_id          text COLLATE "C" NOT NULL,
    currency          text             NOT NULL,
    quantity          numeric          NOT NULL,
    average_cost      numeric          NOT NULL,
    cost_basis        numeric          NOT NULL,
    realised_pnl      numeric          NOT NULL,
    dividends         numeric          NOT NULL,
    fees              numeric          NOT NULL,
    price             numeric          NULL,
    market_value      numeric          NULL,
    unrealised_pnl    numeric          NULL,
    -- The as-of time of the quote the holding is valued at.
    as_of             timestamptz      NULL,
    last_trade_date   date             NOT NULL,
    transaction_count integer          NOT NULL,
    PRIMARY KEY (account_id, asset_id)
);
-- Batches replace the rows of a set of assets.
CREATE INDEX IF NOT EXISTS holdings_by_asset ON fintrack.holdings (asset_id);

-- One month-end snapshot per account, asset and month in which that account traded that asset.
-- price_source says which price valued it: 'history' (last close on or before month end, price_date)
-- or 'latest' (no close that early: the latest quote); NULL when there was no price at all.
CREATE TABLE IF NOT EXISTS fintrack.holdings_monthly (
    account_id         text COLLATE "C" NOT NULL,
    asset_id           text COLLATE "C" NOT NULL,
    month              date             NOT NULL CHECK (extract(day FROM month) = 1),
    currency           text             NOT NULL,
    quantity           numeric          NOT NULL,
    average_cost       numeric          NOT NULL,
    cost_basis         numeric          NOT NULL,
    realised_pnl       numeric          NOT NULL,
    dividends          numeric          NOT NULL,
    fees               numeric          NOT NULL,
    price              numeric          NULL,
    price_date         date             NULL,
    price_source       text             NULL CHECK (price_source IN ('history', 'latest')),
    market_value       numeric          NULL,
    unrealised_pnl     numeric          NULL,
    month_transactions integer          NOT NULL,
    PRIMARY KEY (account_id, asset_id, month)
);
CREATE INDEX IF NOT EXISTS holdings_monthly_by_asset ON fintrack.holdings_monthly (asset_id);
