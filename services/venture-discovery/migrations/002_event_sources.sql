-- Sources of kind `events`: a topic of the platform's event bus (its name in `url`), whose
-- records the service consumes into the source's signals as they arrive.
alter table discovery_sources drop constraint discovery_sources_kind_check;
alter table discovery_sources add constraint discovery_sources_kind_check
  check (kind in ('feed', 'json', 'csv', 'upload', 'sample', 'events'));
