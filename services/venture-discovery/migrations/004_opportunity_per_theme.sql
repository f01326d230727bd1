-- An opportunity is its theme: a later run updates the theme's opportunity (score, breakdown,
-- evidence, `run_id`: the run that last scored it) instead of adding another row, so the same
-- opportunity is never published twice and a verdict on it holds. Each run's score of it is kept
-- in discovery_opportunity_scores.
create table discovery_opportunity_scores (
  opportunity_id uuid not null references discovery_opportunities (id) on delete cascade,
  run_id uuid not null references discovery_runs (id),
  score double precision not null check (score between 0 and 1),
  components jsonb not null,
  created_at timestamptz not null default now(),
  primary key (opportunity_id, run_id)
);
create index discovery_opportunity_scores_by_run on discovery_opportunity_scores (run_id);

alter table discovery_opportunities add column updated_at timestamptz;
update discovery_opportunities set updated_at = created_at;
alter table discovery_opportunities
  alter column updated_at set not null,
  alter column updated_at set default now();

-- Rows earlier runs wrote for the same theme merge into the theme's latest row: its history gets
-- every run's score, feedback moves to it, it was published if any was, it is rejected if any was
-- (else accepted if any was), and it was found when the first was.
create temporary table discovery_opportunity_merge as
  select id, first_value(id) over (partition by theme_key order by created_at desc, id desc) as keep_id
    from discovery_opportunities;

insert into discovery_opportunity_scores (opportunity_id, run_id, score, components, created_at)
  select m.keep_id, o.run_id, o.score, o.components, o.created_at
    from discovery_opportunities o join discovery_opportunity_merge m on m.id = o.id;

update discovery_opportunities o
   set published = merged.published,
       status = merged.status,
       created_at = merged.first_seen,
       updated_at = merged.last_seen
  from (
    select m.keep_id,
           bool_or(o.published) as published,
           case when bool_or(o.status = 'rejected') then 'rejected'
                when bool_or(o.status = 'accepted') then 'accepted'
                else 'open' end as status,
           min(o.created_at) as first_seen,
           max(o.created_at) as last_seen
      from discovery_opportunities o join discovery_opportunity_merge m on m.id = o.id
     group by m.keep_id
  ) merged
 where o.id = merged.keep_id;

update discovery_feedback f set opportunity_id = m.keep_id
  from discovery_opportunity_merge m
 where f.opportunity_id = m.id and m.id <> m.keep_id;

delete from discovery_opportunities o
 using discovery_opportunity_merge m
 where o.id = m.id and m.id <> m.keep_id;

drop table discovery_opportunity_merge;

alter table discovery_opportunities drop constraint discovery_opportunities_run_id_theme_key_key;
drop index discovery_opportunities_by_theme;
create unique index discovery_opportunities_theme on discovery_opportunities (theme_key);
create index discovery_opportunities_by_run on discovery_opportunities (run_id);
