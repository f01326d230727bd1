import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { secret } from './config.js';
import { PublicKeySetSchema } from './jwt-keys.js';

/**
 * Reusable fragments of service environment schemas. A service's schema in the catalog is the
 * union of the fragments it needs plus its own fields; infra renders ConfigMaps and Secrets from it.
 */

const port = z.coerce
  .number({ error: 'expected a TCP port number' })
  .int()
  .min(1, 'expected a TCP port between 1 and 65535')
  .max(65535, 'expected a TCP port between 1 and 65535');

const milliseconds = z.coerce
  .number({ error: 'expected a number of milliseconds' })
  .int()
  .positive();

/** `true/false`, `1/0`, `yes/no`, `on/off`. */
export const flag = (defaultValue: boolean) =>
  z.stringbool({ error: 'expected true or false' }).default(defaultValue);

/** A string field whose errors say what it should hold, and `required` when it is missing. */
export const text = (what: string) =>
  z.string({
    error: (issue) =>
      issue.input === undefined ? `required (expected ${what})` : `expected ${what}`,
  });

/** A secret of at least 32 characters, such as a signing or encryption key. */
export const secretKey = () =>
  secret(text('a secret of at least 32 characters').min(32, 'must be at least 32 characters'));

const urlWithProtocols = (protocols: readonly string[]) =>
  text(`a ${protocols.join(' or ')} URL`).refine(
    (value) => protocols.some((protocol) => value.startsWith(`${protocol}://`)),
    {
      error: `expected a ${protocols.join(' or ')} URL`,
    },
  );

/** HTTP serving, logging and lifecycle: every service has these. */
export const httpEnv = {
  ENVIRONMENT: z.enum(['development', 'test', 'staging', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Listening address. Loopback by default, so a service run on a laptop (its development keys and
   * ledger) is not reachable from the network; the stacks set `0.0.0.0`, a container's own
   * loopback being unreachable from its Service and probes.
   */
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port,
  GIT_REVISION: z.string().min(1).default('unknown'),
  /**
   * After SIGTERM, keep serving with readiness failing for this long, so load balancers stop
   * routing here before the listener closes. 0 locally; a few seconds behind Kubernetes.
   */
  SHUTDOWN_DRAIN_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /** How long in-flight requests may run, once the listener closed, before connections are cut. */
  SHUTDOWN_TIMEOUT_MS: milliseconds.default(10_000),
  REQUEST_TIMEOUT_MS: milliseconds.default(30_000),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  /** Upper bound for each readiness check of a dependency. */
  READINESS_TIMEOUT_MS: milliseconds.default(2_000),
  TRACING_ENABLED: flag(false),
  /** OTLP/HTTP collector; required when TRACING_ENABLED. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ error: 'expected an http(s) URL' }).optional(),
  /** Fraction of new traces kept. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
};

/** A JSON document in a variable, then checked with `schema`. */
const json = <S extends z.ZodType>(what: string, schema: S) =>
  text(what)
    .transform((value, context) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: `expected ${what} as JSON` });
        return z.NEVER;
      }
    })
    .pipe(schema);

/**
 * JWT bearer verification for routes that require scopes: ES256 tokens of the platform's one
 * issuer, verified with its public keys (a JWKS). No service holds a key that can sign.
 */
export const authEnv = {
  JWT_PUBLIC_KEYS: json("a JSON Web Key Set of the issuer's ES256 public keys", PublicKeySetSchema),
  JWT_ISSUER: z.string().min(1).default('aia-platform'),
  JWT_AUDIENCE: z.string().min(1).default('aia-platform'),
};

/** The issuer's private key (the gateway only): PKCS#8 PEM, ECDSA P-256. */
export const issuerEnv = {
  JWT_SIGNING_KEY: secret(
    text('a PKCS#8 PEM ECDSA P-256 private key').refine(isP256PrivateKey, {
      error:
        'expected a PKCS#8 PEM ECDSA P-256 private key (openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)',
    }),
  ),
};

function isP256PrivateKey(pem: string): boolean {
  try {
    const key = createPrivateKey(pem);
    // PKCS#8, not SEC1 (`BEGIN EC PRIVATE KEY`): JOSE libraries import PKCS#8 PEM only.
    return (
      pem.includes('-----BEGIN PRIVATE KEY-----') &&
      key.asymmetricKeyType === 'ec' &&
      key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
    );
  } catch {
    return false;
  }
}

/** Redis-backed sliding-window rate limiting. */
export const rateLimitEnv = {
  RATE_LIMIT_MAX: z.coerce.number().int().positive().default(600),
  RATE_LIMIT_WINDOW_MS: milliseconds.default(60_000),
  /** `open` lets requests through when Redis fails; `closed` answers 503. */
  RATE_LIMIT_FAIL_MODE: z.enum(['open', 'closed']).default('open'),
  /** Trusted proxies appending to X-Forwarded-For; 2 behind Google's HTTP(S) load balancer. */
  RATE_LIMIT_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
};

/**
 * PostgreSQL, in exactly one of two modes (`postgresConnection` enforces it):
 *
 * - `DATABASE_URL` (local runs, tests): a `postgres://user:password@host/db` URL.
 * - Cloud SQL connector (the deployed stacks): `CLOUD_SQL_INSTANCE` is the instance connection
 *   name `project:region:instance`; `DATABASE_USER` is the service's IAM database user, its Google
 *   service account email without `.gserviceaccount.com` (`svc-prod@proj.iam`); `DATABASE_NAME` is
 *   its database; `CLOUD_SQL_IP_TYPE` picks the instance address (default PRIVATE). No password:
 *   the connector authenticates with the pod's Workload Identity token over TLS 1.3 to port 3307
 *   and verifies the server's identity. A local rehearsal maps these to a `DATABASE_URL` (or to a
 *   local stand-in of the SQL Admin API and server proxy, as services/platform/cloud-sql.test.ts does).
 */
export const postgresEnv = {
  DATABASE_URL: secret(urlWithProtocols(['postgres', 'postgresql'])).optional(),
  CLOUD_SQL_INSTANCE: text('a Cloud SQL instance connection name, project:region:instance')
    .regex(
      /^[a-z0-9.:-]+:[a-z0-9-]+:[a-z0-9-]+$/,
      'expected a Cloud SQL instance connection name, project:region:instance',
    )
    .optional(),
  CLOUD_SQL_IP_TYPE: z.enum(['PRIVATE', 'PUBLIC', 'PSC']).default('PRIVATE'),
  DATABASE_USER: text(
    'an IAM database user, the service account email without .gserviceaccount.com',
  )
    .min(1)
    .max(63, 'PostgreSQL role names have at most 63 characters')
    .optional(),
  DATABASE_NAME: text('a database name').min(1).optional(),
  /** Rendered from the catalog's `database.poolSize` on the stacks (docs/connections.md). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * A read replica for reads that tolerate lag (`ReadPool`): `DATABASE_READ_URL` beside
   * DATABASE_URL, or `CLOUD_SQL_READ_INSTANCE` beside the connector (same IAM user and database).
   * Without one, those reads use the primary.
   */
  DATABASE_READ_URL: secret(urlWithProtocols(['postgres', 'postgresql'])).optional(),
  CLOUD_SQL_READ_INSTANCE: text('a Cloud SQL instance connection name, project:region:instance')
    .regex(
      /^[a-z0-9.:-]+:[a-z0-9-]+:[a-z0-9-]+$/,
      'expected a Cloud SQL instance connection name, project:region:instance',
    )
    .optional(),
  DATABASE_READ_POOL_MAX: z.coerce.number().int().min(1).max(200).default(5),
  /** Reads go to the primary while the replica is further behind than this. */
  DATABASE_READ_MAX_LAG_SECONDS: z.coerce.number().positive().max(3600).default(30),
  /** How often, at most, the replica's lag is checked. */
  DATABASE_READ_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
};

const CONNECTOR_KEYS = ['CLOUD_SQL_INSTANCE', 'DATABASE_USER', 'DATABASE_NAME'] as const;

/**
 * Refinement for schemas with `postgresEnv`: exactly one of DATABASE_URL and the Cloud SQL
 * connector (CLOUD_SQL_INSTANCE with DATABASE_USER and DATABASE_NAME).
 */
export const postgresConnection: EnvRefinement = (env, ctx) => {
  const connector = CONNECTOR_KEYS.filter((key) => env[key] !== undefined);
  // A read replica is reached the way the primary is.
  if (env.DATABASE_READ_URL !== undefined && env.DATABASE_URL === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['DATABASE_READ_URL'],
      message:
        'is set without DATABASE_URL: a read replica URL goes with a primary URL; with the Cloud SQL connector use CLOUD_SQL_READ_INSTANCE',
    });
  }
  if (env.CLOUD_SQL_READ_INSTANCE !== undefined && env.CLOUD_SQL_INSTANCE === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['CLOUD_SQL_READ_INSTANCE'],
      message:
        'is set without CLOUD_SQL_INSTANCE: a read replica instance goes with the Cloud SQL connector; with DATABASE_URL use DATABASE_READ_URL',
    });
  }
  if (env.DATABASE_URL !== undefined) {
    if (connector.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: `is set together with ${connector.join(', ')}: use either DATABASE_URL or the Cloud SQL connector (CLOUD_SQL_INSTANCE, DATABASE_USER, DATABASE_NAME), not both`,
      });
    }
    return;
  }
  if (connector.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['DATABASE_URL'],
      message:
        'required (expected a postgres or postgresql URL), or the Cloud SQL connector: CLOUD_SQL_INSTANCE, DATABASE_USER and DATABASE_NAME',
    });
    return;
  }
  for (const key of CONNECTOR_KEYS.filter((k) => env[k] === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message: `required with the Cloud SQL connector (${connector.join(', ')} set)`,
    });
  }
};

/** Optional locally (Redis-backed features degrade); required on deployed stacks by `requiredWhenDeployed`. */
export const redisEnv = {
  REDIS_URL: secret(urlWithProtocols(['redis', 'rediss'])).optional(),
  /**
   * PEM file of the CA that signed the Redis server's certificate, trusted instead of Node's
   * public CAs: Memorystore signs with a CA of its own per instance. Only with a `rediss://` URL.
   */
  REDIS_CA_CERT_FILE: text('the path of a PEM CA certificate file').min(1).optional(),
};

export const neo4jEnv = {
  /** `postgres` keeps the knowledge graph in PostgreSQL (embedded default); `neo4j` uses NEO4J_*. */
  GRAPH_BACKEND: z.enum(['postgres', 'neo4j']).default('postgres'),
  NEO4J_URI: urlWithProtocols(['bolt', 'neo4j', 'neo4j+s', 'bolt+s']).optional(),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: secret(z.string().min(1)).optional(),
};

/** Encrypts data at rest that the service owns (for example stored provider credentials). */
export const encryptionEnv = {
  ENCRYPTION_KEY: secretKey(),
};

type EnvRefinement = (env: Record<string, unknown>, ctx: z.RefinementCtx) => void;

/**
 * Pass to `.superRefine(rule, alwaysCheck)`: zod skips refinements once a field has failed, and
 * a configuration error must list every problem at once, cross-field ones included.
 */
export const alwaysCheck = { when: () => true };

/** Refinement: these keys may be left out in development and test, never in staging or production. */
export const requiredWhenDeployed =
  (...keys: string[]): EnvRefinement =>
  (env, ctx) => {
    if (env.ENVIRONMENT !== 'staging' && env.ENVIRONMENT !== 'production') return;
    for (const key of keys.filter((k) => env[k] === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `required when ENVIRONMENT is ${env.ENVIRONMENT}`,
      });
    }
  };

/** Refinement: a Redis CA file is for TLS, so it needs a `rediss://` URL. */
export const redisCaWithTls: EnvRefinement = (env, ctx) => {
  if (env.REDIS_CA_CERT_FILE === undefined) return;
  if (typeof env.REDIS_URL === 'string' && env.REDIS_URL.startsWith('rediss://')) return;
  ctx.addIssue({
    code: 'custom',
    path: ['REDIS_CA_CERT_FILE'],
    message: 'is set, but REDIS_URL is not a rediss:// (TLS) URL',
  });
};

/** Refinement: a collector endpoint is required when tracing is on. */
export const endpointWhenTracing: EnvRefinement = (env, ctx) => {
  if (env.TRACING_ENABLED === true && env.OTEL_EXPORTER_OTLP_ENDPOINT === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['OTEL_EXPORTER_OTLP_ENDPOINT'],
      message: 'required when TRACING_ENABLED is true',
    });
  }
};

/** Refinement: NEO4J_URI and NEO4J_PASSWORD are required when GRAPH_BACKEND is `neo4j`. */
export const neo4jWhenSelected: EnvRefinement = (env, ctx) => {
  if (env.GRAPH_BACKEND !== 'neo4j') return;
  for (const key of ['NEO4J_URI', 'NEO4J_PASSWORD'].filter((k) => env[k] === undefined)) {
    ctx.addIssue({ code: 'custom', path: [key], message: 'required when GRAPH_BACKEND is neo4j' });
  }
};
