-- The revision of each agent's aia.agents.registry.v1 record: raised by one in the transaction
-- that changes the agent (registration, update, retirement) and writes the record, so revisions
-- follow the order in which those transactions commit (the agent's row lock orders them).
-- Consumers drop a record older than one they applied. A table of its own rather than a column
-- of agents: the registry's rows are the API's agents, and a revision is not part of one.
create table agent_registry_revisions (
  agent_id uuid primary key references agents (id),
  revision bigint not null check (revision >= 1)
);
