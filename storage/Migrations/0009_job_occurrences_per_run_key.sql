-- A schedule may belong to one run key of a job (a bank connection's recurring import): the same cron occurrence
-- then starts one run per run key, not one per job. A repeated trigger of an occurrence still finds the run that
-- served it, now by job, run key and occurrence.
DROP INDEX IF EXISTS job_runs_one_per_occurrence;
CREATE UNIQUE INDEX IF NOT EXISTS job_runs_one_per_occurrence_and_key ON job_runs (job, run_key, scheduled_for) NULLS NOT DISTINCT
    WHERE scheduled_for IS NOT NULL;
