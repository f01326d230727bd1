-- The service that wrote each outbox row. Services that share one database share one outbox:
-- each service's relay publishes only its own rows, under a leader lock of its own, with its
-- own name as the envelopes' producer. Rows written before this column, or by SQL that does not
-- name it (the economic governor's transfers), are null: the relay of the topic's first declared
-- producer (services/events/topics.ts) publishes them.
alter table outbox add column if not exists producer text;
create index if not exists outbox_producer on outbox (producer, id);
