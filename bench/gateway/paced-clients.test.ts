import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPacedClients } from './paced-clients.js';

let server: Server;
let origin: URL;
const sockets = new Set<unknown>();

beforeAll(async () => {
  // Answers 503 on /busy, 200 elsewhere; remembers every connection it accepted.
  server = createServer((request, response) => {
    response.writeHead(request.url === '/busy' ? 503 : 200, { 'content-type': 'application/json' });
    response.end('{}');
  });
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('runPacedClients', () => {
  it('sends each client its requests on schedule over one connection of its own', async () => {
    sockets.clear();
    const result = await runPacedClients({
      origin,
      connections: 10,
      perConnectionPerSecond: 20,
      rampMs: 100,
      durationMs: 500,
      next: () => ({ method: 'GET', path: '/ok' }),
    });
    // 10 clients × 20/s × 0.5 s, give or take the one due right at the window's edges.
    expect(result.requests).toBeGreaterThanOrEqual(90);
    expect(result.requests).toBeLessThanOrEqual(110);
    expect(result.errors).toBe(0);
    expect(result.connectionsOpened).toBe(10);
    expect(sockets.size).toBe(10);
    expect(result.p50Ms).toBeGreaterThan(0);
  });

  it('counts non-2xx answers as errors and keeps the first', async () => {
    const result = await runPacedClients({
      origin,
      connections: 2,
      perConnectionPerSecond: 10,
      rampMs: 100,
      durationMs: 300,
      next: () => ({ method: 'GET', path: '/busy' }),
    });
    expect(result.errors).toBe(result.requests);
    expect(result.errors).toBeGreaterThan(0);
    expect(result.perSecond).toBe(0);
    expect(result.firstError).toBe('HTTP 503: {}');
  });
});
