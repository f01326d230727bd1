/** The platform capabilities a `tool` agent can wrap, by name. */
export const AGENT_TOOLS = {
  'knowledge-graph':
    "Searches the knowledge graph (skills, tools, strategies, agents) for the task's words: the best matches, and the relations around the first.",
  echo: 'Answers the task with its own text, at no cost: a no-op agent for tests and benchmarks.',
  'ledger-balance':
    "Reads the agent's own AIA account in the ledger: balances and pending amounts.",
  'structured-report':
    'Writes a structured report (title, summary, sections) about the task through the fast model class.',
  'venture-discovery':
    'Runs a venture discovery over the configured sources and answers the top opportunities with their score breakdown.',
} as const;

export type AgentToolName = keyof typeof AGENT_TOOLS;

export const AGENT_TOOL_NAMES = Object.keys(AGENT_TOOLS) as [AgentToolName, ...AgentToolName[]];
