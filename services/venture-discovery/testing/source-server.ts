import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A response a test source serves: status, headers and body, or a stall that never answers. */
export type Served =
  | {
      readonly status?: number;
      readonly headers?: Record<string, string>;
      readonly body: string | Buffer;
    }
  | 'stall';

/**
 * A local HTTP server serving `routes` by path; honours `If-None-Match` against an `etag`
 * header (304). `hits` counts requests per path.
 */
export async function startSourceServer(routes: Record<string, Served>) {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const served = routes[path];
    if (served === 'stall') return;
    if (!served) {
      res.writeHead(404).end();
      return;
    }
    const etag = served.headers?.etag;
    if (etag && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(served.status ?? 200, served.headers ?? {}).end(served.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An RSS document of `items` (title, description, link). */
export const rss = (items: readonly { title: string; text: string; link: string }[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>${items
    .map(
      (i) =>
        `<item><title>${i.title}</title><description>${i.text}</description><link>${i.link}</link></item>`,
    )
    .join('')}</channel></rss>`;
