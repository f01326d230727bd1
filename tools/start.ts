import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { serviceDefinition, serviceNames } from '../services/catalog.js';
import { onCtrlC } from './local-stack/ctrl-c.js';
import { type LocalStore, startLocalPostgres, startLocalRedis } from './local-stack/data-stores.js';
import { devSecretsFor, loadDevSecrets } from './local-stack/dev-secrets.js';
import { gitRevision } from './local-stack/git-revision.js';
import { SEED_OWNER, seedAgents } from './local-stack/seed-agents.js';
import { ensureServiceDatabases } from './local-stack/service-databases.js';
import { signToken } from './local-stack/sign-token.js';
import { claimStackDir, portInUse } from './local-stack/stack-claim.js';
import {
  constantOf,
  listensOnEveryInterface,
  planStack,
  reachableHost,
  START_USAGE,
  type StackPlan,
  upstreamUrls,
} from './local-stack/stack-plan.js';
import { type Supervised, supervise } from './local-stack/supervisor.js';
import { EX_USAGE, UsageError } from './local-stack/usage-error.js';

/**
 * `npm start [-- --port-offset N]`: every service on its catalog port (plus the offset, or its
 * `<SERVICE>_PORT`), on loopback unless HOST says otherwise, each in a process of its own that is
 * started again (and says so) when it dies. Without DATABASE_URL a local PostgreSQL keeps its data
 * in the stack's directory; without REDIS_URL a local redis-server is started when installed.
 * Service logs go to `<stack dir>/logs/<service>.log`. Ctrl-C stops everything.
 */
const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(process.env.AIA_DATA_DIR ?? join(root, '.data'));
const say = (line: string) => process.stdout.write(`${line}\n`);
/** Relative to the working directory when inside it, else absolute. */
const shown = (path: string) => {
  const inside = relative(process.cwd(), path);
  return inside === '' ? '.' : inside.startsWith('..') ? path : inside;
};

async function main(plan: StackPlan): Promise<void> {
  mkdirSync(join(plan.stackDir, 'logs'), { recursive: true });
  process.once('exit', claimStackDir(plan.stackDir, plan.offset));
  const host = process.env.HOST || '127.0.0.1';
  const urlHost = reachableHost(host);
  await refuseBusyPorts(plan, host);

  const stoppables: (() => Promise<void>)[] = [];
  const running: Supervised[] = [];
  onCtrlC(async () => {
    say('\nstopping…');
    await Promise.all(running.map((service) => service.stop()));
    for (const stop of stoppables.reverse()) await stop();
    say('stopped');
  });

  const where = plan.offset === 0 ? '' : `port offset ${plan.offset}, `;
  say(`▸ stack: ${where}data in ${shown(plan.stackDir)}`);
  if (process.env.PORT) {
    say('  PORT is not used by npm start (every service would get it): see `npm start -- --help`');
  }
  const postgres = await startLocalPostgres(plan.stackDir, say);
  if (postgres.stop) stoppables.push(postgres.stop);
  const redis = await startLocalRedis(plan.stackDir, say);
  if (redis?.stop) stoppables.push(redis.stop);

  const usesPostgres = serviceNames.filter((name) =>
    serviceDefinition(name).dataStores.includes('postgres'),
  );
  const databaseUrls = process.env.DATABASE_URL
    ? Object.fromEntries(usesPostgres.map((name) => [name, process.env.DATABASE_URL as string]))
    : await ensureServiceDatabases(postgres.url, usesPostgres);
  const secrets = await loadDevSecrets(plan.secretsFile);
  const revision = gitRevision(root);

  const reach = listensOnEveryInterface(host)
    ? `HOST ${host}: reachable from the network`
    : `HOST ${host}`;
  say(`▸ services (${reach})`);
  for (const name of serviceNames) {
    const port = plan.ports[name];
    const env = {
      ENVIRONMENT: 'development',
      GIT_REVISION: revision,
      // The secrets its schema names: a signing key reaches its owner only.
      ...devSecretsFor(secrets, name),
      ...(redis ? { REDIS_URL: redis.url } : {}),
      ...(databaseUrls[name] ? { DATABASE_URL: databaseUrls[name] } : {}),
      // The other services of this stack, at their ports here.
      ...upstreamUrls(name, plan.ports, urlHost, process.env),
      // Webhooks of a local stack are on this machine: let the orchestrator's push reach them.
      ...('PUSH_ALLOW_PRIVATE_ADDRESSES' in serviceDefinition(name).env.shape
        ? { PUSH_ALLOW_PRIVATE_ADDRESSES: 'true' }
        : {}),
      ...process.env,
      HOST: host,
      PORT: String(port),
    };
    running.push(
      await supervise({
        name,
        command: [process.execPath, '--import', 'tsx', join(root, 'services/main.ts'), name],
        env,
        healthUrl: `http://${urlHost}:${port}/healthz`,
        logFile: join(plan.stackDir, 'logs', `${name}.log`),
        say,
      }),
    );
    say(`  ✓ ${name.padEnd(20)} http://${urlHost}:${port}`);
  }
  say(`\nAll ${running.length} services are up; one that dies is started again.`);
  await seedLocalAgents(plan, urlHost, secrets.JWT_SIGNING_KEY);
  say(`  ${'PostgreSQL'.padEnd(12)} ${storeLine(postgres, join(plan.stackDir, 'postgres'))}`);
  say(
    `  ${'Redis'.padEnd(12)} ${redis ? storeLine(redis, join(plan.stackDir, 'redis')) : 'not running: rate limiting admits every request'}`,
  );
  say(`  ${'logs'.padEnd(12)} ${shown(join(plan.stackDir, 'logs'))}/<service>.log`);
  say(`  ${'keys'.padEnd(12)} ${shown(plan.secretsFile)} (npm run token signs with them)`);
  say(`Try: curl http://${urlHost}:${plan.ports['aia-api']}/readyz    Press Ctrl-C to stop.`);
}

/**
 * The default agent hierarchy (tools/local-stack/seed-agents.ts), registered once per stack, and
 * how to send its chief a message. A failure is reported, not fatal: the services keep running.
 */
async function seedLocalAgents(plan: StackPlan, urlHost: string, signingKey: string) {
  const base = (name: 'agent-orchestrator' | 'economic-governor') =>
    `http://${urlHost}:${plan.ports[name]}/v1`;
  try {
    const agents = await seedAgents({
      orchestrator: (path, init) => fetch(`${base('agent-orchestrator')}${path}`, init),
      governor: (path, init) => fetch(`${base('economic-governor')}${path}`, init),
      token: (subject, scope) => signToken({ signingKey, subject, scope }),
    });
    const chief = agents.chief?.id;
    say(
      `▸ agents: ${Object.values(agents)
        .map((agent) => agent.name)
        .join(', ')} (owner ${SEED_OWNER})`,
    );
    say(`  send the Chief of Staff a message (docs/agent-orchestrator.md, "Try it"):`);
    say(`  http://${urlHost}:${plan.ports['agent-orchestrator']}/a2a/agents/${chief}`);
  } catch (error) {
    say(`  ! the default agents were not seeded: ${(error as Error).message}`);
  }
}

/** Fails before anything starts when a port of the plan is taken, saying how to move. */
async function refuseBusyPorts(plan: StackPlan, host: string): Promise<void> {
  const busy: string[] = [];
  for (const name of serviceNames) {
    if (await portInUse(host, plan.ports[name])) {
      busy.push(`port ${plan.ports[name]} (${name}; ${constantOf(name)}_PORT)`);
    }
  }
  if (busy.length === 0) return;
  throw new Error(
    `${busy.join(', ')} ${busy.length === 1 ? 'is' : 'are'} already in use on ${host}. ` +
      `Another stack? Start this one beside it with \`npm start -- --port-offset ${plan.offset + 100}\`, or set the variables named.`,
  );
}

/** `127.0.0.1:5432  data in .data/postgres` for a store started here: never credentials. */
function storeLine(store: LocalStore, dir: string): string {
  if (!store.stop) return 'as given (DATABASE_URL / REDIS_URL)';
  const { hostname, port } = new URL(store.url);
  return `${hostname}:${port}  data in ${shown(dir)}`;
}

try {
  const plan = planStack(process.argv.slice(2), process.env, dataDir);
  if (plan.help) {
    say(START_USAGE);
  } else {
    await main(plan);
  }
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${START_USAGE}\n`);
    process.exit(EX_USAGE);
  }
  process.stderr.write(`\n✗ ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
