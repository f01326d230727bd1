import type { z } from 'zod';
import type { EventTopicName } from '../topics.js';
import { agentProgressRecord } from './agent-progress.js';
import { agentRegistryRecord } from './agent-registry.js';
import { agentRunRecord } from './agent-runs.js';
import { agentTaskRecord } from './agent-tasks.js';
import { auditEventRecord } from './audit-events.js';
import { dkgChangeRecord } from './dkg-changes.js';
import { ledgerAccountRecord } from './ledger-accounts.js';
import { ledgerTransferRecord } from './ledger-transfers.js';
import { performanceRankingRecord } from './performance-rankings.js';
import { ventureOpportunityRecord } from './venture-opportunities.js';
import { ventureRunRecord } from './venture-runs.js';

export type { AgentRegistryRecord } from './agent-registry.js';
export type { AgentRunRecord } from './agent-runs.js';
export {
  DEAD_LETTER_SCHEMA_VERSION,
  type DeadLetterRecord,
  deadLetterRecord,
} from './dead-letters.js';
export type { LedgerTransferRecord } from './ledger-transfers.js';

/**
 * The record schema of a topic and its version. The topic name carries the major version
 * (`.v1`): a breaking change is a new topic. `version` counts compatible revisions within it
 * (optional fields added), is stamped on every envelope, and a consumer accepts records of its
 * version and older.
 */
export interface RecordSchema<S extends z.ZodType = z.ZodType> {
  readonly version: number;
  readonly record: S;
}

/** One record schema per event topic, used by producers (`writeEvent`) and consumers alike. */
export const recordSchemas = {
  'aia.ledger.transfers.v1': { version: 1, record: ledgerTransferRecord },
  'aia.ledger.accounts.v1': { version: 1, record: ledgerAccountRecord },
  'aia.agents.tasks.v1': { version: 1, record: agentTaskRecord },
  'aia.agents.runs.v1': { version: 2, record: agentRunRecord },
  'aia.agents.progress.v1': { version: 1, record: agentProgressRecord },
  'aia.agents.registry.v1': { version: 1, record: agentRegistryRecord },
  'aia.ventures.opportunities.v1': { version: 1, record: ventureOpportunityRecord },
  'aia.ventures.runs.v1': { version: 1, record: ventureRunRecord },
  'aia.performance.rankings.v1': { version: 1, record: performanceRankingRecord },
  'aia.dkg.changes.v1': { version: 1, record: dkgChangeRecord },
  'aia.audit.events.v1': { version: 1, record: auditEventRecord },
} as const satisfies Record<EventTopicName, RecordSchema>;

/** The record type of `topic`, as its consumers receive it. */
export type EventRecord<T extends EventTopicName> = z.output<(typeof recordSchemas)[T]['record']>;
