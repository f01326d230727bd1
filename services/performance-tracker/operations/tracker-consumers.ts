import type {
  EventBus,
  EventHandler,
  EventPublisher,
  Subscription,
} from '../../platform/events/index.js';
import { runRefusal } from '../domain/run-admission.js';
import { deadLetterRun, TRACKER_GROUP } from './dead-letter-run.js';
import { ingestRun } from './ingest-run.js';
import type { TrackerContext } from './tracker-context.js';

/**
 * The tracker's consumer, in its consumer group (`performance-tracker`): finished runs from
 * `aia.agents.runs.v1`, keyed by agent, so one agent's runs are handled in order. Each event is
 * handled once (its handler writes in the transaction that records it in processed_events);
 * an event that is not a valid envelope or run record goes to `aia.agents.runs.v1.dlq` with the
 * reason and the consumer goes on. So does a valid run the tracker refuses (`runRefusal`: one
 * finished more than a day after its event was written), with nothing taken in: its
 * `reason` is `schema`, its `error` says why. The bus stops it when it closes.
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
      group: TRACKER_GROUP,
      sql: context.sql,
      handler: runHandler(events.publisher, context),
    }),
  ];
}

/**
 * What the consumer does with one run: dead-letters it if the tracker refuses it, else takes it
 * in. A replay from the topic's start uses it too, so it refuses the same runs.
 */
export function runHandler(
  publisher: EventPublisher,
  context: TrackerContext,
): EventHandler<'aia.agents.runs.v1'> {
  return async (event, { tx }) => {
    const refusal = runRefusal(event.record, event.occurredAt, new Date());
    if (refusal) return deadLetterRun(publisher, event, refusal);
    await ingestRun(context, tx, event);
  };
}
