-- Private vote weights bound to stake (docs/governance.md, "What a leaf is").
--
-- Until now a voter registered Poseidon(secret, weight) and the server, which cannot see inside a
-- hash, trusted the weight it was told: a voter could commit to any weight up to 2^64 - 1 and have
-- a private vote count it. From now on a voter registers only their identity, Poseidon(secret),
-- and the server builds each snapshot leaf as Poseidon(identity, weight) from the AIA_GOV the
-- account has staked when the proposal opens; the circuit proves a leaf of that form.
--
-- Registrations of the earlier form cannot prove under the new circuit. They are kept, not lost,
-- in governance_voters_retired, and their accounts register again (`governance register`).
create table governance_voters_retired (
  account_id uuid not null references accounts (id),
  registration_id bigint not null,
  commitment text not null,
  weight numeric(20, 0) not null,
  registered_by text not null,
  registered_at timestamptz not null,
  retired_at timestamptz not null default now(),
  reason text not null
);
insert into governance_voters_retired (account_id, registration_id, commitment, weight,
                                       registered_by, registered_at, reason)
select account_id, registration_id, commitment, weight, registered_by, registered_at,
       'a Poseidon(secret, weight) commitment: the weight was the voter''s word (migration 004)'
  from governance_voters;
delete from governance_voters;
alter table governance_voters drop column weight;
comment on column governance_voters.commitment is
  'The voter''s identity, Poseidon(secret): a decimal element of the BN254 scalar field';

-- A leaf is Poseidon(identity, weight); its weight is public so a voter finds their own leaf.
-- Snapshots taken before this migration have leaves of the earlier form and no weight.
alter table governance_snapshot_leaves rename column commitment to leaf;
alter table governance_snapshot_leaves add column weight numeric(20, 0)
  check (weight is null or weight between 0 and 18446744073709551615);
comment on column governance_snapshot_weights.commitment is
  'The account''s registered identity when its leaf is in the snapshot';
comment on column governance_snapshot_weights.commitment_weight is
  'The weight the server put in that leaf: the account''s whole staked AIA_GOV at the opening';

-- Proposals opened before this migration were snapshotted with leaves of the earlier form: their
-- private votes may count weights the voters chose, and their voters can no longer prove (nor sign
-- with their secret, which no longer matches the registered identity). Those still undecided,
-- and passed treasury transfers still waiting for their timelock, are voided: kept with their
-- votes for the record, never tallied or executed. Decided ones stay as they are, history:
-- rejected, executed, and passed text proposals (which never execute: executes_at is null).
-- Parameter values a passed change set before 004 stay in force (governance_parameters).
alter table governance_proposals add column voided_reason text;
update governance_proposals
   set voided_reason = 'snapshot taken before leaves were bound to stake (migration 004): its private votes could count weights the voters chose'
 where outcome is null
    or (outcome = 'passed' and executes_at is not null and executed_at is null
        and execution_refusal is null);
update governance_proposals set execution_refusal = voided_reason
 where voided_reason is not null and outcome = 'passed';

-- Retired registrations are a record: append-only like the other governance tables.
alter table governance_voters_retired add primary key (account_id, registration_id);
create trigger governance_voters_retired_append_only before update or delete or truncate
  on governance_voters_retired for each statement execute function ledger_forbid_change();
