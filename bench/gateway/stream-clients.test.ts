import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { holdStreams, probeStream } from './stream-clients.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<URL> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

/**
 * A stand-in for the hub: upgrades `/v1/stream` for a bearer token, confirms each subscription,
 * pings, and closes the connection that subscribes with `drop` soon after.
 */
async function scriptedHub(): Promise<URL> {
  const hub = new WebSocketServer({ noServer: true });
  const server = createServer((_request, response) => response.writeHead(426).end());
  server.on('upgrade', (request, socket, head) => {
    if (request.url !== '/v1/stream' || request.headers.authorization !== 'Bearer t') {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    hub.handleUpgrade(request, socket, head, (ws) => {
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id: string; filter: { account_id: string } };
        ws.send(JSON.stringify({ type: 'subscribed', id: message.id, topic: 't', cursor: '0' }));
        ws.send(JSON.stringify({ type: 'event', subscription: message.id, cursor: '1', data: {} }));
        ws.ping();
        if (message.filter.account_id === 'drop') setTimeout(() => ws.close(1008, 'dropped'), 50);
      });
    });
  });
  return listen(server);
}

describe('probeStream', () => {
  it('says the hub is missing when the gateway answers the upgrade with 404', async () => {
    const origin = await listen(
      createServer((_request, response) => response.writeHead(404).end()),
    );
    await expect(probeStream(origin, 't')).resolves.toEqual({
      available: false,
      reason: expect.stringContaining('HTTP 404 (the gateway does not serve the hub yet)'),
    });
  });

  it('finds the hub when the upgrade succeeds with the token', async () => {
    await expect(probeStream(await scriptedHub(), 't')).resolves.toEqual({ available: true });
  });
});

describe('holdStreams', () => {
  it('counts opened, subscribed and dropped connections, events and pings', async () => {
    const result = await holdStreams({
      origin: await scriptedHub(),
      token: 't',
      connections: 20,
      rampMs: 200,
      durationMs: 300,
      subscription: (index) => ({ topic: 't', filter: { account_id: index === 3 ? 'drop' : 'a' } }),
    });
    expect(result).toMatchObject({
      connections: 20,
      opened: 20,
      failed: 0,
      subscribed: 20,
      closedEarly: 1,
      events: 20,
      pings: 20,
      errorMessages: 0,
      firstError: 'closed early: 1008 dropped',
    });
    expect(result.subscribe.count).toBe(20);
    expect(result.connect.p99Ms).toBeGreaterThan(0);
  });

  it('counts refused upgrades as failed', async () => {
    const result = await holdStreams({
      origin: await scriptedHub(),
      token: 'wrong',
      connections: 3,
      rampMs: 10,
      durationMs: 10,
      subscription: () => ({ topic: 't', filter: {} }),
    });
    expect(result).toMatchObject({ opened: 0, failed: 3, subscribed: 0 });
    expect(result.firstError).toMatch(/401/);
  });
});
