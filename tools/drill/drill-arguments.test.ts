import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cloudSqlDrillInputProblem,
  cloudSqlDrillSteps,
  drillCloneName,
  formatDrillSteps,
} from './cloud-sql-clone.js';
import { parseDrillArguments } from './drill-arguments.js';

describe('npm run drill arguments', () => {
  it('splits the restore drill’s seconds around the backup and the target', () => {
    expect(parseDrillArguments(['restore', '--seconds', '5', '--clients', '3'])).toEqual({
      drill: 'restore',
      options: {
        clients: 3,
        accounts: 200,
        archiveTimeoutSeconds: 1,
        beforeBackupMs: 1000,
        beforeTargetMs: 2000,
        afterTargetMs: 2000,
      },
    });
  });

  it('names the argument it cannot use', () => {
    expect(() => parseDrillArguments(['restore', '--seconds', '2'])).toThrow(/--seconds .* ≥ 3/);
    expect(() => parseDrillArguments(['restore', '--nope'])).toThrow(/--nope/);
    expect(() => parseDrillArguments(['rebuild'])).toThrow(/unknown drill 'rebuild'/);
    expect(() => parseDrillArguments(['cloud-sql', '--project', 'p', '--target', 'x'])).toThrow(
      /needs --instance/,
    );
    expect(() =>
      parseDrillArguments(['cloud-sql', '--project', 'p', '--instance', 'i', '--target', 'noon']),
    ).toThrow(/--target must be an RFC 3339 UTC time/);
  });
});

describe('the Cloud SQL restore drill steps', () => {
  const steps = cloudSqlDrillSteps({
    project: 'aia-prod',
    instance: 'aia-pg',
    target: '2026-12-03T15:53:20.421Z',
  });

  it('names the clone after the target and the run, and never deletes the primary', () => {
    const commands = steps.map((step) => step.command).join('\n');
    expect(commands).toContain('CLONE="aia-pg-drill-202612031553-$(date -u +%Y%m%d%H%M%S)"');
    expect(commands).toContain(
      "gcloud sql instances clone 'aia-pg' \"$CLONE\" --project='aia-prod' --point-in-time='2026-12-03T15:53:20.421Z' --async",
    );
    expect(commands).not.toMatch(/instances (patch|delete) 'aia-pg'/);
    expect(
      drillCloneName(
        { project: 'aia-prod', instance: 'aia-pg', target: '2026-12-03T15:53:20.421Z' },
        new Date('2026-12-04T19:30:55.900Z'),
      ),
    ).toBe('aia-pg-drill-202612031553-20261204193055');
  });

  it('refuses a clone name Cloud SQL would refuse, or the primary’s', () => {
    const input = { project: 'aia-prod', instance: 'aia-pg', target: '2026-12-03T15:53:20.421Z' };
    expect(cloudSqlDrillInputProblem(input)).toBeUndefined();
    // '<project>:<clone>' at most 98 characters: the default name adds 34 to the instance's.
    expect(cloudSqlDrillInputProblem({ ...input, instance: `a${'b'.repeat(54)}` })).toBeUndefined();
    expect(cloudSqlDrillInputProblem({ ...input, instance: `a${'b'.repeat(55)}` })).toMatch(
      /too long: '<project>:<instance>' may have 98 characters/,
    );
    expect(cloudSqlDrillInputProblem({ ...input, clone: 'Drill' })).toMatch(/--clone must be/);
    expect(cloudSqlDrillInputProblem({ ...input, clone: 'aia-pg' })).toMatch(
      /not name the primary/,
    );
    expect(() =>
      parseDrillArguments([
        'cloud-sql',
        '--project',
        'p',
        '--instance',
        'A',
        '--target',
        input.target,
      ]),
    ).toThrow(/--instance must be a Cloud SQL instance ID/);
  });

  it('dials the clone’s private address and logs in as the operator’s own IAM user', () => {
    const proxy = steps.find((step) => step.command.startsWith('cloud-sql-proxy'))?.command ?? '';
    // Every instance has ipv4Enabled: false: without --private-ip the proxy dials a public
    // address the clone does not have.
    expect(proxy).toMatch(/ --private-ip /);
    expect(proxy).toMatch(/ --auto-iam-authn /);
    const port = /--port=(\d+)/.exec(proxy)?.[1];

    // The checks' URL as the shell expands it, with gcloud reporting the operator's account.
    const bin = mkdtempSync(join(tmpdir(), 'drill-gcloud-'));
    try {
      writeFileSync(join(bin, 'gcloud'), '#!/bin/sh\necho alice@aia-platform.dev\n');
      chmodSync(join(bin, 'gcloud'), 0o755);
      const checks = steps.find((step) => step.command.includes('ledger-checks'))?.command ?? '';
      const url = /--database-url=("[^"]+")/.exec(checks)?.[1] ?? '';
      const expanded = execFileSync('sh', ['-c', `printf %s ${url}`], {
        env: { PATH: `${bin}:/usr/bin:/bin` },
        encoding: 'utf8',
      });
      const parsed = new URL(expanded);
      // postgres.js decodes the user name: the IAM database user is the full email.
      expect(decodeURIComponent(parsed.username)).toBe('alice@aia-platform.dev');
      expect(parsed.password).toBe('');
      expect(parsed.hostname).toBe('127.0.0.1');
      expect(parsed.port).toBe(port);
      expect(parsed.pathname).toBe('/economic_governor');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('says where the script must run and as whom', () => {
    const script = formatDrillSteps(steps);
    expect(script).toMatch(/host in the stack's VPC/);
    expect(script).toMatch(/cloudSql\.auditorsGroup/);
  });
});

/** One call a stand-in saw, or what it did (`event`). */
interface Call {
  readonly name: string;
  readonly args: readonly string[];
  readonly event?: string;
  readonly portOpen?: boolean;
}

/**
 * Stand-ins for what the printed script runs, each recording its calls as a JSON line:
 * `gcloud` (answers by argument prefix, `fail` makes a call exit 1), `date` (a fixed run time),
 * `cloud-sql-proxy` (listens on its --port only after `proxyDelayMs`, or exits at once when
 * `proxyDelayMs` is null, and records being killed) and `npm` (records whether the proxy's port
 * accepted a connection when the checks started, and exits with `checksExit`).
 */
function drillStandIns(options: {
  readonly checksExit: number;
  readonly proxyDelayMs: number | null;
  readonly fail?: readonly string[];
}) {
  const dir = mkdtempSync(join(tmpdir(), 'drill-stand-ins-'));
  const bin = join(dir, 'bin');
  const log = join(dir, 'calls.jsonl');
  mkdirSync(bin);
  writeFileSync(log, '');
  const gcloud: [string[], string][] = [
    [['sql', 'instances', 'describe', 'aia-pg'], 'True\n'],
    [['sql', 'instances', 'clone'], 'operation-1\n'],
    [
      [
        'sql',
        'instances',
        'describe',
        CLONE,
        '--project=aia-prod',
        '--format=value(state,connectionName)',
      ],
      `RUNNABLE\taia-prod:us-central1:${CLONE}\n`,
    ],
    [['sql', 'instances', 'describe', CLONE], `aia-prod:us-central1:${CLONE}\n`],
    [['config', 'get', 'account'], 'alice@aia-platform.dev\n'],
  ];
  const stub = (name: string, body: string) => {
    writeFileSync(
      join(bin, name),
      `#!${process.execPath}
const { appendFileSync } = require('node:fs');
const args = process.argv.slice(2);
const record = (extra) => appendFileSync(${JSON.stringify(log)}, JSON.stringify({ name: ${JSON.stringify(name)}, args, ...extra }) + '\\n');
${body}
`,
    );
    chmodSync(join(bin, name), 0o755);
  };
  stub(
    'gcloud',
    `record({});
const answer = ${JSON.stringify(gcloud)}.find(([prefix]) => prefix.every((arg, i) => args[i] === arg));
if (${JSON.stringify(options.fail ?? [])}.includes(args.slice(0, 3).join(' '))) process.exit(1);
if (answer) process.stdout.write(answer[1]);`,
  );
  stub(
    'date',
    `process.stdout.write(args.join(' ') === '-u +%Y%m%d%H%M%S' ? '20261204193055\\n' : '2026-12-04T19:30:55Z\\n');`,
  );
  stub(
    'cloud-sql-proxy',
    `record({});
const port = Number(args.find((arg) => arg.startsWith('--port=')).slice(7));
const delay = ${JSON.stringify(options.proxyDelayMs)};
if (delay === null) process.exit(1);
process.on('SIGTERM', () => { record({ event: 'killed' }); process.exit(0); });
setTimeout(() => require('node:net').createServer((socket) => socket.end()).listen(port, '127.0.0.1'), delay);
setTimeout(() => process.exit(0), 30000).unref();`,
  );
  stub(
    'npm',
    `const port = Number(/127\\.0\\.0\\.1:(\\d+)/.exec(args.join(' '))[1]);
const socket = require('node:net').connect(port, '127.0.0.1');
const done = (portOpen) => { socket.destroy(); record({ portOpen }); process.exit(${options.checksExit}); };
socket.once('connect', () => done(true));
socket.once('error', () => done(false));`,
  );
  return {
    /** Runs the script with bash, the stand-ins first on PATH. */
    run: (script: string) => {
      const file = join(dir, 'drill.sh');
      writeFileSync(file, script);
      const result = spawnSync('bash', [file], {
        env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
        encoding: 'utf8',
      });
      return { code: result.status, stderr: result.stderr };
    },
    calls: (): Call[] =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Call),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const CLONE = 'aia-pg-drill-202612031553-20261204193055';

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the printed Cloud SQL drill, run with stand-in gcloud, cloud-sql-proxy and npm', () => {
  let standIns: ReturnType<typeof drillStandIns> | undefined;
  afterEach(() => {
    standIns?.remove();
    standIns = undefined;
  });

  const script = (port: number, keepClone = false) =>
    formatDrillSteps(
      cloudSqlDrillSteps({
        project: 'aia-prod',
        instance: 'aia-pg',
        target: '2026-12-03T15:53:20.421Z',
        port,
        ...(keepClone ? { keepClone } : {}),
      }),
    );
  const summary = (calls: readonly Call[]) =>
    calls.map((call) =>
      call.name === 'gcloud'
        ? `gcloud ${call.args.slice(0, 4).join(' ')}`
        : `${call.name}${call.event ? ` ${call.event}` : ''}`,
    );

  it('deletes the clone when the ledger checks fail, and exits with their status', async () => {
    standIns = drillStandIns({ checksExit: 3, proxyDelayMs: 1500 });
    const { code, stderr } = standIns.run(script(await freePort()));
    expect(code, stderr).toBe(3);
    const calls = standIns.calls();
    expect(summary(calls)).toEqual([
      'gcloud sql instances describe aia-pg',
      `gcloud sql instances clone aia-pg`,
      'gcloud sql operations wait operation-1',
      `gcloud sql instances describe ${CLONE}`,
      `gcloud sql instances describe ${CLONE}`,
      'cloud-sql-proxy',
      'gcloud config get account',
      'npm',
      'cloud-sql-proxy killed',
      `gcloud sql instances patch ${CLONE}`,
      `gcloud sql instances delete ${CLONE}`,
    ]);
    expect(calls[1]?.args.slice(0, 5)).toEqual(['sql', 'instances', 'clone', 'aia-pg', CLONE]);
    expect(calls.find((call) => call.args[2] === 'patch')?.args).toContain(
      '--no-deletion-protection',
    );
    // The proxy listens 1.5 s after it starts: the checks ran only once it did.
    expect(calls.find((call) => call.name === 'npm')?.portOpen).toBe(true);
  });

  it('deletes the clone after passing checks too, and exits 0', async () => {
    standIns = drillStandIns({ checksExit: 0, proxyDelayMs: 0 });
    const { code, stderr } = standIns.run(script(await freePort()));
    expect(code, stderr).toBe(0);
    expect(summary(standIns.calls()).slice(-2)).toEqual([
      `gcloud sql instances patch ${CLONE}`,
      `gcloud sql instances delete ${CLONE}`,
    ]);
  });

  it('deletes the clone when the proxy never listens, without running the checks', async () => {
    standIns = drillStandIns({ checksExit: 0, proxyDelayMs: null });
    const { code, stderr } = standIns.run(script(await freePort()));
    expect(code).toBe(1);
    expect(stderr).toMatch(/cloud-sql-proxy exited before listening/);
    const names = summary(standIns.calls());
    expect(names).not.toContain('npm');
    expect(names.slice(-2)).toEqual([
      `gcloud sql instances patch ${CLONE}`,
      `gcloud sql instances delete ${CLONE}`,
    ]);
  });

  it('keeps the clone with --keep-clone (an investigation), stops the proxy and says how to delete it', async () => {
    const input = parseDrillArguments([
      'cloud-sql',
      '--project',
      'aia-prod',
      '--instance',
      'aia-pg',
      '--target',
      '2026-12-03T15:53:20.421Z',
      '--keep-clone',
    ]);
    expect(input).toMatchObject({ drill: 'cloud-sql', input: { keepClone: true } });
    standIns = drillStandIns({ checksExit: 3, proxyDelayMs: 0 });
    const { code, stderr } = standIns.run(script(await freePort(), true));
    expect(code).toBe(3);
    expect(stderr).toContain(
      `kept the clone ${CLONE} (--keep-clone); delete it with: gcloud sql instances patch "${CLONE}"`,
    );
    const names = summary(standIns.calls());
    expect(names.at(-1)).toBe('cloud-sql-proxy killed');
    expect(names.some((name) => / (patch|delete) /.test(name))).toBe(false);
  });

  it('deletes nothing when the clone was never started (its name may be another instance’s)', async () => {
    standIns = drillStandIns({ checksExit: 0, proxyDelayMs: 0, fail: ['sql instances clone'] });
    const { code } = standIns.run(script(await freePort()));
    expect(code).toBe(1);
    const names = summary(standIns.calls());
    expect(names.at(-1)).toBe('gcloud sql instances clone aia-pg');
  });

  it('stops before cloning when something already listens on the proxy’s port', async () => {
    standIns = drillStandIns({ checksExit: 0, proxyDelayMs: 0 });
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { code, stderr } = standIns.run(script((server.address() as AddressInfo).port));
      expect(code).toBe(1);
      expect(stderr).toMatch(/is in use/);
      expect(summary(standIns.calls())).toEqual(['gcloud sql instances describe aia-pg']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
