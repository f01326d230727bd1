-- Dirty marks become an append-only log: a consumer adds a row per ranking it changed (no
-- conflict, so no row lock every consumer would queue on), and the rank publisher deletes the
-- rows it saw. A mark whose transaction commits after the publisher looked stays for its next
-- pass, so no change of score is left unranked.
drop table tracker_dirty_rankings;
create table tracker_dirty_rankings (
  id bigint generated always as identity primary key,
  window_name text not null,
  skill text not null,
  since timestamptz not null default now()
);
create index tracker_dirty_rankings_by_ranking on tracker_dirty_rankings (window_name, skill);
