import type { EventBus, Subscription } from '../../platform/events/index.js';
import { ingestRun } from './ingest-run.js';
import type { TrackerContext } from './tracker-context.js';

/**
 * The tracker's consumer, in its consumer group (`performance-tracker`): finished runs from
 * `aia.agents.runs.v1`, keyed by agent, so one agent's runs are handled in order. Each event is
 * handled once (its handler writes in the transaction that records it in processed_events);
 * an event that is not a valid envelope or run record goes to `aia.agents.runs.v1.dlq` with the
 * reason and the consumer goes on. The bus stops it when it closes.
 *
 * `aia.ledger.transfers.v1` is not consumed: a run record already carries what the run cost
 * (its children included), and a transfer names accounts, not runs or agents.
 */
export async function startTrackerConsumers(
  events: EventBus,
  context: TrackerContext,
): Promise<Subscription[]> {
  return [
    await events.subscribe({
      topic: 'aia.agents.runs.v1',
      sql: context.sql,
      handler: async (event, { tx }) => {
        await ingestRun(context, tx, event);
      },
    }),
  ];
}
