/**
 * The platform capabilities a `tool` agent can wrap, by name. Querying the knowledge graph and
 * running a venture discovery join when the DKG manager and the discovery engine serve them.
 */
export const AGENT_TOOLS = {
  echo: 'Answers the task with its own text, at no cost: a no-op agent for tests and benchmarks.',
  'ledger-balance':
    "Reads the agent's own AIA account in the ledger: balances and pending amounts.",
  'structured-report':
    'Writes a structured report (title, summary, sections) about the task through the fast model class.',
} as const;

export type AgentToolName = keyof typeof AGENT_TOOLS;

export const AGENT_TOOL_NAMES = Object.keys(AGENT_TOOLS) as [AgentToolName, ...AgentToolName[]];
