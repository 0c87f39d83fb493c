-- Orleans cluster membership on PostgreSQL: the query catalogue the Orleans ADO.NET providers read,
-- our membership tables, and the clustering query texts.
--
-- Written to the contract in docs/ORLEANS-ADONET.md (Orleans 10.4.2, Npgsql 10). The providers only ever
-- name orleansquery; every other table and column name here is ours. Each text is a single statement
-- (data-modifying CTEs where a version check and a change must happen together), so each call is atomic
-- without a function or an explicit transaction.
--
-- Texts are upserted (ON CONFLICT (querykey) DO UPDATE) so a later migration can revise one by
-- upserting it again. Providers cache the texts at start: restart silos and clients after a revision.

-- The catalogue. Unquoted names, because the providers write OrleansQuery/QueryKey/QueryText unquoted and
-- PostgreSQL folds those to lower case.
CREATE TABLE orleansquery (
    querykey  varchar(64) PRIMARY KEY,
    querytext text        NOT NULL
);

-- One row per cluster (ClusterId, sent as DeploymentId). Its version is the membership table's ETag:
-- every membership change adds exactly 1, heartbeats never touch it.
CREATE TABLE orleans_membership_version (
    deployment_id text        PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0 CHECK (version >= 0),
    changed_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation. Address is text because the provider parses it back with IPAddress.Parse.
-- Timestamps are timestamptz: the provider sends UTC and later matches values it read back exactly.
CREATE TABLE orleans_membership_member (
    deployment_id   text        NOT NULL REFERENCES orleans_membership_version (deployment_id),
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL DEFAULT 0,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Called by every silo at start. ON CONFLICT DO NOTHING means an existing row is never an error; the
-- EXISTS over the CTE always yields exactly one row holding one boolean: true if this call created it.
INSERT INTO orleansquery (querykey, querytext) VALUES ('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id, version)
    VALUES (@DeploymentId, 0)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created)
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- All or nothing: the version row moves from @Version to @Version + 1 only if it still holds the version
-- the caller read and the silo is not there yet; the member row is inserted only from that bump. A
-- concurrent writer blocks on the version row and then fails its version check, so it returns false
-- without changing anything. The version stops below int32's maximum, where Orleans could not go on.
INSERT INTO orleansquery (querykey, querytext) VALUES ('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version AS v
    SET version = v.version + 1, changed_at = now()
    WHERE v.deployment_id = @DeploymentId
      AND v.version = @Version
      AND v.version < 2147483647
      AND NOT EXISTS (
          SELECT 1 FROM orleans_membership_member AS m
          WHERE m.deployment_id = @DeploymentId AND m.address = @Address
            AND m.port = @Port AND m.generation = @Generation)
    RETURNING v.deployment_id
), inserted AS (
    INSERT INTO orleans_membership_member
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
         suspect_times, start_time, i_am_alive_time)
    SELECT bumped.deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
           NULL, @StartTime, @IAmAliveTime
    FROM bumped
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted)
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- All or nothing, like the insert: bump the version only if it is still @Version and the silo's row
-- exists, and change the row only from that bump. Name, host, proxy port and start time never change.
-- The later of the stored and the new IAmAliveTime is kept, so a slow writer can't move a heartbeat back.
INSERT INTO orleansquery (querykey, querytext) VALUES ('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version AS v
    SET version = v.version + 1, changed_at = now()
    WHERE v.deployment_id = @DeploymentId
      AND v.version = @Version
      AND v.version < 2147483647
      AND EXISTS (
          SELECT 1 FROM orleans_membership_member AS m
          WHERE m.deployment_id = @DeploymentId AND m.address = @Address
            AND m.port = @Port AND m.generation = @Generation)
    RETURNING v.deployment_id
), updated AS (
    UPDATE orleans_membership_member AS m
    SET status = @Status,
        suspect_times = @SuspectTimes,
        i_am_alive_time = GREATEST(m.i_am_alive_time, @IAmAliveTime)
    FROM bumped
    WHERE m.deployment_id = bumped.deployment_id AND m.address = @Address
      AND m.port = @Port AND m.generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated)
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- The heartbeat. It deliberately leaves the version alone: bumping it would invalidate the ETag every
-- other silo holds and make their membership writes fail. A missing row is a silent no-op.
INSERT INTO orleansquery (querykey, querytext) VALUES ('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership_member
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId AND address = @Address
  AND port = @Port AND generation = @Generation
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- Exactly one row whenever the cluster's version row exists: the LEFT JOIN keeps the version when the
-- silo has no row, and the member columns (StartTime first) are then NULL, which Orleans reads as
-- "no such member". The primary key guarantees at most one member row.
INSERT INTO orleansquery (querykey, querytext) VALUES ('MembershipReadRowKey', $q$
SELECT m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
       m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
       m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime", v.version AS "Version"
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership_member AS m
       ON m.deployment_id = v.deployment_id AND m.address = @Address
      AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- One row per member, each carrying the current version; with no members, the LEFT JOIN still gives one
-- row with NULL member columns, because zero rows would make Orleans throw. One statement, one snapshot.
INSERT INTO orleansquery (querykey, querytext) VALUES ('MembershipReadAllKey', $q$
SELECT m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
       m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
       m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime", v.version AS "Version"
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership_member AS m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- Gateways for clients: silos in the requested status (Active) that expose a gateway (proxy port 0
-- means none).
INSERT INTO orleansquery (querykey, querytext) VALUES ('GatewaysQueryKey', $q$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM orleans_membership_member
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- Forget a whole cluster (tooling and tests): its members, then its version row, in one statement so
-- the foreign key sees both gone.
INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteMembershipTableEntriesKey', $q$
WITH members AS (
    DELETE FROM orleans_membership_member WHERE deployment_id = @DeploymentId
)
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- The legacy bulk cleanup (Orleans runs it only when CleanupDefunctSiloEntryKey is absent, which it never
-- is here, but the key must exist). Only Dead (6) silos that started and last beat before the cutoff and
-- carry no suspicion votes go; the version row is never touched, so no ETag is invalidated.
INSERT INTO orleansquery (querykey, querytext) VALUES ('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership_member
WHERE deployment_id = @DeploymentId
  AND status = 6
  AND i_am_alive_time < @IAmAliveTime
  AND start_time < @IAmAliveTime
  AND coalesce(btrim(suspect_times), '') = ''
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- The per-silo cleanup Orleans uses: it picked the entry from a MembershipReadAll and sends back exactly
-- what it read, so the row goes only if it is still Dead and unchanged since (same start, heartbeat and
-- suspicions; a NULL or empty list matches a NULL or empty column). The version is left alone.
INSERT INTO orleansquery (querykey, querytext) VALUES ('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_membership_member
WHERE deployment_id = @DeploymentId AND address = @Address
  AND port = @Port AND generation = @Generation
  AND status = 6
  AND start_time = @StartTime
  AND i_am_alive_time = @IAmAliveTime
  AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '')
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
