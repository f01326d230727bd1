import type { EventBus, Subscription } from '../../platform/events/index.js';
import type { DkgContext } from './dkg-context.js';
import { mirrorAgent } from './mirror-agent.js';
import { recordRunEvidence } from './record-evidence.js';

/**
 * The DKG manager's consumers, in its consumer group (`dkg-manager`): the agent mirror
 * (`aia.agents.registry.v1`) and the evidence of runs (`aia.agents.runs.v1`). Each event is
 * handled once: its handler writes in the transaction that records it in `processed_events`.
 * The bus stops them when it closes.
 */
export async function startDkgConsumers(
  events: EventBus,
  context: DkgContext,
): Promise<Subscription[]> {
  return Promise.all([
    events.subscribe({
      topic: 'aia.agents.registry.v1',
      sql: context.sql,
      handler: async ({ record }, { tx }) => {
        await mirrorAgent(context, tx, record);
      },
    }),
    events.subscribe({
      topic: 'aia.agents.runs.v1',
      sql: context.sql,
      handler: async ({ record }, { tx }) => {
        await recordRunEvidence(context, tx, record);
      },
    }),
  ]);
}
