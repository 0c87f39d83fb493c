-- Single-flight per job and run key, idempotent triggers, and the rule that makes a stranded run findable.
--
-- run_key scopes single-flight inside a job: one WealthX session per feed is one key per job, but an import
-- job runs once per bank connection (run_key = the connection) and a task job once per task. NULL is the
-- job's default key. A run that is not final is "active"; at most one active run per (job, run_key), which
-- the database enforces, so two silos racing to start a run (or one resuming a run whose grain state never
-- recorded it) cannot both win.
ALTER TABLE job_runs ADD COLUMN IF NOT EXISTS run_key text NULL;

-- A trigger retried by a client or by the gateway (after a silo died mid-call) carries the same key and gets
-- the run the first attempt created.
ALTER TABLE job_runs ADD COLUMN IF NOT EXISTS idempotency_key text NULL;
CREATE UNIQUE INDEX IF NOT EXISTS job_runs_one_per_idempotency_key ON job_runs (job, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Before the rule holds: a run stranded by an earlier crash (its row written, its grain never told) may sit
-- beside a later run of the same job. Keep the newest; the older ones failed when they were stranded.
UPDATE job_runs r
SET status = 'failed', finished_at = now(),
    error = coalesce(r.error, 'Stranded: its silo died before the run was recorded, and a later run of the job replaced it.')
WHERE r.status IN ('queued', 'running', 'paused')
  AND EXISTS (SELECT 1 FROM job_runs n
              WHERE n.job = r.job AND n.run_key IS NOT DISTINCT FROM r.run_key
                AND n.status IN ('queued', 'running', 'paused')
                AND (n.created_at, n.run_id) > (r.created_at, r.run_id));

CREATE UNIQUE INDEX IF NOT EXISTS job_runs_one_active ON job_runs (job, run_key) NULLS NOT DISTINCT
    WHERE status IN ('queued', 'running', 'paused');
