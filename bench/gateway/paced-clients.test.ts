import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPacedClients } from './paced-clients.js';

let server: Server;
let origin: URL;
const sockets = new Set<unknown>();

beforeAll(async () => {
  // Answers 503 on /busy, 200 after 150 ms on /slow, 200 at once elsewhere; remembers every
  // connection it accepted.
  server = createServer((request, response) => {
    response.writeHead(request.url === '/busy' ? 503 : 200, { 'content-type': 'application/json' });
    if (request.url === '/slow') setTimeout(() => response.end('{}'), 150);
    else response.end('{}');
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
      intervalMs: 50,
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
    expect(result.unsent).toBe(0);
    expect(result.p50Ms).toBeGreaterThan(0);
  });

  it('stops at the end of the window and counts what a slow server left unsent', async () => {
    const result = await runPacedClients({
      origin,
      connections: 2,
      intervalMs: 20,
      rampMs: 20,
      durationMs: 400,
      next: () => ({ method: 'GET', path: '/slow' }),
    });
    // Each answer takes 150 ms, so a client sends about 3 of the 20 due in the window.
    expect(result.requests).toBeLessThanOrEqual(8);
    expect(result.unsent).toBeGreaterThanOrEqual(30);
    expect(result.p99Ms).toBe(Number.POSITIVE_INFINITY);
  });

  it('counts non-2xx answers as errors and keeps the first', async () => {
    const result = await runPacedClients({
      origin,
      connections: 2,
      intervalMs: 100,
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
