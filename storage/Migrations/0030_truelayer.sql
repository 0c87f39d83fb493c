-- TrueLayer imports: bank connections, the accounts and cards behind them, their transactions, and the import and
-- enrichment jobs that fill them (see storage/TrueLayer/TrueLayerStore.cs for the rules each table is written by).
-- Token columns hold Data Protection ciphertext made by the caller: this schema never holds a plaintext token.

CREATE TABLE IF NOT EXISTS truelayer_connections (
    connection_id           text        PRIMARY KEY,
    owner                   text        NOT NULL,
    provider_id             text        NULL,
    provider_name           text        NULL,
    credentials_id          text        NULL,
    status                  text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'reauth_required')),
    status_message          text        NULL,
    consent_expires_at      timestamptz NULL,
    refresh_token_protected text        NOT NULL,
    access_token_protected  text        NULL,
    access_token_expires_at timestamptz NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS truelayer_connections_owner ON truelayer_connections (owner, created_at DESC);

-- OAuth "state" values, stored as a hash: each is consumed once (used_at), and only before it expires.
CREATE TABLE IF NOT EXISTS truelayer_auth_states (
    state_hash text        PRIMARY KEY,
    owner      text        NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz NULL,
    CHECK (expires_at > created_at)
);

CREATE INDEX IF NOT EXISTS truelayer_auth_states_expires_at ON truelayer_auth_states (expires_at);

-- Accounts and cards of a connection. The sync columns are written by imports only; an account refresh keeps them.
-- last_synced_at_incremental is the end of the last range imported: where the next recurring import starts.
CREATE TABLE IF NOT EXISTS truelayer_accounts (
    account_id                 text             PRIMARY KEY,
    connection_id              text             NOT NULL REFERENCES truelayer_connections (connection_id) ON DELETE CASCADE,
    owner                      text             NOT NULL,
    kind                       text             NOT NULL CHECK (kind IN ('account', 'card')),
    account_type               text             NULL,
    currency                   text             NULL,
    display_name               text             NULL,
    provider_id                text             NULL,
    last_synced_at             timestamptz      NULL,
    last_synced_at_incremental timestamptz      NULL,
    transactions_per_day       double precision NULL,
    avg_call_ms                double precision NULL,
    created_at                 timestamptz      NOT NULL DEFAULT now(),
    updated_at                 timestamptz      NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS truelayer_accounts_connection ON truelayer_accounts (connection_id);
CREATE INDEX IF NOT EXISTS truelayer_accounts_owner ON truelayer_accounts (owner);

-- One row per transaction and account, keyed by the importer's dedup key, so a re-imported range adds nothing and a
-- pending transaction that settles is replaced in place. import_job_id is the import that first stored the row,
-- last_import_job_id the latest import that saw it (neither is a foreign key: transactions outlive job history).
CREATE TABLE IF NOT EXISTS truelayer_transactions (
    id                                 bigserial     PRIMARY KEY,
    account_id                         text          NOT NULL REFERENCES truelayer_accounts (account_id) ON DELETE CASCADE,
    dedup_key                          text          NOT NULL,
    transaction_id                     text          NULL,
    normalised_provider_transaction_id text          NULL,
    provider_transaction_id            text          NULL,
    booked_at                          timestamptz   NOT NULL,
    description                        text          NULL,
    amount                             numeric(20,4) NOT NULL,
    currency                           text          NOT NULL,
    transaction_type                   text          NULL,
    transaction_category               text          NULL,
    transaction_classification         text[]        NOT NULL DEFAULT '{}',
    merchant_name                      text          NULL,
    running_balance                    numeric(20,4) NULL,
    running_balance_currency           text          NULL,
    pending                            boolean       NOT NULL,
    raw                                jsonb         NOT NULL,
    import_job_id                      uuid          NULL,
    last_import_job_id                 uuid          NULL,
    category                           text          NULL,
    category_source                    text          NULL,
    enriched_at                        timestamptz   NULL,
    created_at                         timestamptz   NOT NULL DEFAULT now(),
    updated_at                         timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT truelayer_transactions_account_dedup_key UNIQUE (account_id, dedup_key)
);

CREATE INDEX IF NOT EXISTS truelayer_transactions_account_booked_at ON truelayer_transactions (account_id, booked_at);
CREATE INDEX IF NOT EXISTS truelayer_transactions_import_job ON truelayer_transactions (import_job_id);

CREATE TABLE IF NOT EXISTS truelayer_import_jobs (
    job_id                     uuid          PRIMARY KEY,
    owner                      text          NOT NULL,
    connection_id              text          NOT NULL,
    status                     text          NOT NULL DEFAULT 'planned'
                                             CHECK (status IN ('planned', 'running', 'completed', 'partially_completed', 'failed')),
    from_date                  date          NOT NULL,
    to_date                    date          NOT NULL,
    account_ids                text[]        NOT NULL,
    auto_enrich                boolean       NOT NULL,
    batch_size                 integer       NOT NULL,
    max_workers                integer       NOT NULL,
    incremental                boolean       NOT NULL,
    estimated_accounts         integer       NOT NULL,
    estimated_transactions     integer       NOT NULL,
    estimated_duration_seconds integer       NOT NULL,
    estimated_cost             numeric(20,4) NOT NULL,
    run_id                     uuid          NULL,
    error                      text          NULL,
    created_at                 timestamptz   NOT NULL,
    started_at                 timestamptz   NULL,
    finished_at                timestamptz   NULL,
    CHECK (to_date >= from_date)
);

CREATE INDEX IF NOT EXISTS truelayer_import_jobs_owner_created_at ON truelayer_import_jobs (owner, created_at DESC);
CREATE INDEX IF NOT EXISTS truelayer_import_jobs_created_at ON truelayer_import_jobs (created_at DESC);

-- One row per job and account; next_from is the window cursor a resumed account continues from. The counters move
-- in the same transaction as the transactions they count.
CREATE TABLE IF NOT EXISTS truelayer_import_progress (
    job_id        uuid        NOT NULL REFERENCES truelayer_import_jobs (job_id) ON DELETE CASCADE,
    account_id    text        NOT NULL,
    status        text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'syncing', 'completed', 'failed')),
    synced        integer     NOT NULL DEFAULT 0,
    duplicates    integer     NOT NULL DEFAULT 0,
    errors        integer     NOT NULL DEFAULT 0,
    settled       integer     NOT NULL DEFAULT 0,
    windows_total integer     NOT NULL DEFAULT 0,
    windows_done  integer     NOT NULL DEFAULT 0,
    next_from     date        NULL,
    message       text        NULL,
    started_at    timestamptz NULL,
    finished_at   timestamptz NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, account_id)
);

CREATE TABLE IF NOT EXISTS truelayer_enrichment_jobs (
    job_id        uuid        PRIMARY KEY,
    import_job_id uuid        NULL REFERENCES truelayer_import_jobs (job_id) ON DELETE SET NULL,
    owner         text        NOT NULL,
    account_ids   text[]      NOT NULL,
    from_date     date        NULL,
    to_date       date        NULL,
    status        text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    categorised   integer     NOT NULL DEFAULT 0,
    error         text        NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz NULL,
    finished_at   timestamptz NULL
);

CREATE INDEX IF NOT EXISTS truelayer_enrichment_jobs_owner_created_at ON truelayer_enrichment_jobs (owner, created_at DESC);
CREATE INDEX IF NOT EXISTS truelayer_enrichment_jobs_import_job ON truelayer_enrichment_jobs (import_job_id);

-- One row per import job: its columns and the roll-up of its accounts' progress. An account is done when it
-- completed or failed; percent is done / total (100 for a job without accounts).
CREATE OR REPLACE VIEW v_import_job_status AS
SELECT
    j.job_id, j.owner, j.connection_id, j.status, j.from_date, j.to_date, j.account_ids, j.auto_enrich, j.batch_size,
    j.max_workers, j.incremental, j.estimated_accounts, j.estimated_transactions, j.estimated_duration_seconds,
    j.estimated_cost, j.run_id, j.error, j.created_at, j.started_at, j.finished_at,
    p.total_accounts, p.completed_accounts, p.failed_accounts, p.syncing_accounts,
    p.synced, p.duplicates, p.errors, p.settled,
    CASE WHEN p.total_accounts = 0 THEN 100::numeric
         ELSE round(p.completed_accounts * 100.0 / p.total_accounts, 0)
    END AS percent
FROM truelayer_import_jobs j
CROSS JOIN LATERAL (
    SELECT
        count(*)::integer                                                 AS total_accounts,
        count(*) FILTER (WHERE status IN ('completed', 'failed'))::integer AS completed_accounts,
        count(*) FILTER (WHERE status = 'failed')::integer                AS failed_accounts,
        count(*) FILTER (WHERE status = 'syncing')::integer               AS syncing_accounts,
        coalesce(sum(synced), 0)::bigint                                  AS synced,
        coalesce(sum(duplicates), 0)::bigint                              AS duplicates,
        coalesce(sum(errors), 0)::bigint                                  AS errors,
        coalesce(sum(settled), 0)::bigint                                 AS settled
    FROM truelayer_import_progress ip
    WHERE ip.job_id = j.job_id
) p;
