-- Venture discovery's state. Sources are configured by people; signals are what sources gave
-- (deduplicated per source by a fingerprint of their canonical content); a run turns the signals
-- of its lookback window into scored opportunities, all written in the run's last transaction.

create table discovery_sources (
  id uuid primary key,
  name text not null unique check (length(name) between 1 and 200),
  -- rss (RSS or Atom), json, csv over http(s); upload (json or csv posted to the API);
  -- sample (a file of the service's samples directory, for the local stack).
  kind text not null check (kind in ('feed', 'json', 'csv', 'upload', 'sample')),
  url text check (url is null or length(url) <= 2000),
  -- Field or column names: { "title": ..., "text": ..., "url": ..., "published_at": ... }.
  mapping jsonb not null default '{}',
  interval_seconds integer not null check (interval_seconds between 60 and 2592000),
  max_bytes integer not null check (max_bytes between 1024 and 52428800),
  timeout_ms integer not null check (timeout_ms between 100 and 120000),
  -- The rate limit: a source is not fetched again before this many seconds have passed.
  min_interval_seconds integer not null check (min_interval_seconds between 0 and 86400),
  enabled boolean not null default true,
  etag text,
  last_modified text,
  last_fetched_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table discovery_signals (
  id uuid primary key,
  source_id uuid not null references discovery_sources (id) on delete cascade,
  -- sha256 of the canonical URL, or of the normalised title and text when there is no URL.
  fingerprint text not null,
  title text not null,
  body text not null,
  url text,
  published_at timestamptz not null,
  fetched_at timestamptz not null default now(),
  unique (source_id, fingerprint)
);
create index discovery_signals_by_time on discovery_signals (published_at);

create table discovery_runs (
  id uuid primary key,
  -- What asked for it: `manual:<idempotency key or run id>` or `schedule:<slot>`; one run each.
  trigger text not null unique,
  state text not null check (state in ('queued', 'running', 'succeeded', 'failed')),
  -- started, fetched, clustered, scored, done: how far the latest attempt got.
  step text not null default 'queued',
  attempts integer not null default 0,
  lease_until timestamptz,
  -- Only these sources (null: every enabled source that is due or not rate limited).
  source_ids uuid[],
  fetched integer not null default 0,
  accepted integer not null default 0,
  clustered integer not null default 0,
  scored integer not null default 0,
  published integer not null default 0,
  -- { "<source id>": { "name", "kind", "fetched", "accepted", "failures": [{ code, message }] } }
  sources jsonb not null default '{}',
  -- The component weights the run scored with (after feedback adjustments), and why they moved.
  weights jsonb,
  weight_changes jsonb,
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index discovery_runs_claimable on discovery_runs (created_at) where state in ('queued', 'running');

create table discovery_opportunities (
  id uuid primary key,
  run_id uuid not null references discovery_runs (id),
  -- The cluster's stable key (its top terms), to compare runs: novelty and growth.
  theme_key text not null,
  title text not null,
  summary text not null,
  themes text[] not null,
  entities jsonb not null,
  score double precision not null check (score between 0 and 1),
  -- { "<component>": { "value", "weight", "contribution", "explanation" } }
  components jsonb not null,
  signal_strength double precision not null,
  growth double precision not null,
  novelty double precision not null,
  competition_density double precision not null,
  capability_fit double precision not null,
  confidence double precision not null,
  status text not null default 'open' check (status in ('open', 'accepted', 'rejected')),
  published boolean not null default false,
  created_at timestamptz not null default now(),
  unique (run_id, theme_key)
);
create index discovery_opportunities_by_score on discovery_opportunities (score desc, id);
create index discovery_opportunities_by_theme on discovery_opportunities (theme_key, created_at);

create table discovery_evidence (
  opportunity_id uuid not null references discovery_opportunities (id) on delete cascade,
  signal_id uuid not null references discovery_signals (id) on delete cascade,
  primary key (opportunity_id, signal_id)
);

create table discovery_feedback (
  id uuid primary key,
  opportunity_id uuid not null references discovery_opportunities (id),
  verdict text not null check (verdict in ('accept', 'reject')),
  reason text not null check (length(reason) <= 2000),
  -- The run whose weights it adjusted (null until a run took it in).
  applied_in_run uuid references discovery_runs (id),
  created_at timestamptz not null default now()
);
create index discovery_feedback_pending on discovery_feedback (created_at) where applied_in_run is null;
