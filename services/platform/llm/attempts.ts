import { type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { BrokenCircuitError } from 'cockatiel';
import type { Logger } from 'pino';
import type { BudgetedRoute } from './budget.js';
import { LlmUnavailableError, StreamInterruptedError } from './errors.js';
import { classify, type Failure } from './failure.js';
import type { LlmMetrics } from './metrics.js';
import { costOf } from './prices.js';
import { AttemptFailed, type ProviderGuard } from './provider-guard.js';
import type { EnabledProvider } from './providers.js';
import type { ModelRoute, ProviderName } from './providers-list.js';
import type { Attempt, LlmResultMeta, TokenUsage } from './types.js';

/** What one attempt gives back: its value and usage (or how to wait for them, for a stream). */
export interface Answer<T> {
  readonly value: T;
  readonly usage: TokenUsage;
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
  readonly aiaPerUsd: number;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /** Longest Retry-After the layer waits on one route before it tries the next one instead. */
  readonly maxRetryWaitMs: number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const tracer = trace.getTracer('aia-llm');

/**
 * One attempt's signal: aborted by the caller's signal or when `timeoutMs` passes. Cleared when
 * the attempt ends, so no timer or listener outlives it (AbortSignal.timeout's timers would stay
 * for the whole timeout, one per call, and AbortSignal.any's links with them).
 */
function attemptDeadline(timeoutMs: number, caller: AbortSignal | undefined) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  const follow = () => controller.abort(caller?.reason);
  caller?.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    clear: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', follow);
    },
  };
}

/** Exponential backoff with full jitter: 250 ms, 500 ms, 1 s… */
const backoff = (retry: number) => Math.random() * 250 * 2 ** retry;

/**
 * Tries the routes in order until one answers: each attempt in a provider slot, through its
 * breaker, under its own deadline; a retryable failure (429, 5xx, no answer) is tried again after
 * Retry-After or backoff when the wait is short, then the next route. The caller's abort ends
 * everything at once. Records metrics, a span with provider, model and tokens, and the cost.
 */
export async function firstAnswer<T>(
  context: AttemptsContext,
  operation: string,
  modelClass: string,
  routes: readonly BudgetedRoute[],
  signal: AbortSignal | undefined,
  tryRoute: TryRoute<T>,
): Promise<{ value: T; meta: LlmResultMeta }> {
  return tracer.startActiveSpan(`llm.${operation} ${modelClass}`, async (span) => {
    span.setAttributes({ 'gen_ai.operation.name': operation, 'llm.class': modelClass });
    const attempts: Attempt[] = [];
    try {
      for (const budgeted of routes) {
        const answer = await tryWithRetries(context, budgeted, signal, tryRoute, attempts);
        if (!answer) continue;
        const { route } = budgeted;
        const cost = costOf(route, answer.usage, context.aiaPerUsd);
        recordSuccess(context, span, route, answer.usage, cost.usd);
        return {
          value: answer.value,
          meta: {
            provider: route.provider,
            model: route.model,
            local: route.provider === 'local',
            usage: answer.usage,
            cost,
            attempts,
          },
        };
      }
      throw new LlmUnavailableError(modelClass, attempts);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.setAttribute('llm.attempts', attempts.length);
      span.end();
    }
  });
}

async function tryWithRetries<T>(
  context: AttemptsContext,
  budgeted: BudgetedRoute,
  signal: AbortSignal | undefined,
  tryRoute: TryRoute<T>,
  attempts: Attempt[],
): Promise<Answer<T> | undefined> {
  const { route } = budgeted;
  const provider = context.providers.get(route.provider);
  const guard = context.guards.get(route.provider);
  if (!provider || !guard) return undefined;
  for (let retry = 0; ; retry += 1) {
    signal?.throwIfAborted();
    const deadline = attemptDeadline(context.timeoutMs, signal);
    const attemptSignal = deadline.signal;
    const started = performance.now();
    try {
      const answer = await guard.run(async (release) => {
        try {
          return await tryRoute(budgeted, provider, attemptSignal, release);
        } catch (error) {
          if (signal?.aborted || error instanceof StreamInterruptedError) throw error;
          throw new AttemptFailed(classify(error, deadline.timedOut()), error);
        }
      }, attemptSignal);
      context.metrics.duration.observe(
        { provider: route.provider, model: route.model },
        (performance.now() - started) / 1000,
      );
      attempts.push({ provider: route.provider, model: route.model, outcome: 'ok' });
      deadline.clear();
      return answer;
    } catch (error) {
      deadline.clear();
      // The caller gave up: no fallback, no retry; the upstream request was aborted with it.
      if (signal?.aborted) throw signal.reason;
      if (error instanceof StreamInterruptedError) throw error;
      if (error instanceof BrokenCircuitError) {
        record(context, attempts, route, { outcome: 'circuit_open' });
        return undefined;
      }
      const failure: Failure =
        error instanceof AttemptFailed ? error.failure : classify(error, deadline.timedOut());
      record(context, attempts, route, failure);
      context.logger.warn(
        {
          provider: route.provider,
          model: route.model,
          outcome: failure.outcome,
          status: failure.status,
          err: error instanceof AttemptFailed ? error.error : error,
        },
        'llm attempt failed',
      );
      const wait = failure.retryAfterMs ?? backoff(retry);
      if (!failure.retryable || retry >= context.maxRetries || wait > context.maxRetryWaitMs)
        return undefined;
      await context.sleep(wait, signal);
    }
  }
}

function record(
  context: AttemptsContext,
  attempts: Attempt[],
  route: ModelRoute,
  failure: Pick<Attempt, 'outcome' | 'status'>,
) {
  attempts.push({
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

function recordSuccess(
  context: AttemptsContext,
  span: Span,
  route: ModelRoute,
  usage: TokenUsage,
  usd: number,
) {
  const labels = { provider: route.provider, model: route.model };
  context.metrics.requests.inc({ ...labels, outcome: 'ok' });
  context.metrics.tokens.inc({ ...labels, kind: 'input' }, usage.inputTokens);
  context.metrics.tokens.inc({ ...labels, kind: 'output' }, usage.outputTokens);
  context.metrics.costUsd.inc(labels, usd);
  span.setAttributes({
    'gen_ai.provider.name': route.provider,
    'gen_ai.request.model': route.model,
    'gen_ai.usage.input_tokens': usage.inputTokens,
    'gen_ai.usage.output_tokens': usage.outputTokens,
  });
}
