import type { Server } from 'node:http';

/**
 * Stops accepting connections, lets in-flight requests finish, and cuts whatever is still open
 * when `timeoutMs` has passed. Resolves with whether everything finished in time.
 */
export function closeServerGracefully(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve(true);
    let finishedInTime = true;
    const deadline = setTimeout(() => {
      finishedInTime = false;
      server.closeAllConnections();
    }, timeoutMs);
    // A keep-alive connection goes idle when its last request finishes; without this sweep it
    // would hold `close` open until the keep-alive timeout.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearTimeout(deadline);
      clearInterval(sweep);
      resolve(finishedInTime);
    });
    server.closeIdleConnections();
  });
}

export type Closer = { readonly name: string; close(): Promise<unknown> };

/**
 * How long a stopping service gives its clients to close (workers, job queue, event bus, data
 * stores) after the server closed. The pod's termination grace period leaves this much room after
 * `SHUTDOWN_TIMEOUT_MS` (infra/components/service-deployment/pod-template.ts).
 */
export const CLIENT_CLOSE_BUDGET_MS = 4_000;

/**
 * Runs `closers` one after another (the server first, then clients), so clients stay available to
 * the requests that are finishing. A failing closer does not stop the others. With `deadlineMs`,
 * all of them share that budget: a closer still waiting when it runs out (a query on a database
 * that went away, a job queue waiting for its jobs) is reported through `onError` and left behind,
 * so shutdown ends in bounded time even while a dependency is down.
 */
export async function closeAll(
  closers: readonly Closer[],
  onError: (name: string, error: unknown) => void,
  { deadlineMs }: { readonly deadlineMs?: number } = {},
): Promise<void> {
  const endsAt = deadlineMs === undefined ? undefined : Date.now() + deadlineMs;
  for (const closer of closers) {
    try {
      const closing = closer.close();
      if (endsAt === undefined) await closing;
      else await withinDeadline(closing, Math.max(0, endsAt - Date.now()), closer.name);
    } catch (error) {
      onError(closer.name, error);
    }
  }
}

async function withinDeadline(closing: Promise<unknown>, ms: number, name: string) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name} did not close within the shutdown budget; left open`)),
      ms,
    );
  });
  // A closer that fails after its deadline has already been reported.
  closing.catch(() => {});
  try {
    await Promise.race([closing, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Calls `shutdown` once on the first SIGTERM or SIGINT, then exits with its code. A second signal
 * exits at once with code 130, for people who pressed Ctrl-C twice.
 */
export function onTerminationSignals(shutdown: (signal: string) => Promise<number>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    shutdown(signal).then(
      (code) => process.exit(code),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
