-- Delegation: a task's run may give parts of it to other agents as child tasks. One row per
-- child, written with the child task in one transaction; its budget is reserved in the ledger
-- as a pending transfer from the parent agent's account to the child agent's (id
-- reservation_id), which the settle job posts (the child's cost, at most the budget) or voids
-- exactly once when the child ends.
create table task_delegations (
  child_task_id text primary key references a2a_tasks (id),
  parent_task_id text not null references a2a_tasks (id),
  -- The child's place in its parent's plan: the plan's n-th subtask is always the same child.
  position integer not null check (position >= 0),
  parent_agent_id uuid not null references agents (id),
  child_agent_id uuid not null references agents (id),
  budget_aia numeric(38, 18) not null check (budget_aia >= 0),
  -- Null when nothing was reserved (a zero budget, or the ledger refused the reservation).
  reservation_id uuid,
  finished_at timestamptz,
  settlement text check (settlement in ('posted', 'voided', 'expired')),
  settled_aia numeric(38, 18) check (settled_aia >= 0),
  settled_at timestamptz,
  created_at timestamptz not null default now(),
  unique (parent_task_id, position),
  check ((settlement is null) = (settled_at is null))
);

create index task_delegations_parent on task_delegations (parent_task_id);

-- When a task must have ended: a root's from its submission (TASK_DEADLINE_SECONDS), a child's
-- its parent's. The deadline worker fails the tasks past it; reservations time out with it.
alter table a2a_tasks add column deadline_at timestamptz;
create index a2a_tasks_open_deadlines on a2a_tasks (deadline_at)
  where state not in ('TASK_STATE_COMPLETED', 'TASK_STATE_FAILED', 'TASK_STATE_CANCELED',
                      'TASK_STATE_REJECTED');
