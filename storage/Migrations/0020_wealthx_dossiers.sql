-- WealthX dossiers as the API sent them (issue 4), one row per dossier ID: the primary key is the unique
-- ID the pull upserts by, so a page stored twice (a retried session, a duplicated reminder tick) adds nothing.
-- content_hash is SHA-256 of the canonical JSON (see DossierContentHash): updated_at moves only when it changes,
-- last_seen_at on every write. The name and category columns are copies of document fields for search.
CREATE TABLE IF NOT EXISTS wealthx_dossiers (
    id            bigint      PRIMARY KEY,
    document      jsonb       NOT NULL,
    content_hash  bytea       NOT NULL,
    category      text        NULL,
    full_name     text        NULL,
    first_name    text        NULL,
    last_name     text        NULL,
    last_modified date        NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS wealthx_dossiers_created_at ON wealthx_dossiers (created_at);
CREATE INDEX IF NOT EXISTS wealthx_dossiers_updated_at ON wealthx_dossiers (updated_at);
CREATE INDEX IF NOT EXISTS wealthx_dossiers_category ON wealthx_dossiers (category);
CREATE INDEX IF NOT EXISTS wealthx_dossiers_full_name ON wealthx_dossiers (lower(full_name));
CREATE INDEX IF NOT EXISTS wealthx_dossiers_last_name ON wealthx_dossiers (lower(last_name));
