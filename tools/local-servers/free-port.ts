import { createServer } from 'node:net';

/**
 * Asks the kernel for a TCP port that is free right now on `host` (default `127.0.0.1`).
 * Another process may still take it before the caller binds it, so callers that can should
 * retry on "address in use".
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() =>
        port === undefined ? reject(new Error(`could not read a port on ${host}`)) : resolve(port),
      );
    });
  });
}

/**
 * Calls `start(port)`; when `port` is undefined, with a free port instead, choosing another one
 * up to `attempts` times (default 3) if the failure says "Address already in use" (someone else
 * bound the port between the check and the server's own bind).
 */
export async function withPort<T>(
  port: number | undefined,
  start: (port: number) => Promise<T>,
  attempts = 3,
): Promise<T> {
  if (port !== undefined) return start(port);
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await findFreePort());
    } catch (error) {
      const portTaken = error instanceof Error && error.message.includes('Address already in use');
      if (!portTaken || attempt >= attempts) throw error;
    }
  }
}
