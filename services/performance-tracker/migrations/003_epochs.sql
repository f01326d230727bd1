-- Epochs and their payouts (docs/performance-tracker.md, "Epochs and payouts"). Epoch n covers
-- [origin + n·EPOCH_HOURS, origin + (n+1)·EPOCH_HOURS) from 2026-01-01T00:00Z. A row exists once
-- its payout table is built (at the epoch's end), or earlier when an admin holds the epoch.

create table tracker_epochs (
  epoch bigint primary key check (epoch >= 0),
  starts_at timestamptz not null,
  ends_at timestamptz not null check (ends_at > starts_at),
  -- pending: table built, to be paid; held: an admin holds it (not paid until released);
  -- paid; skipped_empty: nothing to pay (no agent above the floor, or an empty pool);
  -- refused: the ledger refused the distribution (reason below).
  status text not null
    check (status in ('pending', 'held', 'paid', 'skipped_empty', 'refused')),
  -- Set when the payout table was built (the epoch's snapshot); null for a held future epoch.
  built_at timestamptz,
  -- The reward distribution that pays it: a name-based UUID of the epoch (and revision, raised
  -- when an admin releases a refused epoch to be built again).
  revision integer not null default 0 check (revision >= 0),
  distribution_id uuid,
  -- The rule as configured when it was built (budget, floor, cap share, hours).
  rule jsonb,
  -- AIA, exact: the reward pool's balance when built, min(budget, balance), the cap, the sum.
  pool_balance numeric check (pool_balance >= 0),
  payable numeric check (payable >= 0),
  cap_amount numeric check (cap_amount >= 0),
  total numeric check (total >= 0 and total <= payable),
  held_by text,
  held_at timestamptz,
  paid_at timestamptz,
  -- The ledger's refusal (problem code and detail), or the last transient failure.
  refusal_code text,
  refusal_detail text,
  attempts integer not null default 0,
  last_error text,
  updated_at timestamptz not null default now()
);
create index tracker_epochs_to_pay on tracker_epochs (epoch) where status = 'pending';

-- An epoch's payout table: one line per agent with a run finishing inside the epoch.
create table tracker_epoch_payouts (
  epoch bigint not null references tracker_epochs (epoch) on delete cascade,
  agent_id uuid not null,
  -- The agent's AIA account (from the agent orchestrator); null when it has none: no amount.
  account_id uuid,
  runs integer not null check (runs >= 0),
  successes integer not null check (successes >= 0),
  failures integer not null check (failures >= 0),
  quality_mean double precision,
  evaluated_runs integer not null check (evaluated_runs >= 0),
  score double precision not null check (score between 0 and 1),
  amount numeric not null check (amount >= 0),
  capped boolean not null,
  primary key (epoch, agent_id)
);
