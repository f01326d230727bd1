import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a {@link startWebhookServer} received. */
export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A webhook receiver on loopback for push notification tests: it records every request and
 * answers 200, or, per path, the statuses `answer` queued (then 200 again).
 */
export async function startWebhookServer() {
  const received: ReceivedRequest[] = [];
  const scripted = new Map<string, number[]>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString() });
      response.writeHead(scripted.get(path)?.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    received,
    /** The URL of `path` on this server. */
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    /** The requests to `path` so far. */
    at: (path: string) => received.filter((request) => request.path === path),
    /** Answers the next requests to `path` with `statuses`, in order, then 200 again. */
    answer: (path: string, statuses: number[]) => scripted.set(path, [...statuses]),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Waits until `done()` holds, reading it every 50 ms; fails after `ms`, saying what it waited for. */
export async function eventually(
  what: string,
  done: () => boolean | Promise<boolean>,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
