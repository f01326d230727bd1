import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { KEEP_ALIVE_TIMEOUT_MS, keepConnectionsLongerThanProxies } from './runtime.js';

/** Node closes an idle kept-alive connection after 5 s unless told otherwise. */
const NODE_DEFAULT_KEEP_ALIVE_MS = 5_000;

describe("a service's idle connections", () => {
  it('stay open longer than a load balancer keeps them, so its next request never meets a closed socket', async () => {
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(600_000);
    const server = createServer((_req, res) => res.end('ok'));
    keepConnectionsLongerThanProxies(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const get = () =>
      new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, agent }, (res) => {
          sockets.add(req.socket);
          res.setEncoding('utf8');
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get()).toBe('ok');
      await new Promise((resolve) => setTimeout(resolve, NODE_DEFAULT_KEEP_ALIVE_MS + 700));
      expect(await get()).toBe('ok');
      // Both requests went over the one connection: it was still open after Node's default.
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 15_000);
});
