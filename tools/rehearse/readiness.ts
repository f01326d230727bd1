import { setTimeout as sleep } from 'node:timers/promises';
import type { ImageProcess } from '../image/image-process.js';

/**
 * Dependencies no server for can run on this machine (DESIGN.md): their checks may fail in the
 * rehearsal, and the report says so. Every other check must be up.
 */
export const NOT_REHEARSED: Readonly<Record<string, string>> = {
  neo4j: 'no Neo4j server can run here',
};

interface ReadinessBody {
  readonly checks?: Readonly<Record<string, { readonly status: string }>>;
}

/** How long a service may take to answer `/readyz` at all (a loaded machine starts slowly). */
export const START_TIMEOUT_MS = 60_000;

/**
 * Polls `/readyz` until every dependency check is `up` (those in NOT_REHEARSED aside). The status
 * code alone is not enough: a dependency the service may serve without (Redis behind a fail-open
 * rate limiter) is reported down with 200, and the rehearsal is there to find such failures.
 * `timeoutMs` runs from the first answer: starting the process (up to `START_TIMEOUT_MS`) is not
 * its dependencies' time.
 * @returns the NOT_REHEARSED checks that were down.
 * @throws Error saying which dependency is down and why (from the service's log), or how the
 * process exited, and its last log lines.
 */
export async function waitForDependencies(
  service: ImageProcess,
  url: string,
  timeoutMs: number,
  startTimeoutMs = START_TIMEOUT_MS,
): Promise<string[]> {
  const reasonFor = watchReasons(service);
  let deadline = performance.now() + startTimeoutMs;
  let answered = false;
  let down: string[] = [];
  while (performance.now() < deadline) {
    const { exitCode, signalCode } = service.child;
    if (exitCode !== null || signalCode !== null) {
      throw new Error(
        `exited with ${exitCode ?? signalCode} before it was ready:\n${service.output()}`,
      );
    }
    const body = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
      async (response) => (await response.json()) as ReadinessBody,
      () => undefined,
    );
    if (body?.checks) {
      if (!answered) {
        answered = true;
        deadline = performance.now() + timeoutMs;
      }
      down = Object.entries(body.checks)
        .filter(([, check]) => check.status !== 'up')
        .map(([name]) => name);
      if (down.every((name) => name in NOT_REHEARSED)) return down;
    }
    await sleep(500);
  }
  if (!answered) {
    throw new Error(
      `/readyz did not answer within ${Math.round(startTimeoutMs / 1000)} s of starting; its log:\n${service.output()}`,
    );
  }
  const failing = down.filter((name) => !(name in NOT_REHEARSED));
  const reasons = failing.map((name) => `${name} is down: ${reasonFor(name)}`);
  throw new Error(`not ready within ${Math.round(timeoutMs / 1000)} s: ${reasons.join('; ')}`);
}

/**
 * Every distinct error message the service logs about each dependency (its client's connection
 * errors, its readiness check's), in order, read from its output as it comes: a tail of the
 * output would have lost the first connection error to the readiness polls.
 */
function watchReasons(service: ImageProcess): (dependency: string) => string {
  const reasons = new Map<string, Set<string>>();
  let partial = '';
  service.child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      let entry: { msg?: string; dependency?: string; err?: { message?: string } };
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      const message = entry.err?.message;
      if (!message) continue;
      const dependency = entry.dependency ?? /^(\w+) /.exec(entry.msg ?? '')?.[1] ?? '';
      const known = reasons.get(dependency) ?? new Set<string>();
      reasons.set(dependency, known.add(message));
    }
  });
  return (dependency) => [...(reasons.get(dependency) ?? [])].join('; ') || 'no reason logged';
}
