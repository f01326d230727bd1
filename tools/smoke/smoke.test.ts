import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopesOfRole } from '../../services/aia-api/identity/roles.js';
import { usePlatformBehindGateway } from '../../services/aia-api/testing/platform-behind-gateway.js';
import { serviceNames } from '../../services/catalog.js';
import { testToken } from '../../test/harness/jwt.js';
import { findFreePort } from '../local-servers/index.js';
import { runLoadCheck } from './load-check.js';
import { SMOKE_SCOPES } from './smoke-calls.js';
import { runSmoke } from './smoke-run.js';
import { gatewayUrlOf } from './stack-gateway.js';

const root = join(import.meta.dirname, '../..');
const CREATED = 201;
const run = promisify(execFile);
const platform = await usePlatformBehindGateway('smoke');
let gateway: string;
let viewer: string;

beforeAll(async () => {
  gateway = platform.gateway.url;
  viewer = await testToken({ subject: 'release-smoke', scope: SMOKE_SCOPES.join(' ') });
});

/** `npm run smoke -- ...args` as a child process. */
async function smoke(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'tools/smoke.ts'), ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the smoke test through a gateway in front of all six services', () => {
  it("passes the gateway's readiness and one real read of every service", async () => {
    const checks = await runSmoke({ url: gateway, token: viewer });
    expect(checks.map((check) => check.name)).toEqual(['readiness', ...serviceNames]);
    expect(checks.filter((check) => !check.ok)).toEqual([]);
  });

  it('needs only scopes the viewer role holds, so the smoke client is a viewer', () => {
    expect(scopesOfRole('viewer')).toEqual(expect.arrayContaining([...SMOKE_SCOPES]));
  });

  it('names each service a token without its scope cannot read', async () => {
    const ledgerOnly = await testToken({ subject: 'release-smoke', scope: 'ledger:read' });
    const checks = await runSmoke({ url: gateway, token: ledgerOnly });
    const failed = checks.filter((check) => !check.ok);
    expect(failed.map((check) => check.name).sort()).toEqual(
      ['agent-orchestrator', 'dkg-manager', 'performance-tracker', 'venture-discovery'].sort(),
    );
    expect(failed.every((check) => check.status === 403)).toBe(true);
  });

  it('exits 0 from the command line, listing every check', async () => {
    const { code, stdout } = await smoke(['--url', gateway], { SMOKE_TOKEN: viewer });
    expect(code).toBe(0);
    for (const service of serviceNames) expect(stdout).toContain(`✓ ${service}`);
  }, 90_000);

  it('exits 1 naming every failed check when nothing answers at the address', async () => {
    const nobody = `http://127.0.0.1:${await findFreePort()}`;
    const { code, stdout, stderr } = await smoke(['--url', nobody, '--token', viewer]);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ readiness');
    expect(stdout).toContain('ECONNREFUSED');
    expect(stderr).toContain(`7 of 7 checks failed at ${nobody}`);
  }, 90_000);

  it('exits 64 naming the option on a bad command line', async () => {
    const noToken = await smoke(['--url', gateway]);
    expect(noToken.code).toBe(64);
    expect(noToken.stderr).toContain('--token: missing (or set SMOKE_TOKEN)');
    const badStack = await smoke(['--stack', 'qa', '--token', 't']);
    expect(badStack.code).toBe(64);
    expect(badStack.stderr).toContain('--stack: expected one of staging, production, got "qa"');
    const badUsers = await smoke(['load', '--url', gateway, '--token', 't', '--users', '0']);
    expect(badUsers.code).toBe(64);
    expect(badUsers.stderr).toContain('--users: expected a positive whole number, got "0"');
  }, 90_000);
});

describe("the workflow's smoke token (tools/release-workflow/smoke-token.sh)", () => {
  it("exchanges a viewer machine client's credentials at the gateway for a token the smoke test passes with", async () => {
    const admin = await testToken({
      subject: 'release-admin',
      // A creator holds every scope it grants: the viewer role's.
      scope: ['identities:admin', ...scopesOfRole('viewer')].join(' '),
    });
    const created = await fetch(`${gateway}/v1/auth/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'release-smoke', role: 'viewer' }),
    });
    expect(created.status, await created.clone().text()).toBe(CREATED);
    const client = (await created.json()) as { client_id: string; client_secret: string };
    // gcloud stands in for Secret Manager: it prints the secret the script asks for.
    const dir = await mkdtemp(join(tmpdir(), 'smoke-token-'));
    try {
      const gcloud = join(dir, 'gcloud');
      await writeFile(
        gcloud,
        `#!/bin/sh\n[ "$*" = "secrets versions access latest --secret=release-smoke-client --project=aia-platform-staging" ] || exit 3\necho '${client.client_id}:${client.client_secret}'\n`,
      );
      await chmod(gcloud, 0o755);
      const output = join(dir, 'github-output');
      const { stdout } = await run(
        'bash',
        [
          join(root, 'tools/release-workflow/smoke-token.sh'),
          gateway,
          'release-smoke-client',
          'aia-platform-staging',
        ],
        { env: { PATH: `${dir}:${process.env.PATH ?? ''}`, GITHUB_OUTPUT: output } },
      );
      // Both the client secret and the token are masked in the job's log.
      expect(stdout).toContain(`::add-mask::${client.client_secret}`);
      const token = /^token=(.+)$/m.exec(await readFile(output, 'utf8'))?.[1] ?? '';
      expect(stdout).toContain(`::add-mask::${token}`);
      const checks = await runSmoke({ url: gateway, token });
      expect(checks.filter((check) => !check.ok)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the load check', () => {
  it('sends paced reads of every service through the gateway and counts no error', async () => {
    const result = await runLoadCheck({
      url: gateway,
      token: viewer,
      users: 4,
      intervalMs: 200,
      durationMs: 1_500,
    });
    // 4 users × 5/s × 1.5 s, give or take the edges of the window.
    expect(result.requests).toBeGreaterThanOrEqual(20);
    expect(result.errors).toBe(0);
    expect(result.firstError).toBeUndefined();
    expect(result.objectives).toEqual({ p95Ms: 500, maxErrorRate: 0.02 });
  });

  describe('against a server that misses the objectives', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      // /v1/ledger/ledgers fails; every other read answers after 600 ms, over the 500 ms p95.
      server = createServer((request, response) => {
        if (request.url === '/v1/ledger/ledgers') {
          response.writeHead(503).end('{"title":"Service Unavailable"}');
          return;
        }
        setTimeout(() => response.writeHead(200).end('{}'), 600);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('reports both breaches as sentences, with the first error', async () => {
      const result = await runLoadCheck({
        url,
        token: 't',
        users: 6,
        intervalMs: 100,
        durationMs: 1_000,
      });
      expect(result.errors).toBeGreaterThan(0);
      expect(result.p95Ms).toBeGreaterThanOrEqual(600);
      expect(result.breaches).toHaveLength(2);
      expect(result.breaches[0]).toMatch(/^p95 latency \d+(\.\d)? ms is not under 500 ms$/);
      expect(result.breaches[1]).toMatch(/^error rate [\d.]+ % \(\d+ of \d+\) is not under 2 %$/);
      expect(result.firstError).toContain('/v1/ledger/ledgers: HTTP 503');
    });
  });
});

describe('gatewayUrlOf', () => {
  it("is https on the edge's first host, and says so when the edge has none", () => {
    expect(
      gatewayUrlOf({ edge: { hosts: ['api.example.com', 'grafana.example.com'] } } as never),
    ).toBe('https://api.example.com');
    expect(() => gatewayUrlOf({ edge: { hosts: [] } } as never)).toThrow('edge.hosts is empty');
  });
});
