import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/databases.js';
import { testJwtEnv } from '../../test/harness/jwt.js';
import { findFreePort } from '../../tools/local-servers/index.js';
import { type RunningService, startService } from './runtime.js';

/** A stand-in OTLP/HTTP collector: records what arrives at /v1/traces. */
function fakeCollector() {
  const received: { path: string; contentType: string; body: string }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  return { server, received };
}

// The gateway's own PostgreSQL (identities, the audit chain), as a deployed one has.
const database = useTestDatabase('tracing_gateway');

describe('OpenTelemetry traces', () => {
  const collector = fakeCollector();
  let service: RunningService;

  beforeAll(async () => {
    await new Promise<void>((resolve) => collector.server.listen(0, '127.0.0.1', resolve));
    const { port } = (collector.server as Server).address() as AddressInfo;
    service = await startService('aia-api', {
      env: {
        PORT: String(await findFreePort()),
        HOST: '127.0.0.1',
        ...testJwtEnv,
        DATABASE_URL: database.url,
        TRACING_ENABLED: 'true',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      },
      logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
  });
  afterAll(() => new Promise((resolve) => collector.server.close(resolve)));

  it('exports a span per request over OTLP/HTTP, flushed when the service stops', async () => {
    await fetch(`${service.url}/info`);
    await fetch(`${service.url}/v1/nowhere`);
    await service.stop();
    const traces = collector.received.filter((request) => request.path === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    const exported = traces.map((request) => request.body).join('\n');
    expect(exported).toContain('aia-api');
    expect(exported).toContain('/info');
  });

  it('requires a collector endpoint when tracing is on', async () => {
    await expect(
      startService('aia-api', {
        env: { PORT: '1', ...testJwtEnv, DATABASE_URL: database.url, TRACING_ENABLED: 'true' },
      }),
    ).rejects.toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: required when TRACING_ENABLED is true/);
  });
});
