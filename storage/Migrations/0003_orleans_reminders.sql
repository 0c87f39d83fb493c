-- Orleans reminders on PostgreSQL: our table and the seven query texts of the ADO.NET reminder service
-- (Orleans 10.4.2), written to the contract in docs/ORLEANS-ADONET.md.

-- grain_hash is the grain's uniform hash reinterpreted as a signed int32, exactly as Orleans sends it;
-- storing and comparing it signed keeps the ring order Orleans' range queries rely on. period_ms is
-- bigint because periods over about 24.8 days arrive as int64. version changes on every upsert and is
-- the ETag a delete must present.
CREATE TABLE orleans_reminder (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Each silo reads the reminders of its slice of the hash ring.
CREATE INDEX orleans_reminder_ring ON orleans_reminder (service_id, grain_hash);

-- Insert at version 0 or update the existing (service, grain, name); the version changes on every call
-- (wrapping to 0 at int32's maximum instead of overflowing) and comes back in the one row Orleans reads.
INSERT INTO orleansquery (querykey, querytext) VALUES ('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminder AS r
    (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = EXCLUDED.start_time,
    period_ms = EXCLUDED.period_ms,
    grain_hash = EXCLUDED.grain_hash,
    version = CASE WHEN r.version < 2147483647 THEN r.version + 1 ELSE 0 END
RETURNING r.version AS "Version"
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- All reminders of one grain (GrainId is compared exactly, as "<type>/<key>").
INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadReminderRowsKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- One reminder, or no row (which Orleans reads as "no such reminder").
INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadReminderRowKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- A slice of the ring that doesn't wrap (Orleans uses it when BeginHash < EndHash, signed):
-- BeginHash < GrainHash <= EndHash.
INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadRangeRows1Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- A slice that wraps past int32's maximum (BeginHash >= EndHash): above BeginHash or up to EndHash.
-- BeginHash = EndHash selects the whole ring, which is what a single silo owns.
INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadRangeRows2Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- Delete only the version the caller holds, so a reminder re-registered meanwhile survives. Exactly one
-- row with one boolean: true if a row went.
INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleans_reminder
    WHERE service_id = @ServiceId AND grain_id = @GrainId
      AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted)
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- Every reminder of a service (Orleans' test-only API; its result is ignored).
INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminder WHERE service_id = @ServiceId
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
