-- Market data written by the fetch jobs: the latest quote per asset, daily closes, and the same for
-- market indices. Every write is an idempotent upsert keyed by these primary keys.
CREATE TABLE IF NOT EXISTS fintrack.prices_latest (
    asset_id text COLLATE "C" PRIMARY KEY REFERENCES fintrack.assets (asset_id),
    price    numeric          NOT NULL CHECK (price >= 0),
    currency text             NOT NULL,
    as_of    timestamptz      NOT NULL,
    source   text             NOT NULL
);

-- The primary key (asset_id, day) also answers "last close on or before a day" and "last stored day".
CREATE TABLE IF NOT EXISTS fintrack.price_history (
    asset_id text COLLATE "C" NOT NULL REFERENCES fintrack.assets (asset_id),
    day      date             NOT NULL,
    close    numeric          NOT NULL CHECK (close >= 0),
    PRIMARY KEY (asset_id, day)
);

CREATE TABLE IF NOT EXISTS fintrack.index_values_latest (
    symbol text COLLATE "C" PRIMARY KEY REFERENCES fintrack.market_indices (symbol),
    level  numeric          NOT NULL,
    as_of  timestamptz      NOT NULL
);

CREATE TABLE IF NOT EXISTS fintrack.index_history (
    symbol text COLLATE "C" NOT NULL REFERENCES fintrack.market_indices (symbol),
    day    date             NOT NULL,
    level  numeric          NOT NULL,
    PRIMARY KEY (symbol, day)
);
