import type { FanOutTopicsOf } from '../../events/topics.js';

/** Who may subscribe to a topic, and by which record fields a subscription filters. */
export interface StreamTopic {
  /** The scope a subscriber needs (the one the topic's service asks for on its reads). */
  readonly scope: string;
  /**
   * Filter names a subscription may give, each with the record fields it matches (any of them
   * equal to the value). Several filters must all match.
   */
  readonly filters: Readonly<Record<string, readonly string[]>>;
  /**
   * `task`: tasks are their sender's (the orchestrator's `GET /v1/tasks/{id}/tree`), so a
   * subscription names a `task_id` the caller may read, unless the caller holds `agents:admin`.
   */
  readonly guard?: 'task';
}

/** The scope that reads every sender's tasks, as on the orchestrator. */
export const AGENTS_ADMIN_SCOPE = 'agents:admin';

/**
 * The topics a client may watch over `/v1/stream`, as data (docs/gateway.md "Live events"). A
 * task's progress is its own records and its direct subtasks' (`parent_task_id`) on the task and
 * run topics; an account's transfers are those it is debited or credited by; a discovery run's
 * progress is its records, one per step.
 */
export const STREAM_TOPICS = {
  'aia.agents.tasks.v1': {
    scope: 'agents:read',
    filters: { task_id: ['task_id', 'parent_task_id'], agent_id: ['agent_id'] },
    guard: 'task',
  },
  'aia.agents.runs.v1': {
    scope: 'agents:read',
    filters: { task_id: ['task_id', 'parent_task_id'], agent_id: ['agent_id'] },
    guard: 'task',
  },
  'aia.agents.progress.v1': {
    scope: 'agents:read',
    filters: { task_id: ['task_id', 'parent_task_id'], agent_id: ['agent_id'] },
    guard: 'task',
  },
  'aia.ledger.transfers.v1': {
    scope: 'ledger:read',
    filters: { account_id: ['debit_account_id', 'credit_account_id'], ledger: ['ledger'] },
  },
  'aia.performance.rankings.v1': {
    scope: 'performance:read',
    filters: { agent_id: ['agent_id'], window: ['window'] },
  },
  'aia.ventures.opportunities.v1': {
    scope: 'ventures:read',
    filters: { opportunity_id: ['opportunity_id'], market: ['market'] },
  },
  'aia.ventures.runs.v1': {
    scope: 'ventures:read',
    filters: { run_id: ['run_id'], state: ['state'] },
  },
  // Only topics whose `readers` name the gateway: its KafkaUser may read no others.
} as const satisfies Partial<Record<FanOutTopicsOf<'aia-api'>, StreamTopic>>;

export type StreamTopicName = keyof typeof STREAM_TOPICS;

export const streamTopicNames = Object.keys(STREAM_TOPICS) as StreamTopicName[];

/** The scopes of every stream topic: a token with none of them may not connect. */
export const streamScopes: ReadonlySet<string> = new Set(
  Object.values(STREAM_TOPICS).map((topic) => topic.scope),
);

/** Whether `record` matches every filter (field values compared as strings). */
export function matchesFilter(
  topic: StreamTopic,
  filter: Readonly<Record<string, string>>,
  record: unknown,
): boolean {
  if (typeof record !== 'object' || record === null) return false;
  const fields = record as Record<string, unknown>;
  return Object.entries(filter).every(([name, value]) =>
    (topic.filters[name] ?? []).some(
      (field) => fields[field] != null && String(fields[field]) === value,
    ),
  );
}
