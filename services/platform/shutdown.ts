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
 * Runs `closers` one after another (the server first, then clients), so clients stay available to
 * the requests that are finishing. A failing closer does not stop the others.
 */
export async function closeAll(
  closers: readonly Closer[],
  onError: (name: string, error: unknown) => void,
): Promise<void> {
  for (const closer of closers) {
    try {
      await closer.close();
    } catch (error) {
      onError(closer.name, error);
    }
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
