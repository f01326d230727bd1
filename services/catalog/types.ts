import type { z } from 'zod';

export const STACKS = ['staging', 'production'] as const;
export type StackName = (typeof STACKS)[number];

export type DataStore = 'postgres' | 'redis' | 'neo4j' | 'kafka' | 'objectStorage';

/** Buckets of the platform's object storage, by what they hold; the infra names and keeps them. */
export const BUCKET_PURPOSES = ['reports'] as const;
export type BucketPurpose = (typeof BUCKET_PURPOSES)[number];

/**
 * What a service may do in its bucket: `read`; `create` (new objects only: no overwrite, no
 * delete); `readWrite` (read, write, overwrite and delete objects, never the bucket's settings).
 */
export type BucketAccess = 'read' | 'create' | 'readWrite';

/** The bucket a service reaches over the S3 API (with `objectStorage` among its data stores). */
export interface ObjectStorageUse {
  readonly bucket: BucketPurpose;
  readonly access: BucketAccess;
}

export const FEATURE_FLAGS = [
  'STRUCTURED_REPORTS_ENABLED',
  'DKG_ENHANCED_ENABLED',
  'GOVERNANCE_ENABLED',
  'VENTURE_DISCOVERY_ENABLED',
  'PERFORMANCE_TRACKING_ENABLED',
] as const;
export type FeatureFlag = (typeof FEATURE_FLAGS)[number];

/**
 * Who reaches a service: `public` through the platform's load balancer (its `/v1` routes, behind
 * Cloud Armor), or `internal`: the other services of its namespace and Prometheus only.
 */
export type Exposure = 'public' | 'internal';

/**
 * How a new version replaces the old: `rolling` (one Deployment, a rolling update), or
 * `blue-green` (a Deployment per colour; the stable Service routes to the active colour and the
 * other stays for an instant rollback).
 */
export type Rollout = 'rolling' | 'blue-green';

/**
 * What a service calls: callee service name → the scopes its tokens ask for there. The one
 * source of both sides: the caller's client asks for exactly these scopes, and the callee's
 * verifier accepts a service token of this caller with these scopes and no others. A service with
 * calls is given a signing key of its own and each callee's URL (`<CALLEE>_URL`).
 */
export type ServiceCalls = Readonly<Record<string, readonly string[]>>;

/** Kubernetes quantities, for example `{ cpu: '500m', memory: '1Gi' }`. */
export interface ResourceQuantities {
  readonly cpu: string;
  readonly memory: string;
}

export interface Resources {
  readonly requests: ResourceQuantities;
  readonly limits: ResourceQuantities;
}

export interface Scaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** HPA target: average CPU utilisation of the requests, in percent. */
  readonly targetCpuUtilizationPercent: number;
}

/**
 * How a service uses PostgreSQL's connections, per pod: the infra renders the pool sizes, and the
 * policy pack checks that every service at its max scale fits the instance's `max_connections`
 * (docs/connections.md).
 */
export interface DatabaseUse {
  /** The kit's pool on the primary (`DATABASE_POOL_MAX`). */
  readonly poolSize: number;
  /** A job queue's own `pg` pool on the primary (pg-boss in agent-orchestrator). Default 0. */
  readonly jobQueuePoolSize?: number;
  /**
   * A pool on the read replica (`DATABASE_READ_POOL_MAX`) for reads that tolerate lag; the stacks
   * with a replica give it `CLOUD_SQL_READ_INSTANCE`. Without it the service reads the primary only.
   */
  readonly readPoolSize?: number;
}

export interface Slo {
  /** Fraction of successful requests over 30 days, for example 0.999. */
  readonly availability: number;
  /** 95th-percentile latency objective in seconds. */
  readonly latencyP95Seconds: number;
}

/** Alert thresholds in percent or seconds; alert rules and dashboards read them from here. */
export interface AlertThresholds {
  readonly errorRatePercent: number;
  readonly latencyP95Seconds: number;
  readonly memoryPercent: number;
  readonly cpuPercent: number;
  /** Only for services that move tokens. */
  readonly tokenTransactionFailurePercent?: number;
  /** Only for services that run agents. */
  readonly agentFailurePercent?: number;
  /**
   * Only for services that evaluate agent variants: the share of evaluations that could not be
   * done (`agent_improvements_total{outcome="failed"}`) above which they alert. Set together
   * with `improvementMinEvaluations`.
   */
  readonly improvementFailurePercent?: number;
  /** Evaluations needed in the alert's window before `improvementFailurePercent` may fire. */
  readonly improvementMinEvaluations?: number;
}

/** When a deployment is rolled back automatically. */
export interface RollbackTriggers {
  readonly errorRatePercent: number;
  readonly latencyP95Seconds: number;
}

/**
 * A domain metric a service exports (besides the kit's HTTP and process metrics). Every label
 * combination starts at zero, so alerts and dashboards see the series before the first event.
 */
export interface MetricDeclaration {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter';
  /** Label → its possible values. */
  readonly labels: Readonly<Record<string, readonly string[]>>;
}

export interface ServiceDefinition<
  Env extends z.ZodObject = z.ZodObject,
  Stores extends readonly DataStore[] = readonly DataStore[],
  Calls extends ServiceCalls = ServiceCalls,
> {
  readonly name: string;
  readonly description: string;
  /** Container and local port; `/metrics`, `/healthz`, `/readyz` are served on it too. */
  readonly port: number;
  /** Container command in the services image (`/nodejs/bin/node dist/services/main.js <name>`). */
  readonly command: readonly string[];
  readonly resources: Readonly<Record<StackName, Resources>>;
  readonly scaling: Readonly<Record<StackName, Scaling>>;
  readonly dataStores: Stores;
  /** With `objectStorage` among its data stores: the bucket and what the service may do in it. */
  readonly objectStorage?: ObjectStorageUse;
  /** With `postgres` among its data stores: its pools' sizes. */
  readonly database?: DatabaseUse;
  /**
   * Ships SQL migrations in `services/<name>/migrations/` (with `postgres` among its data stores):
   * applied at start and by the migrate Job; a build without them refuses to start.
   */
  readonly migrations: boolean;
  /** The environment contract: the service parses its config with it; infra renders from it. */
  readonly env: Env;
  /**
   * With the LLM variables in its env: the model classes it calls (docs/llm.md). Each needs an
   * enabled provider on staging and production, or the service refuses to start.
   */
  readonly llmClasses?: readonly string[];
  /**
   * A boolean setting of the service's env that the classes serve: while it is off, the service
   * starts without providers for them (their calls are optional extras then), and stacks that do
   * not turn it on are not warned. Without it, `llmClasses` are always required.
   */
  readonly llmClassesRequiredWith?: string;
  readonly slo: Slo;
  readonly alerts: Readonly<Record<StackName, AlertThresholds>>;
  readonly rollback: RollbackTriggers;
  readonly featureFlags: readonly FeatureFlag[];
  /** Domain metrics the service exports; alert rules and dashboards may use only these. */
  readonly metrics: readonly MetricDeclaration[];
  /** Who reaches it; the infra, the alert rules and the policy pack read it from here. */
  readonly exposure: Exposure;
  /** How its new versions roll out; the infra, the alert rules and the policy pack read it from here. */
  readonly rollout: Rollout;
  /** The services it calls and with which scopes (empty: it calls none). */
  readonly calls: Calls;
}
