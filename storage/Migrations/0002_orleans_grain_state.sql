-- Orleans grain state on PostgreSQL: our table and the four query texts of the ADO.NET grain storage
-- provider (Orleans 10.4.2), written to the contract in docs/ORLEANS-ADONET.md.
--
-- A row is identified by its natural key (ServiceId, state name, the two key halves, key extension).
-- The provider also sends two int32 hashes; they collide and change with the hasher, so they are
-- neither stored nor used here.

-- payload is bytea because the provider hands over and expects back the serializer's bytes unchanged
-- (json/jsonb/text would come back as strings and rewrite the document). A NULL payload is a cleared
-- row: it still exists and keeps its version, so ETags keep moving forward after a clear.
CREATE TABLE orleans_grain_state (
    service_id         text        NOT NULL,
    state_name         text        NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text        NULL,
    payload            bytea       NULL,
    version            integer     NOT NULL CHECK (version > 0),
    modified_at        timestamptz NOT NULL DEFAULT now(),
    -- NULLS NOT DISTINCT: a NULL extension is one key, not many, so two first writes of the same grain
    -- can't both insert; the loser's conflict-ignoring insert returns no row, which Orleans reports as
    -- an inconsistent state instead of leaving two rows that would break every later read.
    CONSTRAINT orleans_grain_state_natural_key
        UNIQUE NULLS NOT DISTINCT (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension)
);

-- Every query matches the extension null-safely. "= OR (both NULL)" instead of IS NOT DISTINCT FROM keeps
-- the lookup on the unique index: PostgreSQL plans these one-off statements with the parameter values,
-- so one branch folds away and the other is an ordinary index condition.

-- 0 or 1 row (the unique key). A cleared row comes back with a NULL payload and its version, which
-- Orleans reads as "no record, but this ETag".
INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadFromStorageKey', $q$
SELECT payload AS "PayloadBinary", version AS "Version"
FROM orleans_grain_state
WHERE service_id = @ServiceId AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND (grain_id_extension = @GrainIdExtensionString
       OR (grain_id_extension IS NULL AND @GrainIdExtensionString IS NULL))
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- Optimistic concurrency in one statement. Without an ETag (@GrainStateVersion NULL) the row is created
-- at version 1 only if none exists for the key (a cleared row counts as existing); the unique key turns
-- a concurrent first write into "no row". With ETag N the payload is replaced and the version becomes
-- N + 1 only if the stored version is still N. Any other case returns no row, which Orleans raises as
-- InconsistentStateException. The version stops below int32's maximum, which the ETag must fit in.
INSERT INTO orleansquery (querykey, querytext) VALUES ('WriteToStorageKey', $q$
WITH inserted AS (
    INSERT INTO orleans_grain_state
        (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension, payload, version, modified_at)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @PayloadBinary, 1, now()
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT orleans_grain_state_natural_key DO NOTHING
    RETURNING version
), updated AS (
    UPDATE orleans_grain_state
    SET payload = @PayloadBinary, version = version + 1, modified_at = now()
    WHERE service_id = @ServiceId AND state_name = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND (grain_id_extension = @GrainIdExtensionString
           OR (grain_id_extension IS NULL AND @GrainIdExtensionString IS NULL))
      AND version = @GrainStateVersion
      AND version < 2147483647
    RETURNING version
)
SELECT version AS "NewGrainStateVersion" FROM inserted
UNION ALL
SELECT version FROM updated
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- Clear keeps the row and moves its version on (payload NULL, version + 1), so a grain holding the old
-- ETag can't overwrite the clear. No row back (wrong version, or no row) is a conflict.
INSERT INTO orleansquery (querykey, querytext) VALUES ('ClearStorageKey', $q$
UPDATE orleans_grain_state
SET payload = NULL, version = version + 1, modified_at = now()
WHERE service_id = @ServiceId AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND (grain_id_extension = @GrainIdExtensionString
       OR (grain_id_extension IS NULL AND @GrainIdExtensionString IS NULL))
  AND version = @GrainStateVersion
  AND version < 2147483647
RETURNING version
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- Used only with DeleteStateOnClear: the row goes if the version still matches. Orleans needs a value
-- that differs from the ETag it sent (it then forgets the ETag); old version + 1 is that value, and 1
-- stands in at int32's maximum so the arithmetic can't overflow. No row back is a conflict.
INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteStorageKey', $q$
DELETE FROM orleans_grain_state
WHERE service_id = @ServiceId AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND (grain_id_extension = @GrainIdExtensionString
       OR (grain_id_extension IS NULL AND @GrainIdExtensionString IS NULL))
  AND version = @GrainStateVersion
RETURNING CASE WHEN version < 2147483647 THEN version + 1 ELSE 1 END
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
