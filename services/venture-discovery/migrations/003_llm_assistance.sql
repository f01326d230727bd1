-- Optional LLM assistance (DISCOVERY_LLM_ASSIST): what a model added to an opportunity, beside its
-- deterministic summary, entities and themes, each part with the model that wrote it:
-- { "summary": { "text", "model", "local" }, "entities": { "items": [{ "name", "kind" }], "themes", "model", "local" } }.
-- Null when no model was asked or none answered usefully. Never read by scoring.
alter table discovery_opportunities add column assistance jsonb;
