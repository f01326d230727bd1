import type { PageEvent, Pager } from '../pagerduty-events.js';
import {
  type Breach,
  type ReleaseWatch,
  type WatchResult,
  watchRelease,
} from '../rollback/watch.js';
import { type Colour, otherColour } from './release-config.js';
import { canaryPlan, colourRollbackPlan, switchPlan } from './release-plans.js';
import type { ReleaseStack } from './release-stack.js';

/** One step of a canary as it went. */
export interface CanaryStep {
  readonly percent: number;
  readonly outcome: WatchResult['outcome'] | 'no-traffic';
}

/** What a canary ended with, as it is recorded. */
export interface CanaryDecision {
  readonly stack: string;
  readonly service: string;
  /** The new release's colour, and the colour live before the canary. */
  readonly colour: Colour;
  readonly previousColour: Colour;
  /** promoted: the new colour is live; aborted: the previous colour alone again, at 0 %. */
  readonly outcome: 'promoted' | 'aborted' | 'abort-failed';
  readonly reason: string;
  readonly steps: readonly CanaryStep[];
  readonly breach?: Breach;
  readonly decidedAt: string;
}

export interface CanaryRun {
  readonly stack: ReleaseStack;
  /** Shares of traffic for the new colour, ascending; 100 makes it live (a switch). */
  readonly steps: readonly number[];
  /** How long each step is watched before the next. */
  readonly stepMs: number;
  /** The watch of the new colour's series (its colour is filled in); `settings.durationMs` is the step's. */
  readonly watch: Omit<ReleaseWatch, 'colour'>;
  readonly page: Pager;
  readonly record: (decision: CanaryDecision) => Promise<void>;
  readonly log?: (line: string) => void;
  /** Added to each step's update message (the record of a forced override: `checkIdleColour`). */
  readonly note?: string;
}

/** Checks the steps: whole percentages, strictly rising, from 1 to 100, ending at 100. */
export function parseCanarySteps(text: string | undefined, flag = '--steps'): number[] {
  const steps = (text ?? '').split(',').map((part) => Number(part.trim()));
  const rising = steps.every((step, index) => index === 0 || step > (steps[index - 1] as number));
  if (
    !text ||
    !steps.every((step) => Number.isInteger(step) && step >= 1 && step <= 100) ||
    !rising ||
    steps.at(-1) !== 100
  ) {
    throw new Error(
      `${flag}: expected rising whole percentages ending at 100, such as 10,25,50,100; got "${text ?? ''}"`,
    );
  }
  return steps;
}

/**
 * A replica-ratio canary of the blue-green services (issue 22, item 5): the idle colour gets each
 * step's share of the traffic (`services.canary.percent`, then `pulumi up`), and the rollback
 * triggers are watched over its own series for `stepMs`; the step at 100 switches the live colour
 * (and is watched too). A breach, a blind watch or a step that saw no traffic aborts: traffic goes
 * back to the previous colour alone, the decision is recorded with why, and PagerDuty is paged —
 * as `ops watch` does after a switch.
 */
export async function runCanary(run: CanaryRun): Promise<CanaryDecision> {
  const { stack } = run;
  const log = run.log ?? (() => {});
  const start = await stack.config();
  const previousColour = start.activeColor;
  const colour = otherColour(previousColour);
  const service = run.watch.service;
  const steps: CanaryStep[] = [];
  const decided = (
    outcome: CanaryDecision['outcome'],
    reason: string,
    breach?: Breach,
  ): CanaryDecision => ({
    stack: stack.name,
    service,
    colour,
    previousColour,
    outcome,
    reason,
    steps: [...steps],
    ...(breach ? { breach } : {}),
    decidedAt: new Date().toISOString(),
  });
  let switched = false;
  /** Back to the previous colour alone; recorded and paged. A failed way back is thrown. */
  const abort = async (reason: string, severity: PageEvent['severity'], breach?: Breach) => {
    try {
      const now = await stack.config();
      const back = switched
        ? colourRollbackPlan(now, `canary aborted: ${reason}`)
        : canaryPlan(now, 0, `canary aborted: ${reason}`);
      await stack.update(back.changes, back.message);
    } catch (error) {
      const failed = decided(
        'abort-failed',
        `${reason}; going back to ${previousColour} failed: ${(error as Error).message}`,
        breach,
      );
      await run.record(failed);
      await run.page(pageOf(failed, 'critical'));
      throw error;
    }
    const aborted = decided('aborted', reason, breach);
    await run.record(aborted);
    await run.page(pageOf(aborted, severity));
    return aborted;
  };
  const noted = (reason: string) => (run.note ? `${reason}; ${run.note}` : reason);
  for (const percent of run.steps) {
    const config = await stack.config();
    const plan =
      percent === 100
        ? switchPlan(
            config,
            noted(
              `canary promoted after ${steps.map((s) => `${s.percent} %`).join(', ') || 'no step'}`,
            ),
          )
        : canaryPlan(config, percent, noted(`step ${steps.length + 1} of ${run.steps.length}`));
    log(`${stack.name}/${service}: ${percent} % to ${colour}`);
    try {
      await stack.update(plan.changes, plan.message);
    } catch (error) {
      // The update may have changed part of the stack: the way back is the same.
      return abort(`setting ${percent} % failed: ${(error as Error).message}`, 'critical');
    }
    switched = percent === 100;
    const result = await watchRelease({
      ...run.watch,
      colour,
      settings: { ...run.watch.settings, durationMs: run.stepMs },
    });
    const outcome =
      result.outcome === 'held' && result.judged === 0 ? 'no-traffic' : result.outcome;
    steps.push({ percent, outcome });
    if (outcome === 'held') continue;
    if (result.outcome === 'breached') {
      const { breach } = result;
      return abort(
        `${breach.alert}: ${breach.value} above ${breach.threshold} ${breach.unit} (${breach.source}) since ${breach.since}, at ${percent} %`,
        'critical',
        breach,
      );
    }
    return abort(
      result.outcome === 'blind'
        ? `${result.reason}, at ${percent} %: a canary nobody can see is not promoted`
        : `no request reached ${colour} at ${percent} %: nothing to judge it by`,
      'warning',
    );
  }
  const promoted = decided(
    'promoted',
    `the rollback triggers held at every step (${run.steps.join(', ')} %)`,
  );
  await run.record(promoted);
  return promoted;
}

function pageOf(decision: CanaryDecision, severity: PageEvent['severity']): PageEvent {
  const { stack, service, colour, previousColour } = decision;
  const what =
    decision.outcome === 'abort-failed'
      ? `canary of ${colour} FAILED to go back to ${previousColour}`
      : `canary of ${colour} aborted, traffic back on ${previousColour}`;
  return {
    summary: `${stack}/${service}: ${what} — ${decision.reason}`,
    severity,
    source: `${stack}/${service}`,
    component: service,
    dedupKey: `release-canary/${stack}/${service}/${colour}`,
    details: { ...decision },
  };
}
