-- The hierarchy guard takes the service's hierarchy lock (lockHierarchy in
-- repository/agent-store.ts: pg_advisory_xact_lock of 0x6167656e7473, "agents") before it checks.
-- Without it, two writes around the service in concurrent transactions (A under B, B under A)
-- each walk a hierarchy without the other's change and both commit a cycle. Only a write that
-- changes the hierarchy (a manager set on insert, manager_id or status changed) takes the lock:
-- a rename does not wait. Each query below runs on a fresh snapshot (READ COMMITTED, volatile
-- function), so the walk after the lock sees what the previous holder committed.
create or replace function agents_hierarchy_guard() returns trigger language plpgsql as $$
begin
  if (tg_op = 'INSERT' and new.manager_id is not null)
     or (tg_op = 'UPDATE' and (new.manager_id is distinct from old.manager_id
                               or new.status is distinct from old.status)) then
    perform pg_advisory_xact_lock(x'6167656e7473'::bigint);
  else
    return new;
  end if;
  if new.status = 'active' and new.manager_id is not null then
    if exists (select 1 from agents where id = new.manager_id and status <> 'active') then
      raise exception 'agent %: manager % is retired', new.id, new.manager_id
        using errcode = 'check_violation', constraint = 'agents_manager_active';
    end if;
    if tg_op = 'UPDATE' and new.manager_id is distinct from old.manager_id and exists (
      with recursive up (id, manager_id, depth) as (
        select id, manager_id, 0 from agents where id = new.manager_id
        union all
        select a.id, a.manager_id, up.depth + 1 from agents a join up on a.id = up.manager_id
         where up.depth < 64
      )
      select 1 from up where id = new.id
    ) then
      raise exception 'agent %: manager % reports to it', new.id, new.manager_id
        using errcode = 'check_violation', constraint = 'agents_no_cycle';
    end if;
  end if;
  if tg_op = 'UPDATE' and new.status = 'retired' and old.status = 'active' and exists (
    select 1 from agents where manager_id = new.id and status = 'active'
  ) then
    raise exception 'agent %: active agents report to it', new.id
      using errcode = 'check_violation', constraint = 'agents_retired_without_reports';
  end if;
  return new;
end $$;
