-- The gateway's audit trail: one append-only hash chain of every state-changing call
-- (docs/gateway.md, "Protection and audit"). Each row's hash is the SHA-256 of the canonical JSON
-- of its record with prev_hash, the hash of the row before; `npm run audit:verify` recomputes them.
create table audit_records (
  seq            bigint      primary key check (seq > 0),
  prev_hash      text        not null check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash           text        not null unique check (hash ~ '^[0-9a-f]{64}$'),
  actor          text        not null check (length(actor) between 1 and 256),
  action         text        not null check (length(action) between 1 and 200),
  target         text        check (length(target) <= 500),
  request_id     text        check (length(request_id) <= 200),
  outcome_status integer     not null check (outcome_status between 100 and 599),
  outcome_class  text        not null check (outcome_class in
                   ('informational', 'success', 'redirection', 'client_error', 'server_error')),
  details        jsonb       not null,
  occurred_at    timestamptz not null,
  -- When the row was written: later than occurred_at when a write had to be retried.
  recorded_at    timestamptz not null default now()
);

-- Append-only: no row is ever changed or removed, not even by the service's own role.
create function audit_records_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_records is append-only: % refused', tg_op
    using errcode = 'insufficient_privilege';
end $$;

create trigger audit_records_append_only
  before update or delete on audit_records
  for each row execute function audit_records_refuse_change();

create trigger audit_records_no_truncate
  before truncate on audit_records
  for each statement execute function audit_records_refuse_change();

-- Each row links to the one before: seq follows the last without a gap, prev_hash is its hash
-- (64 zeros for the first). Appends are serialised by the writer's advisory lock; this refuses a
-- writer that skipped it.
create function audit_records_check_link() returns trigger language plpgsql as $$
declare
  last audit_records%rowtype;
begin
  select * into last from audit_records order by seq desc limit 1;
  if not found then
    if new.seq <> 1 or new.prev_hash <> repeat('0', 64) then
      raise exception 'audit_records: the first record must be seq 1 after 64 zeros, got seq %', new.seq
        using errcode = 'check_violation';
    end if;
  elsif new.seq <> last.seq + 1 or new.prev_hash <> last.hash then
    raise exception 'audit_records: seq % does not follow seq % and its hash', new.seq, last.seq
      using errcode = 'check_violation';
  end if;
  return new;
end $$;

create trigger audit_records_linked
  before insert on audit_records
  for each row execute function audit_records_check_link();
