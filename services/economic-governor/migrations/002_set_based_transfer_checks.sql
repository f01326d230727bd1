-- A batch writes up to 8,000 transfers in one statement, and per-row foreign-key checks of their
-- ledger and accounts (three index probes and row locks per transfer) cost more than the insert
-- itself. The statement trigger checks the same, set-wise, in one join: every transfer's accounts
-- exist and are on its ledger (accounts reference ledgers), and the issuance rule as before.
alter table transfers
  drop constraint transfers_ledger_fkey,
  drop constraint transfers_debit_account_id_fkey,
  drop constraint transfers_credit_account_id_fkey;

create or replace function ledger_check_transfers() returns trigger language plpgsql as $$
declare
  bad record;
begin
  select t.id, t.kind, t.ledger, d.id as debit_id, c.id as credit_id,
         d.ledger as debit_ledger, c.ledger as credit_ledger, d.kind as debit_kind, c.kind as credit_kind
    into bad
    from inserted t
    left join accounts d on d.id = t.debit_account_id
    left join accounts c on c.id = t.credit_account_id
   where d.id is null or c.id is null
      or d.ledger <> t.ledger or c.ledger <> t.ledger
      or case t.kind
           when 'mint' then not (d.kind = 'issuance' and c.kind = 'treasury')
           when 'burn' then not (d.kind = 'treasury' and c.kind = 'issuance')
           else d.kind = 'issuance' or c.kind = 'issuance'
         end
   limit 1;
  if found then
    if bad.debit_id is null or bad.credit_id is null then
      raise exception 'transfer %: its % account does not exist', bad.id,
        case when bad.debit_id is null then 'debit' else 'credit' end
        using errcode = 'foreign_key_violation';
    end if;
    raise exception 'transfer %: % on ledger % from a % account (%) to a % account (%) is not allowed',
      bad.id, bad.kind, bad.ledger, bad.debit_kind, bad.debit_ledger, bad.credit_kind, bad.credit_ledger
      using errcode = 'check_violation';
  end if;
  return null;
end
$$;
