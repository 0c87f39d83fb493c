-- Analysis tasks (issue 15): a task per submitted portfolio, its sections and their results. The AnalysisTaskGrain of a
-- task is the only writer of its rows (storage/Analysis/AnalysisTaskStore.cs). No credential is stored: the platform
-- token a task needs while it runs is kept Data Protection-encrypted in protected_token and dropped when it ends.

CREATE TABLE IF NOT EXISTS analysis_tasks (
    task_id         uuid        PRIMARY KEY,
    owner           text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'completed_with_errors', 'failed')),
    provider        text        NOT NULL,
    data            jsonb       NOT NULL,
    protected_token text        NULL,
    error           text        NULL,
    created_at      timestamptz NOT NULL,
    started_at      timestamptz NULL,
    finished_at     timestamptz NULL
);

-- A user's tasks, newest first; retention by age.
CREATE INDEX IF NOT EXISTS analysis_tasks_owner_created ON analysis_tasks (owner, created_at DESC, task_id);
CREATE INDEX IF NOT EXISTS analysis_tasks_created ON analysis_tasks (created_at, task_id);
-- Tasks not finished: what a silo picks up after a full restart.
CREATE INDEX IF NOT EXISTS analysis_tasks_open ON analysis_tasks (created_at) WHERE status IN ('pending', 'running');

CREATE TABLE IF NOT EXISTS analysis_task_sections (
    task_id     uuid        NOT NULL REFERENCES analysis_tasks (task_id) ON DELETE CASCADE,
    section     text        NOT NULL,
    position    integer     NOT NULL,
    status      text        NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed')),
    result      jsonb       NULL,
    error       text        NULL,
    attempts    integer     NOT NULL DEFAULT 0,
    started_at  timestamptz NULL,
    finished_at timestamptz NULL,
    PRIMARY KEY (task_id, section)
);
