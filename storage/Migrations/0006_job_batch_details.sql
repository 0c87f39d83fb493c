-- A batch's own facts (BatchResult.Details: a page's range, rows inserted, rows pruned), kept with its checkpoint so a
-- run's completion event can add them up for jobs that report counts (the retention job).
ALTER TABLE job_run_batches ADD COLUMN IF NOT EXISTS details jsonb NULL;
