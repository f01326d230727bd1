-- The AIA / AIA_GOV double-entry ledger (in the spirit of TigerBeetle's data model).
-- Amounts are whole numbers of minor units: a ledger's scale says how many minor units make one
-- token (10^scale). numeric(38,0) holds 10^38 - 1, far above 10^9 tokens at 18 decimals.

create table ledgers (
  code text primary key check (code ~ '^[A-Z][A-Z0-9_]{1,15}$'),
  scale smallint not null check (scale between 0 and 18),
  created_at timestamptz not null default now()
);
insert into ledgers (code, scale) values ('AIA', 18), ('AIA_GOV', 18);

-- Balances change; identity, ledger, kind, owner and flags never do (trigger below).
create table accounts (
  id uuid primary key,
  ledger text not null references ledgers (code),
  kind text not null check (kind in ('issuance', 'treasury', 'reward_pool', 'staking', 'fees', 'user', 'operating')),
  owner text not null check (length(owner) between 1 and 256),
  debits_must_not_exceed_credits boolean not null,
  credits_must_not_exceed_debits boolean not null,
  debits_pending numeric(38, 0) not null default 0 check (debits_pending >= 0),
  debits_posted numeric(38, 0) not null default 0 check (debits_posted >= 0),
  credits_pending numeric(38, 0) not null default 0 check (credits_pending >= 0),
  credits_posted numeric(38, 0) not null default 0 check (credits_posted >= 0),
  memo text check (length(memo) <= 256),
  created_at timestamptz not null default now(),
  -- The overdraft rules, enforced by the database whatever the application computed.
  constraint accounts_debits_within_credits check (
    not debits_must_not_exceed_credits or debits_pending + debits_posted <= credits_posted
  ),
  constraint accounts_credits_within_debits check (
    not credits_must_not_exceed_debits or credits_pending + credits_posted <= debits_posted
  ),
  constraint accounts_one_limit check (
    not (debits_must_not_exceed_credits and credits_must_not_exceed_debits)
  )
);
-- One system account of each kind per ledger.
create unique index accounts_system_kind on accounts (ledger, kind)
  where kind in ('issuance', 'treasury', 'reward_pool', 'staking', 'fees');
create index accounts_owner on accounts (owner, created_at);

-- An operation as a caller asked for it: who, what, when. Every transfer points at its operation.
create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor text not null,
  action text not null,
  request_id text,
  ledger text references ledgers (code),
  details jsonb not null default '{}'
);

-- Append-only: a transfer, once committed, is history. Post, void and expiry of a pending
-- transfer are new transfers that point at it (pending_id), at most one of them per pending.
create table transfers (
  id uuid primary key,
  seq bigint generated always as identity unique,
  ledger text not null references ledgers (code),
  kind text not null check (kind in (
    'transfer', 'pending', 'post', 'void', 'expire', 'mint', 'burn', 'stake', 'unstake', 'reward'
  )),
  debit_account_id uuid not null references accounts (id),
  credit_account_id uuid not null references accounts (id),
  amount numeric(38, 0) not null check (amount > 0),
  pending_id uuid references transfers (id),
  timeout_at timestamptz,
  memo text check (length(memo) <= 256),
  audit_id bigint not null references audit_log (id),
  created_at timestamptz not null default now(),
  constraint transfers_distinct_accounts check (debit_account_id <> credit_account_id),
  constraint transfers_resolution_has_pending check (
    (kind in ('post', 'void', 'expire')) = (pending_id is not null)
  ),
  constraint transfers_timeout_only_pending check (timeout_at is null or kind = 'pending')
);
-- Exactly once: a pending transfer is posted, voided or expired by at most one transfer.
create unique index transfers_resolve_once on transfers (pending_id) where pending_id is not null;
create index transfers_debit_history on transfers (debit_account_id, seq);
create index transfers_credit_history on transfers (credit_account_id, seq);

-- Work queue of pending transfers with a timeout; the row goes when the pending is resolved.
create table pending_timeouts (
  transfer_id uuid primary key references transfers (id),
  timeout_at timestamptz not null
);
create index pending_timeouts_due on pending_timeouts (timeout_at);

-- Staked AIA: the stake transfer moved it to the staking account until unlocks_at.
create table stakes (
  id uuid primary key,
  account_id uuid not null references accounts (id),
  amount numeric(38, 0) not null check (amount > 0),
  stake_transfer_id uuid not null unique references transfers (id),
  unlocks_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index stakes_account on stakes (account_id, created_at);

-- Exactly once: a stake is released by at most one unstake transfer.
create table stake_releases (
  stake_id uuid primary key references stakes (id),
  transfer_id uuid not null unique references transfers (id),
  released_at timestamptz not null default now()
);

-- Responses of requests sent with an Idempotency-Key, per caller, replayed for retries.
create table idempotency_keys (
  subject text not null,
  key text not null,
  fingerprint text not null,
  status smallint,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (subject, key)
);
create index idempotency_keys_age on idempotency_keys (created_at);

-- Transactional outbox: one event per committed transfer, written in the same transaction; a
-- relay publishes them to Kafka (topic aia.ledger.transfers.v1) and deletes what it published.
create table outbox (
  id bigint generated always as identity primary key,
  topic text not null,
  key text not null,
  payload jsonb not null,
  created_at timestamptz not null default now()
);

create function ledger_forbid_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'restrict_violation';
end
$$;

create trigger transfers_append_only before update or delete or truncate on transfers
  for each statement execute function ledger_forbid_change();
create trigger audit_log_append_only before update or delete or truncate on audit_log
  for each statement execute function ledger_forbid_change();
create trigger stakes_append_only before update or delete or truncate on stakes
  for each statement execute function ledger_forbid_change();
create trigger stake_releases_append_only before update or delete or truncate on stake_releases
  for each statement execute function ledger_forbid_change();
create trigger accounts_no_delete before delete or truncate on accounts
  for each statement execute function ledger_forbid_change();

create function ledger_forbid_account_identity_change() returns trigger language plpgsql as $$
begin
  raise exception 'accounts: id, ledger, kind, owner and flags never change'
    using errcode = 'restrict_violation';
end
$$;
-- Fires only when one of these columns is assigned, so balance updates pay nothing for it.
create trigger accounts_identity_fixed
  before update of id, ledger, kind, owner, debits_must_not_exceed_credits,
    credits_must_not_exceed_debits, created_at on accounts
  for each statement execute function ledger_forbid_account_identity_change();

-- Per statement, over all inserted transfers at once: both accounts are on the transfer's ledger,
-- and the issuance account (whose balance is minus the supply) moves only by mint and burn.
create function ledger_check_transfers() returns trigger language plpgsql as $$
declare
  bad record;
begin
  select t.id, t.kind, t.ledger, d.ledger as debit_ledger, c.ledger as credit_ledger,
         d.kind as debit_kind, c.kind as credit_kind
    into bad
    from inserted t
    join accounts d on d.id = t.debit_account_id
    join accounts c on c.id = t.credit_account_id
   where d.ledger <> t.ledger or c.ledger <> t.ledger
      or case t.kind
           when 'mint' then not (d.kind = 'issuance' and c.kind = 'treasury')
           when 'burn' then not (d.kind = 'treasury' and c.kind = 'issuance')
           else d.kind = 'issuance' or c.kind = 'issuance'
         end
   limit 1;
  if found then
    raise exception 'transfer %: % on ledger % from a % account (%) to a % account (%) is not allowed',
      bad.id, bad.kind, bad.ledger, bad.debit_kind, bad.debit_ledger, bad.credit_kind, bad.credit_ledger
      using errcode = 'check_violation';
  end if;
  return null;
end
$$;
create trigger transfers_consistent after insert on transfers
  referencing new table as inserted
  for each statement execute function ledger_check_transfers();
