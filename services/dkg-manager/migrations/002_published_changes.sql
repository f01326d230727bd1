-- What the DKG manager has published on aia.dkg.changes.v1, kept beside the outbox (whose rows
-- are deleted once relayed). Every write compares the graph with these rows, inside a
-- transaction that holds the entry's row, and publishes the difference: a retried write finds
-- its events published and publishes nothing, and a write whose events were lost after the graph
-- committed (Neo4j: a separate database) has them published by its retry.

-- Per entry (the events' key): the last version published as created/updated (0: none yet).
-- Locking this row serialises every event of the entry, so the outbox keeps their order.
create table dkg_published_entries (
  entry_id text primary key,
  version integer not null default 0 check (version >= 0)
);

-- Per relation: published as set, with this level (null: a relation without one). No row: not
-- published, or published as removed.
create table dkg_published_relations (
  from_id text not null,
  type text not null,
  to_id text not null,
  level integer,
  primary key (from_id, type, to_id)
);
