-- The kit's tables, in every service database with migrations (tracked as service `kit`).
-- Responses of requests sent with an Idempotency-Key, per caller, replayed for retries.
-- `if not exists`: the economic governor created this table in its own first migration.
create table if not exists idempotency_keys (
  subject text not null,
  key text not null,
  fingerprint text not null,
  status smallint,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (subject, key)
);
create index if not exists idempotency_keys_age on idempotency_keys (created_at);
