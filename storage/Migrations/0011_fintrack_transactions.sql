-- Portfolio transactions as the caller sent them, keyed by the caller's id so a re-posted file is a
-- no-op. content_hash (SHA-256 of the normalised row) tells an identical re-post from a conflicting one.
-- buy/sell carry quantity and price (amount = quantity * price unless the caller gave one);
-- dividend/fee carry the cash amount and may omit quantity and price.
CREATE TABLE IF NOT EXISTS fintrack.transactions (
    transaction_id text COLLATE "C" PRIMARY KEY,
    account_id     text COLLATE "C" NOT NULL REFERENCES fintrack.accounts (account_id),
    asset_id       text COLLATE "C" NOT NULL REFERENCES fintrack.assets (asset_id),
    type           text             NOT NULL CHECK (type IN ('buy', 'sell', 'dividend', 'fee')),
    quantity       numeric          NULL,
    price          numeric          NULL,
    amount         numeric          NOT NULL CHECK (amount >= 0),
    currency       text             NOT NULL,
    trade_date     date             NOT NULL,
    content_hash   text             NOT NULL,
    imported_at    timestamptz      NOT NULL DEFAULT now(),
    CHECK (type NOT IN ('buy', 'sell') OR (quantity > 0 AND price >= 0)),
    CHECK (quantity IS NULL OR quantity >= 0),
    CHECK (price IS NULL OR price >= 0)
);

-- The holdings computation reads all transactions of a batch of assets in (asset, account, trade date,
-- id) order: this index returns them in that order with every column it needs (index-only scan).
CREATE INDEX IF NOT EXISTS transactions_by_asset_account_date
    ON fintrack.transactions (asset_id, account_id, trade_date, transaction_id)
    INCLUDE (type, quantity, price, amount);

-- "Which assets has this account touched?" (account-scoped recomputes) and the account's own history.
CREATE INDEX IF NOT EXISTS transactions_by_account_asset
    ON fintrack.transactions (account_id, asset_id);
