-- A2A tasks (the @a2a-js/sdk TaskStore): one row per task, the SDK's Task in its wire form.
-- A task belongs to the caller that created it (owner = bearer token subject) within a tenant;
-- every read and write is scoped to both. Ids are unique across owners, so a worker can find a
-- task by id alone.
-- agent_id names the serving agent (null: tasks of an endpoint that serves no registered agent).

create table a2a_tasks (
  id text primary key check (length(id) between 1 and 256),
  tenant text not null default '' check (length(tenant) <= 256),
  owner text not null check (length(owner) between 1 and 256),
  agent_id uuid references agents (id),
  context_id text not null check (length(context_id) <= 256),
  state text not null check (state in (
    'TASK_STATE_UNSPECIFIED', 'TASK_STATE_SUBMITTED', 'TASK_STATE_WORKING',
    'TASK_STATE_COMPLETED', 'TASK_STATE_FAILED', 'TASK_STATE_CANCELED',
    'TASK_STATE_INPUT_REQUIRED', 'TASK_STATE_REJECTED', 'TASK_STATE_AUTH_REQUIRED'
  )),
  -- status.timestamp (or the time of the save when the agent gave none): ListTasks orders and
  -- filters on it.
  status_at timestamptz not null,
  status jsonb not null,
  history jsonb not null default '[]' check (jsonb_typeof(history) = 'array'),
  artifacts jsonb not null default '[]' check (jsonb_typeof(artifacts) = 'array'),
  metadata jsonb not null default '{}' check (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- ListTasks: a caller's tasks newest first, optionally within one context.
create index a2a_tasks_scope_status_at on a2a_tasks (tenant, owner, agent_id, status_at desc, id desc);
create index a2a_tasks_scope_context on a2a_tasks (tenant, owner, agent_id, context_id, status_at desc, id desc);
