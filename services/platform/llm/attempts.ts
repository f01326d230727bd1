import { type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { APICallError, NoObjectGeneratedError } from 'ai';
import { BrokenCircuitError } from 'cockatiel';
import type { Logger } from 'pino';
import { type CallBudget, limitFor } from './budget.js';
import { deadline } from './deadline.js';
import { LlmUnavailableError, StreamInterruptedError } from './errors.js';
import { classify, type Failure } from './failure.js';
import type { LlmMetrics } from './metrics.js';
import { costOf, toAia } from './prices.js';
import { AttemptFailed, type ProviderGuard } from './provider-guard.js';
import type { EnabledProvider } from './providers.js';
import type { ModelRoute, ProviderName } from './providers-list.js';
import { ENABLED_BY } from './routing.js';
import type { Attempt, LlmResultMeta, TokenUsage } from './types.js';

/** What one attempt gives back: its value and usage. */
export interface Answer<T> {
  readonly value: T;
  readonly usage: TokenUsage;
}

/** A route with the output limit the budget leaves it. */
export interface BudgetedRoute {
  readonly route: ModelRoute;
  readonly maxOutputTokens?: number;
}

/** One try of one route: resolves with the answer; `release` frees the provider's slot. */
export type TryRoute<T> = (
  route: BudgetedRoute,
  provider: EnabledProvider,
  signal: AbortSignal,
  release: () => void,
) => Promise<Answer<T>>;

export interface AttemptsContext {
  readonly providers: ReadonlyMap<ProviderName, EnabledProvider>;
  readonly guards: ReadonlyMap<ProviderName, ProviderGuard>;
  readonly metrics: LlmMetrics;
  readonly logger: Logger;
  readonly logContent: boolean;
  /** One attempt's limit (within the call's). */
  readonly attemptTimeoutMs: number;
  /** The whole call's limit. */
  readonly callTimeoutMs: number;
  readonly maxRetries: number;
  /** Longest Retry-After the layer waits on one route before it tries the next one instead. */
  readonly maxRetryWaitMs: number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface CallState {
  readonly attempts: Attempt[];
  /** What failed attempts that reported usage cost (a refused object is billed all the same). */
  spentUsd: number;
  spentUsage: TokenUsage;
  /** The call's own deadline ended an attempt: no further route or retry. */
  expired: boolean;
}

const tracer = trace.getTracer('aia-llm');

/** Exponential backoff with full jitter: 250 ms, 500 ms, 1 s… */
const backoff = (retry: number) => Math.random() * 250 * 2 ** retry;

/**
 * Tries the routes in order until one answers, within the call's deadline: each attempt through
 * its provider's breaker, in a slot, under its own deadline and the output limit the budget still
 * allows; a retryable failure (429, 5xx, no answer) is tried again after Retry-After or backoff
 * when the wait is short, then the next route. The caller's abort ends everything at once.
 * Records metrics, a span with provider, model and tokens, and the cost of every attempt.
 */
export async function firstAnswer<T>(
  context: AttemptsContext,
  operation: string,
  budget: CallBudget,
  routes: readonly ModelRoute[],
  callSignal: AbortSignal | undefined,
  tryRoute: TryRoute<T>,
  timeoutMs = context.callTimeoutMs,
): Promise<{ value: T; meta: LlmResultMeta }> {
  const { modelClass } = budget;
  return tracer.startActiveSpan(`llm.${operation} ${modelClass}`, async (span) => {
    span.setAttributes({ 'gen_ai.operation.name': operation, 'llm.class': modelClass });
    const call = deadline(timeoutMs, callSignal);
    const state: CallState = {
      attempts: [],
      spentUsd: 0,
      spentUsage: { inputTokens: 0, outputTokens: 0 },
      expired: false,
    };
    try {
      for (const route of routes) {
        const limit = limitFor(route, budget, state.spentUsd);
        if (!limit) {
          record(context, state, route, { outcome: 'over_budget' });
          continue;
        }
        const answer = await tryWithRetries(
          context,
          { route, ...limit },
          call,
          callSignal,
          tryRoute,
          state,
        );
        if (state.expired || call.timedOut()) break;
        if (!answer) continue;
        return {
          value: answer.value,
          meta: succeed(context, span, route, answer.usage, state, budget),
        };
      }
      throw new LlmUnavailableError(modelClass, state.attempts);
    } catch (error) {
      span.recordException(
        error instanceof Error ? { name: error.name, message: error.message } : String(error),
      );
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
      throw error;
    } finally {
      call.clear();
      span.setAttribute('llm.attempts', state.attempts.length);
      span.end();
    }
  });
}

async function tryWithRetries<T>(
  context: AttemptsContext,
  budgeted: BudgetedRoute,
  call: ReturnType<typeof deadline>,
  callerSignal: AbortSignal | undefined,
  tryRoute: TryRoute<T>,
  state: CallState,
): Promise<Answer<T> | undefined> {
  const { route } = budgeted;
  const provider = context.providers.get(route.provider);
  const guard = context.guards.get(route.provider);
  if (!provider || !guard) return undefined;
  for (let retry = 0; ; retry += 1) {
    callerSignal?.throwIfAborted();
    let started = 0;
    let attemptTimedOut = false;
    try {
      const answer = await guard.run(async (release) => {
        // The attempt's clock starts with its slot: waiting in line is not the provider's time.
        started = performance.now();
        const remaining = call.remainingMs();
        const attempt = deadline(Math.min(context.attemptTimeoutMs, remaining), call.signal);
        try {
          return await tryRoute(budgeted, provider, attempt.signal, release);
        } catch (error) {
          if (callerSignal?.aborted) throw error;
          attemptTimedOut = attempt.timedOut() || call.timedOut();
          // Cut by the call's deadline (the attempt had all the time the call had left).
          if (attemptTimedOut && remaining <= context.attemptTimeoutMs) state.expired = true;
          const failure = classify(error, attemptTimedOut);
          throw new AttemptFailed(failure, error, error instanceof StreamInterruptedError);
        } finally {
          attempt.clear();
        }
      }, call.signal);
      context.metrics.duration.observe(
        { provider: route.provider, model: route.model },
        (performance.now() - started) / 1000,
      );
      state.attempts.push({ provider: route.provider, model: route.model, outcome: 'ok' });
      return answer;
    } catch (error) {
      // The caller gave up: no fallback, no retry; the upstream request was aborted with it.
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (error instanceof BrokenCircuitError) {
        record(context, state, route, { outcome: 'circuit_open' });
        return undefined;
      }
      if (call.timedOut()) state.expired = true;
      const failure: Failure =
        error instanceof AttemptFailed
          ? error.failure
          : // The call's deadline passed while it waited for a slot: nothing was sent.
            classify(error, call.timedOut());
      const cause = error instanceof AttemptFailed ? error.error : error;
      spend(state, route, usageOf(cause), context);
      record(context, state, route, failure);
      logFailure(context, route, failure, cause);
      if (error instanceof AttemptFailed && error.final) throw cause;
      const wait = failure.retryAfterMs ?? backoff(retry);
      if (
        !failure.retryable ||
        retry >= context.maxRetries ||
        wait > context.maxRetryWaitMs ||
        wait >= call.remainingMs() ||
        state.expired
      )
        return undefined;
      await context.sleep(wait, call.signal).catch(() => {
        if (callerSignal?.aborted) throw callerSignal.reason;
      });
      if (call.timedOut()) return undefined;
    }
  }
}

/** Usage a failed attempt still reports (a refused object was generated and billed). */
function usageOf(error: unknown): TokenUsage | undefined {
  if (NoObjectGeneratedError.isInstance(error) && error.usage)
    return {
      inputTokens: error.usage.inputTokens ?? 0,
      outputTokens: error.usage.outputTokens ?? 0,
    };
  return undefined;
}

function spend(
  state: CallState,
  route: ModelRoute,
  usage: TokenUsage | undefined,
  context: AttemptsContext,
) {
  if (!usage) return;
  const labels = { provider: route.provider, model: route.model };
  const { usd } = costOf(route, usage, 1);
  state.spentUsd += usd;
  state.spentUsage = {
    inputTokens: state.spentUsage.inputTokens + usage.inputTokens,
    outputTokens: state.spentUsage.outputTokens + usage.outputTokens,
  };
  context.metrics.tokens.inc({ ...labels, kind: 'input' }, usage.inputTokens);
  context.metrics.tokens.inc({ ...labels, kind: 'output' }, usage.outputTokens);
  context.metrics.costUsd.inc(labels, usd);
}

/**
 * A failed attempt in the log: what failed and how, never the request or the answer (an SDK error
 * carries the prompt, the completion and the URL); those only with LLM_LOG_CONTENT, at debug.
 */
function logFailure(context: AttemptsContext, route: ModelRoute, failure: Failure, error: unknown) {
  const name = error instanceof Error ? error.name : typeof error;
  context.logger.warn(
    {
      provider: route.provider,
      model: route.model,
      outcome: failure.outcome,
      status: failure.status,
      error: name,
      retryable: APICallError.isInstance(error) ? error.isRetryable : undefined,
    },
    'llm attempt failed',
  );
  if (failure.status === 401 || failure.status === 403)
    context.logger.error(
      { provider: route.provider, status: failure.status, variable: ENABLED_BY[route.provider] },
      `${route.provider} refused its credentials (HTTP ${failure.status}): check ${ENABLED_BY[route.provider]}`,
    );
  if (context.logContent) context.logger.debug({ err: error }, 'llm attempt failure, in full');
}

function record(
  context: AttemptsContext,
  state: CallState,
  route: ModelRoute,
  failure: Pick<Attempt, 'outcome' | 'status'>,
) {
  state.attempts.push({
    provider: route.provider,
    model: route.model,
    outcome: failure.outcome,
    ...(failure.status === undefined ? {} : { status: failure.status }),
  });
  context.metrics.requests.inc({
    provider: route.provider,
    model: route.model,
    outcome: failure.outcome,
  });
}

function succeed(
  context: AttemptsContext,
  span: Span,
  route: ModelRoute,
  usage: TokenUsage,
  state: CallState,
  budget: CallBudget,
): LlmResultMeta {
  const labels = { provider: route.provider, model: route.model };
  const own = costOf(route, usage, budget.aiaPerUsd);
  context.metrics.requests.inc({ ...labels, outcome: 'ok' });
  context.metrics.tokens.inc({ ...labels, kind: 'input' }, usage.inputTokens);
  context.metrics.tokens.inc({ ...labels, kind: 'output' }, usage.outputTokens);
  context.metrics.costUsd.inc(labels, own.usd);
  span.setAttributes({
    'gen_ai.provider.name': route.provider,
    'gen_ai.request.model': route.model,
    'gen_ai.usage.input_tokens': usage.inputTokens,
    'gen_ai.usage.output_tokens': usage.outputTokens,
  });
  const usd = own.usd + state.spentUsd;
  return {
    provider: route.provider,
    model: route.model,
    local: route.provider === 'local',
    usage: {
      inputTokens: usage.inputTokens + state.spentUsage.inputTokens,
      outputTokens: usage.outputTokens + state.spentUsage.outputTokens,
    },
    cost: { usd, aia: toAia(usd, budget.aiaPerUsd) },
    attempts: state.attempts,
  };
}
