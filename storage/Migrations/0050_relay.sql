-- The Credinvest -> Dropbox relay (issue 14): what each relay run's SFTP listing saw and selected (with the reason
-- each file was left out), and each selected file's upload: its size, its Dropbox content hash once verified, and how
-- the last attempt went. See storage/Relay/RelayStore.cs. Rows belong to a run of the job `credinvest_relay`.

CREATE TABLE IF NOT EXISTS relay_listing (
    run_id      uuid        NOT NULL,
    name        text        NOT NULL,
    size        bigint      NOT NULL,
    modified_at timestamptz NOT NULL,
    account     text        NULL,
    file_type   text        NULL,
    stamped_at  timestamp   NULL,
    selected    boolean     NOT NULL,
    reason      text        NULL,
    listed_at   timestamptz NOT NULL,
    PRIMARY KEY (run_id, name)
);

-- The latest listing: the run that listed last.
CREATE INDEX IF NOT EXISTS relay_listing_listed_at ON relay_listing (listed_at DESC, run_id);

CREATE TABLE IF NOT EXISTS relay_upload (
    run_id       uuid        NOT NULL,
    name         text        NOT NULL,
    account      text        NOT NULL,
    file_type    text        NOT NULL,
    size         bigint      NOT NULL,
    -- 'uploaded' once Dropbox's content hash matched ours; 'failed' while the last attempt failed.
    status       text        NOT NULL CHECK (status IN ('uploaded', 'failed')),
    content_hash text        NULL,
    dropbox_path text        NOT NULL,
    attempts     integer     NOT NULL DEFAULT 0,
    error        text        NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (run_id, name)
);
