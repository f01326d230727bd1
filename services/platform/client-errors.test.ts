import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientErrors } from './client-errors.js';

let server: Server;
let port: number;

beforeAll(async () => {
  const app = new Hono().get('/', (c) => c.text('ok'));
  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
  answerClientErrors(server);
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Sends raw bytes and returns everything the server wrote before closing. */
function exchange(raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
    socket.write(raw);
  });
}

function parse(response: string) {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  const [statusLine, ...headers] = head.split('\r\n');
  return { statusLine, headers: headers.map((h) => h.toLowerCase()), body: JSON.parse(body) };
}

describe('requests Node refuses before the app runs', () => {
  it('a 20 KB header gets a 431 problem document, not a bare status line', async () => {
    const reply = parse(
      await exchange(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
    );
    expect(reply.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(reply.headers).toContain('content-type: application/problem+json');
    expect(reply.body).toMatchObject({
      type: 'urn:aia:problem:headers_too_large',
      status: 431,
    });
    expect(reply.body.detail).toMatch(/headers exceed/);
  });

  it('a 64 KB bearer token gets the same 431', async () => {
    const token = 'e'.repeat(64 * 1024);
    const reply = parse(
      await exchange(`GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`),
    );
    expect(reply.body.status).toBe(431);
  });

  it('a malformed request line gets a 400 problem document', async () => {
    const reply = parse(await exchange('THIS IS NOT HTTP\r\n\r\n'));
    expect(reply.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(reply.body).toMatchObject({ type: 'urn:aia:problem:bad_request', status: 400 });
  });

  it('a well-formed request still reaches the app', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(await response.text()).toBe('ok');
  });
});
