-- A2A push notifications. A task's owner names webhooks (TaskPushNotificationConfig) to be told
-- of the task's changes; configs are reached through their task only, so they are scoped as the
-- task is (tenant, owner, agent): another caller's are "not found".
create table a2a_push_configs (
  task_id text not null references a2a_tasks (id) on delete cascade,
  id text not null check (length(id) between 1 and 256),
  url text not null check (length(url) between 1 and 2048),
  -- Echoed as X-A2A-Notification-Token; '' for none.
  token text not null default '' check (length(token) <= 512),
  -- AuthenticationInfo ({scheme, credentials}) in its wire form, or null.
  authentication jsonb check (authentication is null or jsonb_typeof(authentication) = 'object'),
  created_at timestamptz not null default now(),
  primary key (task_id, id)
);

-- One notification per config per saved change of a task's state, status or artifacts: the
-- delivery worker (execution/push-delivery.ts) sends them, per config in `seq` order, and
-- deletes each once it was answered or given up on. Deleting a config deletes what it had not
-- sent yet.
create table a2a_push_deliveries (
  -- The notification's id, the same on every attempt (the signature's jti): receivers drop
  -- duplicates by it.
  id uuid primary key default gen_random_uuid(),
  seq bigint generated always as identity unique,
  task_id text not null,
  config_id text not null,
  -- The task as it was saved (its history left out): the notification's StreamResponse.task.
  task jsonb not null check (jsonb_typeof(task) = 'object'),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  -- Set while a worker sends it; a worker that died leaves it to be taken after this time.
  leased_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  foreign key (task_id, config_id) references a2a_push_configs (task_id, id) on delete cascade
);

-- The head of each config's line: its lowest seq.
create index a2a_push_deliveries_line on a2a_push_deliveries (task_id, config_id, seq);
create index a2a_push_deliveries_due on a2a_push_deliveries (next_attempt_at);

-- Every save of a task reaches this trigger, whoever wrote it (the task store, a worker, a
-- cancel, a raw statement): a change of state, status or artifacts becomes one delivery per
-- config. Deferred to commit, so configs saved in the same transaction as the task (SendMessage
-- with a config) hear of its first state; a rolled-back save announces nothing. Two saves of
-- one task commit in the order they took its row, and so do their deliveries' seq.
create or replace function a2a_tasks_push() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and new.state = old.state and new.status = old.status
     and new.artifacts = old.artifacts then
    return null;
  end if;
  insert into a2a_push_deliveries (task_id, config_id, task)
  select new.id, c.id, jsonb_build_object(
           'id', new.id, 'contextId', new.context_id, 'status', new.status,
           'artifacts', new.artifacts, 'metadata', new.metadata)
    from a2a_push_configs c
   where c.task_id = new.id
   order by c.created_at, c.id;
  return null;
end $$;

create constraint trigger a2a_tasks_push after insert or update on a2a_tasks
  deferrable initially deferred for each row execute function a2a_tasks_push();
