import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serviceNames } from '../../services/catalog.js';
import type { ImageContents } from '../image/build-contents.js';
import { imageProcess } from '../image/image-process.js';
import { findFreePort } from '../local-servers/index.js';
import { PLACEHOLDER_CERTIFICATES, secretPlaceholder } from '../plan/placeholders.js';
import { withEventBusStandIn } from './event-bus-stand-in.js';
import { startLlmStandIn, withLlmStandIn } from './llm-stand-in.js';
import { startLocalDataStores } from './local-data-stores.js';
import { localEndpoints, localPaths, localSecrets } from './local-values.js';
import { startOtlpSink } from './otlp-sink.js';
import { NOT_REHEARSED, waitForDependencies } from './readiness.js';
import {
  type RenderedObject,
  renderedWorkloads,
  servicesNamespace,
  type Workload,
} from './rendered-workloads.js';
import { stackEndpoints } from './stack-endpoints.js';

export interface RehearsalOptions {
  /** The image's file system (tools/image). */
  readonly image: ImageContents;
  /** The Kubernetes objects the plan renders for the stack (render-stack.ts). */
  readonly objects: readonly RenderedObject[];
  /** The services' namespace. Default: where the plan renders the catalog's services. */
  readonly namespace?: string;
  /** Empty directory for the data stores and mounted files; the postgres OS user must enter it. */
  readonly dir: string;
  /** How long each service may take to be ready. Default 60 s. */
  readonly readyTimeoutMs?: number;
  readonly onProgress?: (line: string) => void;
}

/** One service that did not come up, and why. */
export interface RehearsalFailure {
  /** `economic-governor`, or `economic-governor (Job economic-governor-migrate-…)`. */
  readonly workload: string;
  readonly reason: string;
}

export interface RehearsalResult {
  readonly ready: readonly string[];
  readonly failures: readonly RehearsalFailure[];
  /** Workloads that cannot run on this machine at all, and why: neither started nor failed. */
  readonly notRehearsed: readonly RehearsalFailure[];
}

/** Where a connector's login goes in the URL that stands in for it; mapped to local PostgreSQL. */
const CLOUD_SQL_STAND_IN = 'cloud-sql-connector.invalid:5432';
const CONNECTOR_KEYS = [
  'CLOUD_SQL_INSTANCE',
  'CLOUD_SQL_READ_INSTANCE',
  'CLOUD_SQL_IP_TYPE',
  'DATABASE_USER',
  'DATABASE_NAME',
];

/**
 * The Cloud SQL connector dials Google's SQL Admin API with the pod's Workload Identity, which
 * no machine here can answer: a workload rendered for it logs in instead as the same database
 * user (its IAM user's name) to the same database, with a local password over SSL. The connector
 * itself is proven by test/cloud-sql-connector.test.ts against a stand-in of that API. A read
 * replica rendered beside it (CLOUD_SQL_READ_INSTANCE) is stood in by the same login: a server
 * that is no standby, so the read pool sends its reads to the primary, as it would in the cluster
 * while the replica is unreachable.
 */
export function withConnectorStandIn(
  env: Readonly<Record<string, string>>,
): Record<string, string> {
  if (env.CLOUD_SQL_INSTANCE === undefined) return { ...env };
  const user = env.DATABASE_USER ?? '';
  const rest = Object.fromEntries(
    Object.entries(env).filter(([key]) => !CONNECTOR_KEYS.includes(key)),
  );
  const password = secretPlaceholder(`iam-login-${user.replace(/[^A-Za-z0-9._~-]/g, '-')}`);
  const url = `postgres://${encodeURIComponent(user)}:${password}@${CLOUD_SQL_STAND_IN}/${encodeURIComponent(env.DATABASE_NAME ?? '')}?sslmode=require`;
  return {
    ...rest,
    DATABASE_URL: url,
    ...(env.CLOUD_SQL_READ_INSTANCE === undefined ? {} : { DATABASE_READ_URL: url }),
  };
}

/**
 * Runs every service of the stack from the image with the environment and files its Deployment
 * gets (its migration Job first), against PostgreSQL with SSL required and Redis with TLS and
 * AUTH, and waits for each to report every dependency up.
 */
export async function rehearse(options: RehearsalOptions): Promise<RehearsalResult> {
  const { image, dir, onProgress = () => {} } = options;
  const rendered = renderedWorkloads(
    options.objects,
    options.namespace ?? servicesNamespace(options.objects, serviceNames),
  );
  const notRehearsed: RehearsalFailure[] = [];
  if (rendered.some((w) => w.env.CLOUD_SQL_INSTANCE !== undefined))
    onProgress('Cloud SQL connector logins stood in by the same users with a password over SSL');
  if (rendered.some((w) => w.env.EVENT_TRANSPORT === 'kafka'))
    onProgress(
      'Kafka stood in by the local event transport (EVENT_TRANSPORT=redis: Redis Streams on the rehearsal Redis, TLS and AUTH)',
    );
  const secrets = localSecrets();
  const llm = await startLlmStandIn();
  const local = rendered.map((w) => ({
    ...w,
    env: mapValues(
      withLlmStandIn(w.service, withEventBusStandIn(withConnectorStandIn(w.env)), llm.baseUrl),
      secrets,
    ),
  }));
  if (
    local.some(
      (w, i) => w.env.OPENAI_COMPATIBLE_BASE_URL !== rendered[i]?.env.OPENAI_COMPATIBLE_BASE_URL,
    )
  )
    onProgress(
      'LLM providers stood in by a local OpenAI-compatible endpoint for services the stack gives no provider key',
    );
  const endpoints = stackEndpoints(local);

  onProgress(
    endpoints.stores.databases.length > 0
      ? 'PostgreSQL (SSL required) and Redis (TLS, AUTH) with CAs of their own'
      : 'Redis (TLS, AUTH) with a CA of its own',
  );
  const stores = await startLocalDataStores(join(dir, 'stores'), endpoints.stores);
  const sink = await startOtlpSink();
  const children: ReturnType<typeof imageProcess>[] = [];
  try {
    const services = [...new Set(local.map((w) => w.service))];
    const ports = new Map<string, number>();
    for (const service of services) ports.set(service, await findFreePort());
    const toLocal = localEndpoints(
      endpoints.map({
        postgres:
          stores.postgresPort === undefined ? undefined : `127.0.0.1:${stores.postgresPort}`,
        redis: `127.0.0.1:${stores.redisPort}`,
        otlp: `127.0.0.1:${sink.port}`,
        services: ports,
      }),
    );
    const certificates = (text: string) =>
      text.replaceAll(PLACEHOLDER_CERTIFICATES.redisServerCa, stores.redisCa.trim());

    const prepare = async (workload: Workload, port?: number) => {
      const mounts = new Map<string, string>();
      for (const mount of workload.mounts) {
        const folder = join(dir, 'mounts', workload.name, mount.volume);
        await mkdir(folder, { recursive: true });
        for (const [file, content] of Object.entries(mount.files))
          await writeFile(join(folder, file), certificates(content), { mode: 0o444 });
        mounts.set(mount.mountPath, folder);
      }
      const paths = localPaths(mounts);
      const env = mapValues(workload.env, (value) => paths(toLocal(value)));
      // The container port published on the loopback only, as `docker run -p 127.0.0.1:…`.
      return port === undefined ? env : { ...env, PORT: String(port), HOST: '127.0.0.1' };
    };

    const failures: RehearsalFailure[] = [];
    for (const job of local.filter((w) => w.kind === 'Job')) {
      onProgress(`${job.service}: Job ${job.name}`);
      const run = imageProcess(image, [], await prepare(job), { entrypoint: job.command });
      children.push(run);
      const code = await run.exited;
      if (code !== 0)
        failures.push({
          workload: `${job.service} (Job ${job.name})`,
          reason: `exited with ${code}:\n${run.output()}`,
        });
    }
    // One Deployment per service: the colours of a blue-green service run the same container.
    const deployments = services.flatMap((service) => {
      const found = local.find((w) => w.kind === 'Deployment' && w.service === service);
      return found ? [found] : [];
    });
    const ready: string[] = [];
    await Promise.all(
      deployments.map(async (deployment) => {
        const port = ports.get(deployment.service) as number;
        const run = imageProcess(image, [], await prepare(deployment, port), {
          entrypoint: deployment.command,
        });
        children.push(run);
        onProgress(`${deployment.service}: started (Deployment ${deployment.name}, port ${port})`);
        try {
          const skipped = await waitForDependencies(
            run,
            `http://127.0.0.1:${port}/readyz`,
            options.readyTimeoutMs ?? 60_000,
          );
          const note = skipped.map((name) => `; ${name} not rehearsed: ${NOT_REHEARSED[name]}`);
          onProgress(`${deployment.service}: ready${note.join('')}`);
          ready.push(deployment.service);
        } catch (error) {
          failures.push({ workload: deployment.service, reason: (error as Error).message });
        }
      }),
    );
    return { ready, failures, notRehearsed };
  } finally {
    for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGTERM');
    await Promise.all(children.map((child) => child.exited));
    await sink.stop();
    await stores.stop();
    await llm.stop();
  }
}

const mapValues = (
  env: Readonly<Record<string, string>>,
  change: (value: string) => string,
): Record<string, string> =>
  Object.fromEntries(Object.entries(env).map(([key, value]) => [key, change(value)]));
