import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateText } from 'ai';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createLlm } from '../services/platform/llm/llm.js';
import { enabledProviders } from '../services/platform/llm/providers.js';
import { median, percentile, round } from './ledger/percentiles.js';
import { startChatServer } from './llm/chat-server.js';

/** Calls per round and path, one at a time (latency), then 16 at a time (CPU under load). */
const CALLS = Number(process.env.BENCH_CALLS ?? 2_000);
const CONCURRENCY = 16;

interface PathRound {
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Client CPU (user + system) per call, in microseconds, at 16 calls in flight. */
  readonly cpuUsPerCall: number;
}

async function runPath(call: () => Promise<unknown>): Promise<PathRound> {
  const latencies: number[] = [];
  for (let i = 0; i < CALLS; i += 1) {
    const started = performance.now();
    await call();
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const cpuBefore = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CALLS) {
        next += 1;
        await call();
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return {
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuUsPerCall: (cpu.user + cpu.system) / CALLS,
  };
}

/**
 * `npm run bench -- llm [rounds]`: the LLM layer's cost over calling the provider client directly.
 * Both paths use the same AI SDK provider (OpenAI-compatible) against the same local server; the
 * layer adds routing, budget pricing, its provider slot and breaker, metrics and a span.
 */
export async function benchLlm(rounds = 5): Promise<void> {
  const server = await startChatServer();
  const config = {
    ENVIRONMENT: 'test' as const,
    OPENAI_COMPATIBLE_BASE_URL: server.baseUrl,
    LLM_CLASSES: { fast: [{ provider: 'openai-compatible' as const, model: 'bench' }] },
    LLM_AIA_PER_USD: 100,
    LLM_TIMEOUT_MS: 60_000,
    LLM_CALL_TIMEOUT_MS: 120_000,
    LLM_MAX_RETRIES: 2,
    LLM_MAX_CONCURRENCY: 64,
    LLM_LOG_CONTENT: false,
    AZURE_OPENAI_API_VERSION: 'v1',
  };
  const [provider] = enabledProviders(config);
  if (!provider) throw new Error('the OpenAI-compatible provider is not enabled');
  const model = provider.languageModel('bench');
  const llm = createLlm({
    config,
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
    providers: [provider],
    local: provider,
    requiredClasses: ['fast'],
  });
  const prompt = 'Classify this signal: a new open-source vector database launched today.';
  const direct = () => generateText({ model, prompt, maxRetries: 0 });
  const layer = () => llm.generateText({ class: 'fast', prompt, budget: { maxCostAia: '1' } });
  const results: { direct: PathRound; layer: PathRound }[] = [];
  try {
    await runPath(direct); // warm-up: JIT, connections
    await runPath(layer);
    for (let round = 1; round <= rounds; round += 1) {
      // Alternating order, so drift on a noisy machine falls on both paths.
      const first = round % 2 ? direct : layer;
      const a = await runPath(first);
      const b = await runPath(first === direct ? layer : direct);
      const entry = first === direct ? { direct: a, layer: b } : { direct: b, layer: a };
      results.push(entry);
      process.stderr.write(
        `  round ${round}: direct p50 ${entry.direct.p50Ms.toFixed(3)} ms ${entry.direct.cpuUsPerCall.toFixed(0)} µs CPU; layer p50 ${entry.layer.p50Ms.toFixed(3)} ms ${entry.layer.cpuUsPerCall.toFixed(0)} µs CPU\n`,
      );
    }
  } finally {
    await server.stop();
  }
  const med = (pick: (r: (typeof results)[number]) => number) => median(results.map(pick));
  const summary = {
    benchmark: 'llm',
    measuredAt: new Date().toISOString(),
    settings: { rounds, callsPerRound: CALLS, concurrency: CONCURRENCY, node: process.version },
    direct: {
      p50Ms: round(
        med((r) => r.direct.p50Ms),
        3,
      ),
      p99Ms: round(
        med((r) => r.direct.p99Ms),
        3,
      ),
      cpuUsPerCall: round(
        med((r) => r.direct.cpuUsPerCall),
        0,
      ),
    },
    layer: {
      p50Ms: round(
        med((r) => r.layer.p50Ms),
        3,
      ),
      p99Ms: round(
        med((r) => r.layer.p99Ms),
        3,
      ),
      cpuUsPerCall: round(
        med((r) => r.layer.cpuUsPerCall),
        0,
      ),
    },
    addedP50Ms: round(
      med((r) => r.layer.p50Ms - r.direct.p50Ms),
      3,
    ),
    addedCpuUsPerCall: round(
      med((r) => r.layer.cpuUsPerCall - r.direct.cpuUsPerCall),
      0,
    ),
    cpuRatio: round(
      med((r) => r.layer.cpuUsPerCall / r.direct.cpuUsPerCall),
      2,
    ),
  };
  process.stdout.write(`
LLM layer vs the provider client alone: OpenAI-compatible provider, local server in its own process,
${CALLS} calls per path per round, medians of ${rounds} rounds (Node ${process.version})

path     p50 ms   p99 ms   client CPU per call (16 in flight)
direct   ${summary.direct.p50Ms.toFixed(3).padStart(6)}   ${summary.direct.p99Ms.toFixed(3).padStart(6)}   ${summary.direct.cpuUsPerCall} µs
layer    ${summary.layer.p50Ms.toFixed(3).padStart(6)}   ${summary.layer.p99Ms.toFixed(3).padStart(6)}   ${summary.layer.cpuUsPerCall} µs

added by the layer: ${summary.addedP50Ms} ms at p50, ${summary.addedCpuUsPerCall} µs CPU per call (${summary.cpuRatio}x the direct call's CPU)
`);
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'llm.json'), `${JSON.stringify(summary, null, 2)}\n`);
}
