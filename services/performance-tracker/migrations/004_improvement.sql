-- Measured improvement: candidate variants of an agent, each evaluated against its parent on
-- the same benchmark tasks (a fixed, versioned set per skill), and promoted only when better
-- with statistical confidence (docs/performance-tracker.md, "Measured improvement").

-- A candidate variant of agent `parent_agent_id`: a new prompt, model class or strategy version,
-- either an agent of its own (`variant_agent_id`) or the parent with changed `settings`.
create table tracker_variants (
  id uuid primary key,
  parent_agent_id uuid not null,
  kind text not null check (kind in ('prompt', 'model_class', 'strategy_version')),
  description text not null check (length(description) between 1 and 2000),
  -- The skill whose benchmark set judges it (trimmed and lower-cased, as scorecards key skills).
  skill text not null check (length(skill) between 1 and 200),
  variant_agent_id uuid check (variant_agent_id is distinct from parent_agent_id),
  settings jsonb,
  -- Where its lineage (variant DERIVED_FROM parent) is kept: `recorded` in the knowledge graph,
  -- `pending` until the DKG manager takes it (lineage_error says why not yet), `local` when the
  -- variant has no agent of its own there (settings only): this row is its lineage.
  lineage_status text not null check (lineage_status in ('recorded', 'pending', 'local')),
  lineage_error text,
  created_by text not null,
  created_at timestamptz not null default now(),
  check ((variant_agent_id is null) <> (settings is null))
);
create index tracker_variants_by_parent on tracker_variants (parent_agent_id, created_at, id);
create index tracker_variants_lineage_pending on tracker_variants (created_at)
  where lineage_status = 'pending';

-- One evaluation per variant (asking again returns it): queued, running under a lease, then
-- promoted, rejected (not better with confidence) or failed (the evaluation itself could not be
-- done). A finished row is final; agent_improvements_total counts finished rows once each.
create table tracker_evaluations (
  variant_id uuid primary key references tracker_variants (id),
  benchmark_skill text not null,
  -- The benchmark set's content hash: the tasks both sides ran.
  benchmark_version text not null,
  status text not null check (status in ('queued', 'running', 'promoted', 'rejected', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  lease_until timestamptz,
  last_error text,
  -- Why it ended so, in a sentence, and the paired comparison's numbers.
  reason text,
  statistic jsonb,
  queued_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  check ((status in ('promoted', 'rejected', 'failed')) = (finished_at is not null))
);
create index tracker_evaluations_due on tracker_evaluations (queued_at)
  where status in ('queued', 'running');

-- Each side's result on each benchmark task. Written as the tasks finish, so an attempt that
-- stops half-way is resumed by the next without running finished tasks again.
create table tracker_evaluation_results (
  variant_id uuid not null references tracker_evaluations (variant_id),
  task_id text not null,
  side text not null check (side in ('parent', 'variant')),
  success boolean not null,
  quality double precision not null check (quality between 0 and 1),
  -- AIA, exact: what the run cost.
  cost numeric not null,
  -- The agent's answer as graded (shortened), or why the agent did not complete the task.
  detail text not null,
  recorded_at timestamptz not null default now(),
  primary key (variant_id, task_id, side)
);
