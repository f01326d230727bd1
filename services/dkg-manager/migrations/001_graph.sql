-- The knowledge graph on PostgreSQL (GRAPH_BACKEND=postgres): nodes and edges with jsonb
-- properties. Paths and neighbourhoods are recursive queries over graph_edges' two indexes.
create table graph_nodes (
  id text primary key,
  label text not null,
  properties jsonb not null,
  -- Unique per label when present: a registry's normalised name, a version's entry@number.
  key text generated always as (properties ->> 'key') stored,
  -- Full-text search over name and description: words, not substrings, as Neo4j's full-text
  -- index matches them; the 'simple' configuration neither stems nor drops stop words.
  search tsvector generated always as (
    to_tsvector(
      'simple'::regconfig,
      coalesce(properties ->> 'name', '') || ' ' || coalesce(properties ->> 'description', '')
    )
  ) stored,
  constraint graph_nodes_properties_object check (jsonb_typeof(properties) = 'object')
);
create unique index graph_nodes_label_key on graph_nodes (label, key) where key is not null;
create index graph_nodes_search on graph_nodes using gin (search);

create table graph_edges (
  type text not null,
  from_id text not null references graph_nodes (id),
  to_id text not null references graph_nodes (id),
  properties jsonb not null default '{}',
  primary key (from_id, type, to_id),
  constraint graph_edges_properties_object check (jsonb_typeof(properties) = 'object')
);
create index graph_edges_to on graph_edges (to_id, type);
