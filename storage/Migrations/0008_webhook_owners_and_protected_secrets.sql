-- Webhooks belong to the user of the API key that created them: listed, read and deleted only by that user (and by
-- admin keys). Subscriptions made before users existed were made with the admin key or an operator key nobody can be
-- told apart by now, so they go to 'admin'.
ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS owner text NOT NULL DEFAULT 'admin';
CREATE INDEX IF NOT EXISTS webhooks_by_owner ON webhooks (owner, created_at) WHERE active;

-- Secrets are stored protected by Data Protection (secret_protected = true). A migration cannot call Data Protection,
-- so rows from before are marked false (the default, also for a row an older gateway inserts during an upgrade) and
-- the gateway protects them when it starts (WebhookStore.ProtectPlainSecretsAsync).
ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS secret_protected boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS webhooks_plain_secrets ON webhooks (webhook_id) WHERE NOT secret_protected;
