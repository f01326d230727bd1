-- A fetch that fails counts as an attempt: a failing source is due again only after its interval,
-- doubled for each further failure in a row (at most a day, or its interval if longer), and is not read
-- again within its rate limit; before, a source that never succeeded stayed due and queued a run
-- every minute.
alter table discovery_sources
  add column last_attempted_at timestamptz,
  add column consecutive_failures integer not null default 0 check (consecutive_failures >= 0);
update discovery_sources set last_attempted_at = last_fetched_at;
