import { randomUUID } from 'node:crypto';
import { writeEvent } from '../../platform/events/outbox.js';
import { inTransaction } from '../../platform/transactions.js';
import type { Assistance } from '../domain/assistance.js';
import { type Candidate, discover } from '../domain/discovery.js';
import { publishes } from '../domain/publication.js';
import type { Capabilities } from '../domain/scoring.js';
import { adjustWeights, COMPONENTS, type Weights } from '../domain/weights.js';
import { markApplied, pendingFeedback } from '../repository/feedback-store.js';
import {
  lockOpportunityWrites,
  opportunityOfTheme,
  previousThemes,
  saveOpportunity,
} from '../repository/opportunity-store.js';
import {
  claimRun,
  finishRun,
  latestWeights,
  lockRunAttempt,
  type RunRow,
  recordProgress,
  recordScored,
} from '../repository/run-store.js';
import { signalsSince } from '../repository/signal-store.js';
import { sourcesForRun } from '../repository/source-store.js';
import { assistOpportunities } from './assist-opportunities.js';
import { type DiscoveryContext, nowOf } from './discovery-context.js';
import { fetchSources } from './fetch-sources.js';
import { writeRunEvent } from './run-events.js';
import { publishRunReports } from './run-reports.js';

const DAY_MS = 86_400_000;

/** The attempt lost its run (its lease expired and another replica took it over): it stops. */
class RunTakenOver extends Error {
  override readonly name = 'RunTakenOver';
}

/**
 * Takes the next queued run (or one whose executor died: its lease expired) and carries it out.
 * 'idle' when there was none. A run that throws is recorded as failed with the reason; a run
 * another replica took over is left to it.
 */
export async function executeNextRun(context: DiscoveryContext): Promise<'ran' | 'idle'> {
  const run = await claimRun(context.sql, context.settings.leaseMs);
  if (!run) return 'idle';
  try {
    await executeRun(context, run);
    context.metrics?.runs.inc({ outcome: 'succeeded' });
  } catch (error) {
    if (error instanceof RunTakenOver) return 'ran';
    context.logger?.error({ err: error, run: run.id }, 'discovery run failed');
    await inTransaction(context.sql, async (tx) => {
      const failed = await finishRun(tx, run.id, run.attempts, {
        state: 'failed',
        error: (error as Error).message,
      });
      if (failed) await writeRunEvent(tx, failed);
    });
    context.metrics?.runs.inc({ outcome: 'failed' });
  }
  return 'ran';
}

/**
 * One attempt at a run: fetch its sources, discover and score, optionally ask a model for
 * summaries and entities (LLM assistance; never scores), then write every opportunity in
 * one transaction (a theme's opportunity updated, not added again) with the events of those
 * reaching the threshold for the first time and the run's weights; then
 * publish the reports and end the run. Each step is recorded (and published on
 * aia.ventures.runs.v1) as it completes. An attempt that finds the opportunities already written
 * (a previous attempt died after) only publishes the reports.
 */
async function executeRun(context: DiscoveryContext, claimed: RunRow): Promise<void> {
  const { sql, settings } = context;
  const attempt = claimed.attempts;
  const progress = async (fields: Parameters<typeof recordProgress>[3]) =>
    inTransaction(sql, async (tx) => {
      const row = await recordProgress(tx, claimed.id, attempt, fields, settings.leaseMs);
      if (!row) throw new RunTakenOver(claimed.id);
      await writeRunEvent(tx, row);
      return row;
    });

  if (claimed.step !== 'scored') {
    await progress({ step: 'started' });
    const sources = await sourcesForRun(sql, claimed.source_ids);
    const fetched = await fetchSources(context, sources, async (partial) => {
      await recordProgress(
        sql,
        claimed.id,
        attempt,
        { step: 'started', sources: partial },
        settings.leaseMs,
      );
    });
    const totals = Object.values(fetched);
    await progress({
      step: 'fetched',
      sources: fetched,
      fetched: totals.reduce((n, s) => n + s.fetched, 0),
      accepted: totals.reduce((n, s) => n + s.accepted, 0),
    });

    const now = nowOf(context);
    const { weights, configured, changes, feedbackIds } = await nextWeights(context);
    const result = discover({
      signals: await signalsSince(
        sql,
        new Date(now.getTime() - settings.windowDays * DAY_MS),
        settings.maxSignals,
      ),
      now,
      windowDays: settings.windowDays,
      previousThemes: await previousThemes(sql, claimed.id),
      capabilities: await capabilitiesOf(context),
      weights,
    });
    await progress({ step: 'clustered', clustered: result.clusters });
    // Optional: a model's summaries and entities, asked outside any transaction; the lease is
    // renewed between opportunities. Scores are already final.
    const assisted = await assistOpportunities(context, result.candidates, async () => {
      const row = await recordProgress(
        sql,
        claimed.id,
        attempt,
        { step: 'clustered' },
        settings.leaseMs,
      );
      if (!row) throw new RunTakenOver(claimed.id);
    });

    await inTransaction(sql, async (tx) => {
      if (!(await lockRunAttempt(tx, claimed.id, attempt))) throw new RunTakenOver(claimed.id);
      await lockOpportunityWrites(tx);
      let published = 0;
      for (const candidate of result.candidates) {
        // A theme is one opportunity: a later run updates it, and publishes it only the first
        // time it reaches the threshold (never once rejected).
        const previous = await opportunityOfTheme(tx, candidate.key);
        const publish = publishes(previous, candidate.scored.score, settings.publishThreshold);
        const id = await saveOpportunity(
          tx,
          opportunityRow(
            previous?.id ?? randomUUID(),
            claimed.id,
            candidate,
            publish,
            assisted.get(candidate.key),
          ),
        );
        if (publish) {
          published += 1;
          await writeEvent(
            tx,
            'aia.ventures.opportunities.v1',
            id,
            {
              opportunity_id: id,
              title: candidate.title || candidate.key,
              market: (candidate.themes[0] ?? candidate.key).slice(0, 200),
              score: Math.round(candidate.scored.score * 10_000) / 100,
              found_at: now.toISOString(),
            },
            { producer: 'venture-discovery' },
          );
        }
      }
      await markApplied(tx, feedbackIds, claimed.id);
      const scored = await recordScored(tx, claimed.id, {
        scored: result.candidates.length,
        published,
        weights: { used: { ...weights }, configured: { ...configured } },
        weightChanges: changes,
      });
      await writeRunEvent(tx, scored);
    });
    context.metrics?.opportunities.inc(result.candidates.length);
  }

  if (context.publishReports) await publishRunReports(context, claimed.id);
  await inTransaction(sql, async (tx) => {
    const done = await finishRun(tx, claimed.id, attempt, { state: 'succeeded' });
    if (!done) throw new RunTakenOver(claimed.id);
    await writeRunEvent(tx, done);
  });
}

/**
 * The weights of the next run: the last run's (or the configured ones, when none ran or the
 * configuration changed since), moved by the feedback no run has taken in yet.
 */
async function nextWeights(context: DiscoveryContext) {
  const configured = context.settings.weights;
  const last = await latestWeights(context.sql);
  const sameConfiguration =
    last !== undefined && COMPONENTS.every((c) => last.configured[c] === configured[c]);
  const base: Weights = sameConfiguration ? (last.used as Weights) : configured;
  const feedback = await pendingFeedback(context.sql);
  const { weights, changes } = adjustWeights(base, feedback);
  return { weights, configured, changes, feedbackIds: feedback.map((f) => f.id) };
}

async function capabilitiesOf(context: DiscoveryContext): Promise<Capabilities> {
  if (!context.capabilities) return 'unavailable';
  try {
    return await context.capabilities();
  } catch (error) {
    context.logger?.warn({ err: error }, 'capabilities unavailable: capability fit is neutral');
    return 'unavailable';
  }
}

function opportunityRow(
  id: string,
  runId: string,
  c: Candidate,
  published: boolean,
  assistance: Assistance | undefined,
) {
  return {
    id,
    run_id: runId,
    theme_key: c.key,
    title: c.title || c.key,
    summary: c.summary,
    themes: c.themes,
    entities: c.scored.entities,
    score: c.scored.score,
    components: c.scored.components,
    published,
    assistance: assistance ?? null,
    signalIds: c.signals.map((s) => s.id),
  };
}
