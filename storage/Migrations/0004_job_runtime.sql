-- The job runtime's durable record: runs, their batches (the checkpoint), dead letters, and the
-- outbox of CloudEvents the gateway streams and delivers. Grains decide; these rows remember.

-- One row per run. The plan (the ordered work items) is stored with the run, so a run resumed on
-- another silo carves the same batches from the same list.
CREATE TABLE IF NOT EXISTS job_runs (
    run_id          uuid PRIMARY KEY,
    job             text        NOT NULL,
    trigger         text        NOT NULL CHECK (trigger IN ('manual', 'schedule', 'replay')),
    status          text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'partially_succeeded', 'failed', 'paused')),
    account_id      text        NULL,
    parameters      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    scheduled_for   timestamptz NULL,
    replay_of       bigint      NULL,
    items           text[]      NOT NULL DEFAULT '{}',
    batch_size      integer     NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz NULL,
    finished_at     timestamptz NULL,
    total_batches   integer     NOT NULL DEFAULT 0,
    failed_batches  integer     NOT NULL DEFAULT 0,
    items_processed integer     NOT NULL DEFAULT 0,
    error           text        NULL
);
-- A cron occurrence is served by at most one run, whatever the ticks do.
CREATE UNIQUE INDEX IF NOT EXISTS job_runs_one_per_occurrence ON job_runs (job, scheduled_for) WHERE scheduled_for IS NOT NULL;
CREATE INDEX IF NOT EXISTS job_runs_by_job_time ON job_runs (job, created_at DESC);
CREATE INDEX IF NOT EXISTS job_runs_by_status ON job_runs (status, created_at DESC);

-- A batch is a slice [item_offset, item_offset + item_count) of the run's items. A row in 'running'
-- after a crash is re-run from the same slice: its data writes are idempotent upserts.
CREATE TABLE IF NOT EXISTS job_run_batches (
    run_id          uuid        NOT NULL REFERENCES job_runs (run_id) ON DELETE CASCADE,
    batch_index     integer     NOT NULL,
    item_offset     integer     NOT NULL,
    item_count      integer     NOT NULL CHECK (item_count > 0),
    status          text        NOT NULL CHECK (status IN ('running', 'succeeded', 'dead_lettered')),
    items_processed integer     NOT NULL DEFAULT 0,
    attempts        integer     NOT NULL DEFAULT 0,
    duration_ms     integer     NULL,
    error           text        NULL,
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz NULL,
    PRIMARY KEY (run_id, batch_index)
);

-- Batches that exhausted their retries, with what is needed to replay them in a new run.
CREATE TABLE IF NOT EXISTS job_dead_letters (
    dead_letter_id  bigserial   PRIMARY KEY,
    job             text        NOT NULL,
    run_id          uuid        NOT NULL REFERENCES job_runs (run_id),
    batch_index     integer     NOT NULL,
    items           text[]      NOT NULL,
    account_id      text        NULL,
    parameters      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    error           text        NOT NULL,
    attempts        integer     NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    replayed_at     timestamptz NULL,
    replay_run_id   uuid        NULL,
    UNIQUE (run_id, batch_index)
);
CREATE INDEX IF NOT EXISTS job_dead_letters_open ON job_dead_letters (job, dead_letter_id) WHERE replayed_at IS NULL;

-- CloudEvents written in the same transaction as the state they announce. sequence orders the
-- stream and is the SSE event id (Last-Event-ID resumes after it).
CREATE TABLE IF NOT EXISTS event_outbox (
    sequence        bigserial   PRIMARY KEY,
    event_id        uuid        NOT NULL UNIQUE,
    type            text        NOT NULL,
    source          text        NOT NULL,
    subject         text        NULL,
    job             text        NULL,
    time            timestamptz NOT NULL,
    event           jsonb       NOT NULL
);
CREATE INDEX IF NOT EXISTS event_outbox_by_job ON event_outbox (job, sequence);

-- Webhook subscriptions and their deliveries (one row per event and webhook, retried with backoff).
CREATE TABLE IF NOT EXISTS webhooks (
    webhook_id      uuid        PRIMARY KEY,
    url             text        NOT NULL,
    secret          text        NOT NULL,
    types           text[]      NOT NULL DEFAULT '{}',
    jobs            text[]      NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- Events up to this sequence have a delivery row: new events are fanned out from here.
    cursor_sequence bigint      NOT NULL DEFAULT 0,
    active          boolean     NOT NULL DEFAULT true
);

CREATE TABLE IF NOT EXISTS webhook_deliveries (
    webhook_id      uuid        NOT NULL REFERENCES webhooks (webhook_id) ON DELETE CASCADE,
    sequence        bigint      NOT NULL REFERENCES event_outbox (sequence),
    status          text        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_status     integer     NULL,
    last_error      text        NULL,
    delivered_at    timestamptz NULL,
    PRIMARY KEY (webhook_id, sequence)
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
