-- The agent registry: each agent's card data, its place in the hierarchy, its runtime, its limits
-- and its own AIA account in the ledger. Hierarchy changes take one advisory lock in the service
-- (see repository/agent-store.ts), so two concurrent moves cannot form a cycle; what a single
-- row can say is enforced here too.
create table agents (
  id uuid primary key,
  -- Pagination order: ids are random, a sequence is not.
  seq bigint generated always as identity unique,
  owner text not null check (length(owner) between 1 and 256),
  name text not null check (length(name) between 1 and 128),
  description text not null check (length(description) <= 2000),
  version text not null check (length(version) between 1 and 64),
  skills jsonb not null default '[]' check (jsonb_typeof(skills) = 'array'),
  input_modes text[] not null check (cardinality(input_modes) >= 1),
  output_modes text[] not null check (cardinality(output_modes) >= 1),
  runtime jsonb not null check (runtime ->> 'kind' in ('llm', 'tool', 'remote')),
  limits jsonb not null check (
    jsonb_typeof(limits -> 'concurrency') = 'number'
    and jsonb_typeof(limits -> 'default_budget_aia') = 'string'
  ),
  manager_id uuid references agents (id),
  ledger_account_id uuid not null unique,
  status text not null default 'active' check (status in ('active', 'retired')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  retired_at timestamptz,
  constraint agents_not_own_manager check (manager_id is null or manager_id <> id),
  constraint agents_retired_since check ((status = 'retired') = (retired_at is not null))
);

-- Reports of a manager (the hierarchy's recursive queries walk down through it).
create index agents_manager on agents (manager_id, seq) where manager_id is not null;
create index agents_status on agents (status, seq);
-- `skills @> '[{"tags": ["research"]}]'`: the skill-tag filter of the list.
create index agents_skills on agents using gin (skills jsonb_path_ops);
