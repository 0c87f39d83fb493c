-- tributary_require(condition, message): raises SQLSTATE TR001 with the message unless the condition is true, and
-- returns true otherwise. It lets a statement sent in a batch without an explicit transaction abort the batch's implicit
-- transaction on a check the client would otherwise make between the batch and a COMMIT of its own: the checkpoint of
-- a job batch (storage/Jobs/JobRunStore.cs) is written in one round trip, so the outbox's append lock is held only while
-- the server runs the batch, not across one more client round trip.

CREATE OR REPLACE FUNCTION tributary_require(condition boolean, message text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF condition IS NOT TRUE THEN
        RAISE EXCEPTION USING ERRCODE = 'TR001', MESSAGE = message;
    END IF;
    RETURN true;
END
$$;
