-- Evidence from aia.agents.runs.v1, and what the mirror of aia.agents.registry.v1 cannot place
-- yet. Both are written in the consumer's transaction, the one that records the event in
-- processed_events: each run counts exactly once, whichever graph backend holds the edges.

-- Totals per agent and skill (`agent_skill`: subject = the agent's id, target = the skill the run
-- named, as given, normalised like a registry name) and per strategy and task type
-- (`strategy_task_type`: subject = the strategy's id, target = the task type's normalised name).
-- The graph's HAS_SKILL and APPLIES_TO edges carry a copy (see operations/copy-evidence.ts):
-- these rows are the truth, the copy is set from them, never added to.
create table dkg_evidence (
  kind text not null check (kind in ('agent_skill', 'strategy_task_type')),
  subject_id text not null,
  target text not null check (length(target) between 1 and 200),
  runs bigint not null default 0 check (runs >= 0),
  successes bigint not null default 0 check (successes >= 0),
  failures bigint not null default 0 check (failures >= 0),
  quality_sum numeric not null default 0 check (quality_sum >= 0),
  quality_count bigint not null default 0 check (quality_count >= 0),
  -- AIA, exact: the sum of the runs' decimal costs.
  cost_sum numeric not null default 0,
  latency_sum_ms bigint not null default 0 check (latency_sum_ms >= 0),
  latency_max_ms bigint not null default 0 check (latency_max_ms >= 0),
  updated_at timestamptz not null default now(),
  -- Whether the graph's edge has these totals. False: changed since the last copy, or no edge
  -- to copy to yet (an agent, skill, strategy or relation not in the graph); the copy worker
  -- tries again once `checked_at` is older than its interval.
  copied boolean not null default false,
  checked_at timestamptz,
  primary key (kind, subject_id, target),
  constraint dkg_evidence_outcomes check (successes + failures <= runs),
  constraint dkg_evidence_quality check (quality_count <= runs and quality_sum <= quality_count)
);
create index dkg_evidence_to_copy on dkg_evidence (checked_at nulls first) where not copied;

-- Agents whose manager could not be joined to them yet: the manager's record had not arrived,
-- or (records of two agents applied out of order) the MANAGES edge would close a cycle for now.
-- Each applied registry record tries these again.
create table dkg_pending_managers (
  agent_id text primary key,
  manager_id text not null,
  since timestamptz not null default now()
);
