-- The ASP.NET Core Data Protection key ring (storage/Secrets/PostgresXmlRepository.cs): one row per XML element the
-- key manager stores (a key, a revocation). Every gateway replica reads the same ring, so a secret one replica
-- protected the others can read. Each key's master secret is sealed with DataProtection:KeyRingKey before it is
-- stored, so neither this table nor a dump of it reveals a key.
CREATE TABLE IF NOT EXISTS data_protection_keys (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text        NOT NULL,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
