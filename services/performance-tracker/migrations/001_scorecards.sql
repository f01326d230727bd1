-- The performance tracker's state. `tracker_runs` is the truth (one row per run of
-- aia.agents.runs.v1, written in the consumer's transaction with processed_events); every other
-- table is derived from it and can be rebuilt by replaying the topic (or from tracker_runs).

create table tracker_runs (
  run_id uuid primary key,
  agent_id uuid not null,
  -- The skill the run was for, trimmed and lower-cased; null for records without one (producers
  -- before version 2): they count in the agent's scorecard only.
  skill text check (skill is null or length(skill) between 1 and 200),
  outcome text not null check (outcome in ('succeeded', 'failed', 'cancelled')),
  -- AIA, exact: what the run cost, its delegated children included.
  cost numeric not null,
  duration_ms bigint not null check (duration_ms >= 0),
  quality double precision check (quality between 0 and 1),
  finished_at timestamptz not null,
  -- The envelope that brought it (a second envelope of the same run changes nothing).
  event_id uuid not null,
  ingested_at timestamptz not null default now()
);
create index tracker_runs_by_agent on tracker_runs (agent_id, finished_at);
create index tracker_runs_by_skill on tracker_runs (skill, finished_at) where skill is not null;

-- A scorecard per window (`sliding`: the last SCORECARD_WINDOW_DAYS; `decayed`: every run
-- weighted 2^(-age / SCORECARD_HALF_LIFE_HOURS), runs older than 10 half-lives left out), scope
-- and moment `as_of` (the window ends there). Scopes: an agent over all skills (skill '*'), an
-- agent in a skill, a skill over all agents (agent_id '*'). Counts are whole in `sliding`,
-- effective (sums of weights) in `decayed`. Epochs (later) snapshot these rows as they are at
-- the epoch's end: `insert into <snapshot> select ... from tracker_scorecards`.
create table tracker_scorecards (
  window_name text not null check (window_name in ('sliding', 'decayed')),
  skill text not null,
  agent_id text not null,
  as_of timestamptz not null,
  runs double precision not null check (runs >= 0),
  successes double precision not null check (successes >= 0),
  failures double precision not null check (failures >= 0),
  cancelled double precision not null check (cancelled >= 0),
  -- Wilson lower bound (95 %) of successes / (successes + failures): what ranks.
  score double precision not null check (score between 0 and 1),
  quality_mean double precision,
  quality_count double precision not null default 0,
  -- Nearest-rank percentiles of the successful runs' durations (weighted in `decayed`).
  latency_p50_ms bigint,
  latency_p95_ms bigint,
  cost_total numeric not null,
  -- cost_total / successes, 18 decimals; null without a success.
  cost_per_success numeric,
  updated_at timestamptz not null default now(),
  primary key (window_name, skill, agent_id)
);
-- Leaderboards read this index in rank order.
create index tracker_leaderboard
  on tracker_scorecards (window_name, skill, score desc, successes desc, agent_id)
  where agent_id <> '*';
create index tracker_scorecards_stale on tracker_scorecards (as_of);

-- Rankings whose scores changed since ranks were last computed (the rank publisher's queue).
create table tracker_dirty_rankings (
  window_name text not null,
  skill text not null,
  since timestamptz not null default now(),
  primary key (window_name, skill)
);

-- The ranks last computed (and, for the published ranking, last written to
-- aia.performance.rankings.v1), so the next computation writes only what changed.
create table tracker_current_ranks (
  window_name text not null,
  skill text not null,
  agent_id uuid not null,
  rank integer not null check (rank >= 1),
  score double precision not null,
  computed_at timestamptz not null,
  primary key (window_name, skill, agent_id)
);

-- A row per change of an agent's rank in a ranking (its first rank included).
create table tracker_rank_history (
  id bigint generated always as identity primary key,
  window_name text not null,
  skill text not null,
  agent_id uuid not null,
  rank integer not null check (rank >= 1),
  previous_rank integer,
  score double precision not null,
  recorded_at timestamptz not null
);
create index tracker_rank_history_by_agent
  on tracker_rank_history (agent_id, window_name, skill, id desc);
