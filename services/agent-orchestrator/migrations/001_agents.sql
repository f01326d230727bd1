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

-- The hierarchy's rules, again in the database: the service checks them under its advisory lock
-- and answers with the rule's code; this trigger only stops a write that went around the service
-- (or a bug in it). A cycle is found by walking up from the new manager; the walk is bounded.
create function agents_hierarchy_guard() returns trigger language plpgsql as $$
begin
  if new.status = 'active' and new.manager_id is not null then
    if exists (select 1 from agents where id = new.manager_id and status <> 'active') then
      raise exception 'agent %: manager % is retired', new.id, new.manager_id
        using errcode = 'check_violation', constraint = 'agents_manager_active';
    end if;
    if tg_op = 'UPDATE' and new.manager_id is distinct from old.manager_id and exists (
      with recursive up (id, manager_id, depth) as (
        select id, manager_id, 0 from agents where id = new.manager_id
        union all
        select a.id, a.manager_id, up.depth + 1 from agents a join up on a.id = up.manager_id
         where up.depth < 64
      )
      select 1 from up where id = new.id
    ) then
      raise exception 'agent %: manager % reports to it', new.id, new.manager_id
        using errcode = 'check_violation', constraint = 'agents_no_cycle';
    end if;
  end if;
  if tg_op = 'UPDATE' and new.status = 'retired' and old.status = 'active' and exists (
    select 1 from agents where manager_id = new.id and status = 'active'
  ) then
    raise exception 'agent %: active agents report to it', new.id
      using errcode = 'check_violation', constraint = 'agents_retired_without_reports';
  end if;
  return new;
end $$;

create trigger agents_hierarchy_guard before insert or update of manager_id, status on agents
  for each row execute function agents_hierarchy_guard();
