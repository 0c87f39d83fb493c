-- FinTrack reference data: the assets people hold, the market indices we follow, and the accounts
-- that hold them. The tables live in their own schema, fintrack, so generic names such as accounts
-- and transactions never collide with another domain's tables (TrueLayer and WealthX have accounts too).
-- Ids are the callers' ids and compare byte-wise (COLLATE "C"): ordering is the same on every server
-- whatever its locale, and the holdings computation relies on that order.
CREATE SCHEMA IF NOT EXISTS fintrack;

CREATE TABLE IF NOT EXISTS fintrack.assets (
    asset_id    text COLLATE "C" PRIMARY KEY,
    symbol      text COLLATE "C" NOT NULL UNIQUE,
    name        text             NOT NULL,
    asset_class text             NOT NULL,
    currency    text             NOT NULL CHECK (currency ~ '^[A-Z]{3}$')
);

CREATE TABLE IF NOT EXISTS fintrack.market_indices (
    symbol      text COLLATE "C" PRIMARY KEY,
    name        text             NOT NULL,
    currency    text             NOT NULL CHECK (currency ~ '^[A-Z]{3}$')
);

CREATE TABLE IF NOT EXISTS fintrack.accounts (
    account_id    text COLLATE "C" PRIMARY KEY,
    name          text             NOT NULL,
    base_currency text             NOT NULL CHECK (base_currency ~ '^[A-Z]{3}$')
);
