-- Governance (docs/governance.md): AIA_GOV stakes weigh votes, voters register commitments,
-- proposals snapshot them, votes are counted once per nullifier, passed proposals execute once.

-- A stake is of AIA or of AIA_GOV (staked AIA_GOV is a voter's weight). Earlier stakes are AIA.
alter table stakes add column ledger text not null default 'AIA'
  check (ledger in ('AIA', 'AIA_GOV'));
create index stakes_account_ledger on stakes (account_id, ledger);

-- One commitment per account: Poseidon(secret, weight), a decimal element of the BN254 scalar
-- field. Replacing it takes a new registration id, so snapshot order follows the latest one.
create sequence governance_registration_seq;
create table governance_voters (
  account_id uuid primary key references accounts (id),
  registration_id bigint not null unique default nextval('governance_registration_seq'),
  commitment text not null unique check (commitment ~ '^[1-9][0-9]{0,76}$'),
  weight numeric(20, 0) not null check (weight >= 0 and weight <= 18446744073709551615),
  registered_by text not null,
  registered_at timestamptz not null default now()
);

create table governance_proposals (
  id uuid primary key,
  -- Listing order and page cursor: newest first.
  seq bigserial not null unique,
  -- The id hashed into the scalar field: what a vote proof binds as proposalId.
  proposal_field text not null unique,
  proposer_account_id uuid not null references accounts (id),
  proposed_by text not null,
  title text not null check (length(title) between 1 and 200),
  body text not null check (length(body) <= 20000),
  kind text not null check (kind in ('treasury_transfer', 'parameter_change', 'text')),
  action jsonb,
  quorum numeric(20, 0) not null check (quorum >= 0),
  modes text[] not null check (cardinality(modes) between 1 and 2 and modes <@ array['private', 'signed']),
  snapshot_root text not null,
  snapshot_size integer not null check (snapshot_size >= 0),
  opened_at timestamptz not null default now(),
  closes_at timestamptz not null,
  -- Set once by the tally: passed or rejected, then executed for what executes.
  outcome text check (outcome in ('passed', 'rejected')),
  votes_for numeric(30, 0),
  votes_against numeric(30, 0),
  votes_abstain numeric(30, 0),
  tallied_at timestamptz,
  executes_at timestamptz,
  executed_at timestamptz,
  execution_transfer_id uuid,
  execution_refusal text,
  constraint governance_proposals_tally_whole check (
    (outcome is null) = (tallied_at is null)
    and (outcome is null) = (votes_for is null)
  )
);
create index governance_proposals_due on governance_proposals (closes_at) where outcome is null;
create index governance_proposals_executable on governance_proposals (executes_at)
  where outcome = 'passed' and executed_at is null and execution_refusal is null;

-- The snapshot's leaves, in tree order (position = leaf index).
create table governance_snapshot_leaves (
  proposal_id uuid not null references governance_proposals (id),
  position integer not null check (position >= 0),
  commitment text not null,
  primary key (proposal_id, position),
  unique (proposal_id, commitment)
);

-- Per account, the whole AIA_GOV staked at the opening: the weight of a signed vote. `commitment`
-- (and the weight it was registered with) is the account's leaf in this snapshot, if it has one:
-- a signed vote must then reveal its secret, so the server derives the leaf's nullifier.
create table governance_snapshot_weights (
  proposal_id uuid not null references governance_proposals (id),
  account_id uuid not null references accounts (id),
  weight numeric(20, 0) not null check (weight > 0),
  commitment text,
  commitment_weight numeric(20, 0),
  primary key (proposal_id, account_id),
  constraint governance_snapshot_weights_leaf_whole check ((commitment is null) = (commitment_weight is null))
);

-- Counted votes. A nullifier counts once per proposal and an account signs once per proposal:
-- both are unique indexes, so two concurrent votes cannot both be counted.
create table governance_votes (
  id bigserial primary key,
  proposal_id uuid not null references governance_proposals (id),
  mode text not null check (mode in ('private', 'signed')),
  nullifier text,
  account_id uuid references accounts (id),
  choice smallint not null check (choice in (0, 1, 2)),
  weight numeric(20, 0) not null check (weight >= 0),
  cast_at timestamptz not null default now(),
  constraint governance_votes_signed_has_account check ((mode = 'signed') = (account_id is not null)),
  constraint governance_votes_private_has_nullifier check (mode = 'signed' or nullifier is not null)
);
create unique index governance_votes_nullifier on governance_votes (proposal_id, nullifier);
create unique index governance_votes_account on governance_votes (proposal_id, account_id);

-- Current values set by passed parameter_change proposals.
create table governance_parameters (
  name text primary key,
  value jsonb not null,
  proposal_id uuid not null references governance_proposals (id),
  set_at timestamptz not null default now()
);

create trigger governance_votes_append_only before update or delete or truncate on governance_votes
  for each statement execute function ledger_forbid_change();
create trigger governance_snapshot_leaves_append_only before update or delete or truncate
  on governance_snapshot_leaves for each statement execute function ledger_forbid_change();
create trigger governance_snapshot_weights_append_only before update or delete or truncate
  on governance_snapshot_weights for each statement execute function ledger_forbid_change();
