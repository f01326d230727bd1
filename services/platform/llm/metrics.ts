import { Counter, Histogram, type Registry } from 'prom-client';

/** The layer's metrics, registered once per service on its registry. */
export interface LlmMetrics {
  readonly requests: Counter<'provider' | 'model' | 'outcome'>;
  readonly tokens: Counter<'provider' | 'model' | 'kind'>;
  readonly duration: Histogram<'provider' | 'model'>;
  readonly costUsd: Counter<'provider' | 'model'>;
}

export function createLlmMetrics(registry: Registry): LlmMetrics {
  return {
    requests: new Counter({
      name: 'llm_requests_total',
      help: 'LLM provider requests (attempts) by provider, model and outcome',
      labelNames: ['provider', 'model', 'outcome'],
      registers: [registry],
    }),
    tokens: new Counter({
      name: 'llm_tokens_total',
      help: 'Tokens used by provider, model and kind (input, output)',
      labelNames: ['provider', 'model', 'kind'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'llm_request_duration_seconds',
      help: 'Duration of successful LLM provider requests',
      labelNames: ['provider', 'model'],
      // Boundaries at 0.5 s and 2 s, where latency objectives are set (NOTES.md).
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    costUsd: new Counter({
      name: 'llm_cost_usd_total',
      help: 'What LLM calls cost at list price, in USD',
      labelNames: ['provider', 'model'],
      registers: [registry],
    }),
  };
}
