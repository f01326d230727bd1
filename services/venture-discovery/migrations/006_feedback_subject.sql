-- Who gave a verdict (the caller's token subject, e.g. user:ada); null for feedback recorded
-- before it was kept. Retries of one verdict are answered from the kit's idempotency_keys.
alter table discovery_feedback add column subject text check (length(subject) <= 255);
