import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the scripted upstream saw of one request. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * An HTTP upstream whose answer the path's last segments choose, for the gateway's failure
 * tests: `.../echo` (200, what it saw), `.../slow` (answers after 2 s), `.../reset/<key>` (the
 * connection dropped on every request), `.../reset-once/<key>` (dropped the first time, then 200),
 * `.../boom` (a 500 whose body names internals), `.../conflict` (a 409 problem document),
 * `.../sse` (an event stream whose second event waits for `releaseSecondEvent()`), `.../redirect`
 * (a 302 to its own `/followed/echo`, which a proxy must pass on, not follow).
 */
export async function startScriptedUpstream() {
  const seen: SeenRequest[] = [];
  const hits = new Map<string, number>();
  let release: () => void = () => {};
  const secondEvent = new Promise<void>((resolve) => {
    release = resolve;
  });
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://upstream').pathname;
    const request = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    seen.push(request);
    const segments = path.split('/');
    const keyed = ['reset', 'reset-once'].includes(segments.at(-2) ?? '');
    const kind = (keyed ? segments.at(-2) : segments.at(-1)) ?? '';
    const key = keyed ? (segments.at(-1) ?? '') : '';
    const count = (hits.get(`${kind}/${key}`) ?? 0) + 1;
    hits.set(`${kind}/${key}`, count);
    if (kind === 'reset' || (kind === 'reset-once' && count === 1)) {
      req.socket.destroy();
      return;
    }
    if (kind === 'slow') await sleep(2_000);
    if (kind === 'boom') {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(
        'Error: connect ECONNREFUSED 10.1.2.3:5432\n    at Pool.connect (/srv/app/db.js:12:7)',
      );
      return;
    }
    if (kind === 'conflict') {
      res.writeHead(409, { 'Content-Type': 'application/problem+json' });
      res.end(
        JSON.stringify({
          type: 'urn:aia:problem:conflict',
          status: 409,
          detail: 'taken',
          instance: req.url,
        }),
      );
      return;
    }
    if (kind === 'redirect') {
      res.writeHead(302, { Location: `http://${req.headers.host}/followed/echo` });
      res.end();
      return;
    }
    if (kind === 'sse') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.write('data: first\n\n');
      await secondEvent;
      res.end('data: second\n\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', Connection: 'keep-alive, X-Secret' });
    res.end(JSON.stringify(request));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    /** Requests that reached `<kind>/<key>` (the connection dropped ones included). */
    hits: (kindAndKey: string) => hits.get(kindAndKey) ?? 0,
    releaseSecondEvent: () => release(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
