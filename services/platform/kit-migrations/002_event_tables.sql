-- The event bus's tables, in the database of every service that produces or consumes events,
-- tracked as `kit` in aia_schema_migrations and applied after the service's own migrations
-- (`migrateService`). Idempotent: a service that made its outbox before the kit (the economic
-- governor, in its migration 001) keeps its table and gets the columns it lacks.

-- Events written in the same transaction as the state they describe; the relay publishes them in
-- id order and deletes what the transport acknowledged.
create table if not exists outbox (
  id bigint generated always as identity primary key,
  topic text not null,
  key text not null,
  payload jsonb not null,
  created_at timestamptz not null default now()
);
alter table outbox
  -- What consumers dedupe on; a writer that does not set it (the governor's SQL) gets one here.
  add column if not exists event_id uuid not null default gen_random_uuid(),
  add column if not exists schema_version integer not null default 1,
  -- W3C trace context of the writing request: {"traceparent": ..., "tracestate": ...}.
  add column if not exists trace_context jsonb;
create unique index if not exists outbox_event_id on outbox (event_id);

-- Events a consumer group has handled, inserted in the handler's own transaction: a redelivered
-- event finds its row and is skipped. Rows older than the topic's retention can be deleted.
create table if not exists processed_events (
  consumer_group text not null,
  event_id uuid not null,
  topic text not null,
  processed_at timestamptz not null default now(),
  primary key (consumer_group, event_id)
);
create index if not exists processed_events_age on processed_events (processed_at);
