import { setTimeout as sleep } from 'node:timers/promises';
import { percentile, round } from '../../bench/ledger/percentiles.js';
import { catalog, serviceNames } from '../../services/catalog.js';
import { SMOKE_CALLS } from './smoke-calls.js';

/**
 * The seed's error-rate objective (error rate < 2 %). The catalog's SLO states availability
 * (99.9 % over 30 days), which a short check cannot measure; this is the figure a short run can.
 */
export const LOAD_CHECK_MAX_ERROR_RATE = 0.02;

export interface LoadCheckOptions {
  readonly url: string;
  readonly token: string;
  /** Simulated users, each sending one request every `intervalMs`. */
  readonly users: number;
  readonly intervalMs: number;
  /** Measured time; the users start one after another over the first `intervalMs`. */
  readonly durationMs: number;
  /** Per request; a request past it counts as an error. Default 10 s. */
  readonly timeoutMs?: number;
}

export interface LoadCheckResult {
  readonly requests: number;
  readonly errors: number;
  readonly errorRate: number;
  readonly p95Ms: number;
  /** The objectives the run was held to: the gateway's catalog SLO and the seed's error rate. */
  readonly objectives: { readonly p95Ms: number; readonly maxErrorRate: number };
  /** One sentence per objective missed; empty when the run met them. */
  readonly breaches: readonly string[];
  readonly firstError?: string;
}

/**
 * A short paced load through the gateway against the seed's SLOs (p95 < 500 ms, errors < 2 %):
 * `users` clients each send the smoke reads in turn on a fixed schedule. Latency runs from the
 * time a request was due, so a slow answer that delays the next request counts against it too
 * (no coordinated omission), as in bench/gateway's paced clients; those speak plain HTTP only,
 * and a stack's gateway is HTTPS, so this one uses fetch.
 */
export async function runLoadCheck(options: LoadCheckOptions): Promise<LoadCheckResult> {
  const { users, intervalMs, durationMs, timeoutMs = 10_000 } = options;
  const base = options.url.replace(/\/+$/, '');
  const paths = serviceNames.map((service) => SMOKE_CALLS[service]);
  const headers = { accept: 'application/json', authorization: `Bearer ${options.token}` };
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const end = started + durationMs;

  const user = async (index: number) => {
    let due = started + (index / users) * intervalMs;
    for (let n = index; due < end; n++, due += intervalMs) {
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const path = paths[n % paths.length] as string;
      try {
        const response = await fetch(`${base}${path}`, {
          headers,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = await response.text();
        if (!response.ok)
          throw new Error(`${path}: HTTP ${response.status}: ${body.slice(0, 200)}`);
        latencies.push(performance.now() - due);
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: users }, (_, index) => user(index)));

  const requests = latencies.length + errors;
  const errorRate = requests === 0 ? 1 : errors / requests;
  // A failed request has no latency worth quoting: it counts against the error rate instead.
  const p95Ms = round(percentile(Float64Array.from(latencies).sort(), 95), 1);
  const objectives = {
    p95Ms: catalog['aia-api'].slo.latencyP95Seconds * 1000,
    maxErrorRate: LOAD_CHECK_MAX_ERROR_RATE,
  };
  const breaches: string[] = [];
  if (!(p95Ms < objectives.p95Ms))
    breaches.push(`p95 latency ${p95Ms} ms is not under ${objectives.p95Ms} ms`);
  if (!(errorRate < objectives.maxErrorRate))
    breaches.push(
      `error rate ${round(errorRate * 100, 2)} % (${errors} of ${requests}) is not under ${objectives.maxErrorRate * 100} %`,
    );
  return {
    requests,
    errors,
    errorRate: round(errorRate, 4),
    p95Ms,
    objectives,
    breaches,
    ...(firstError === undefined ? {} : { firstError }),
  };
}
