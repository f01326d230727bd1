import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import type { z } from 'zod';
import { CONNECTION_RESERVE } from '../../../infra/components/cloudsql/connections.js';
import { isServiceName, serviceDefinition } from '../../../services/catalog.js';
import { MIGRATION_POOL_SIZE } from '../../../services/platform/migrations.js';
import { type ScaledWorkload, workloadsAtMaxScale } from '../kubernetes/quota-demand.js';
import { providedEnv } from './env-contract.js';
import { instanceNamed, type SqlInstance, sqlInstances } from './sql-instances.js';
import { SERVICE_LABEL } from './workloads.js';

/** One workload's connections on one instance at max scale. */
export interface ConnectionTerm {
  /** `Deployment aia/aia-api-blue 25 pods × 5`. */
  readonly what: string;
  readonly connections: number;
}

/** What an instance must hold at full scale-out, term by term. */
export interface ConnectionBudget {
  readonly instance: SqlInstance;
  readonly terms: readonly ConnectionTerm[];
  /** superuser_reserved_connections, one per replica of the instance, operators' sessions. */
  readonly reserved: {
    readonly superuser: number;
    readonly replicas: number;
    readonly operators: number;
  };
  readonly total: number;
}

/** The schema default of a pool size variable of the workload's service (10 and 5 in the kit). */
function schemaDefault(service: string | undefined, key: string): number {
  const field =
    service && isServiceName(service) ? serviceDefinition(service).env.shape[key] : undefined;
  const parsed = (field as z.ZodType | undefined)?.safeParse(undefined);
  return parsed?.success ? Number(parsed.data) : 10;
}

const isMigration = (workload: ScaledWorkload) =>
  (workload.template.spec.containers ?? []).some((container) =>
    (container.command ?? []).some((part) => String(part).endsWith('services/migrate.js')),
  );

/**
 * Each workload's pools per pod and on which instance: the kit's (`DATABASE_POOL_MAX`) and a job
 * queue's (the catalog's `jobQueuePoolSize`) on `CLOUD_SQL_INSTANCE`, the read pool
 * (`DATABASE_READ_POOL_MAX`) on `CLOUD_SQL_READ_INSTANCE`; a migrate Job's pool of one.
 */
function workloadPools(
  workload: ScaledWorkload,
  resources: readonly PolicyResource[],
  instances: readonly SqlInstance[],
): { instance: SqlInstance | undefined; perPod: number; label: string }[] {
  const containers = (workload.template.spec.containers ?? []) as Record<string, unknown>[];
  const { literals, referenced } = providedEnv(
    { containers, namespace: workload.namespace },
    resources,
  );
  if (!literals.has('CLOUD_SQL_INSTANCE') && !referenced.has('CLOUD_SQL_INSTANCE')) return [];
  const service = workload.template.labels[SERVICE_LABEL];
  const size = (key: string) => Number(literals.get(key) ?? schemaDefault(service, key));
  const primary = instanceNamed(instances, literals.get('CLOUD_SQL_INSTANCE'), {
    primaryWhenUnknown: true,
  });
  if (isMigration(workload))
    return [{ instance: primary, perPod: MIGRATION_POOL_SIZE, label: 'migrations' }];
  const queue =
    service && isServiceName(service)
      ? (serviceDefinition(service).database?.jobQueuePoolSize ?? 0)
      : 0;
  const pools = [
    {
      instance: primary,
      perPod: size('DATABASE_POOL_MAX') + queue,
      label: queue > 0 ? `(${size('DATABASE_POOL_MAX')} + ${queue} job queue)` : '',
    },
  ];
  if (literals.has('CLOUD_SQL_READ_INSTANCE') || referenced.has('CLOUD_SQL_READ_INSTANCE')) {
    const replica = instanceNamed(instances, literals.get('CLOUD_SQL_READ_INSTANCE'), {
      primaryWhenUnknown: false,
    });
    // A read instance the plan does not know yet: count it on every in-region replica.
    const targets =
      replica !== undefined
        ? [replica]
        : instances.filter((i) => i.master === primary?.name && i.region === primary?.region);
    for (const target of targets)
      pools.push({ instance: target, perPod: size('DATABASE_READ_POOL_MAX'), label: 'reads' });
  }
  return pools;
}

/** Every instance's connections at full scale-out: the arithmetic the policy checks. */
export function connectionBudgets(resources: readonly PolicyResource[]): ConnectionBudget[] {
  const instances = sqlInstances(resources);
  const terms = new Map<string, ConnectionTerm[]>(instances.map((i) => [i.name, []]));
  for (const workload of workloadsAtMaxScale(resources)) {
    for (const { instance, perPod, label } of workloadPools(workload, resources, instances)) {
      if (!instance) continue;
      const pods = `${workload.pods} pod${workload.pods === 1 ? '' : 's'}`;
      terms.get(instance.name)?.push({
        what: `${workload.template.object} ${pods} × ${perPod}${label ? ` ${label}` : ''}`,
        connections: workload.pods * perPod,
      });
    }
  }
  return instances.map((instance) => {
    const reserved = {
      superuser: instance.superuserReserved,
      // Counted although walsenders have their own limit (max_wal_senders): a margin, not a need.
      replicas: instances.filter((other) => other.master === instance.name).length,
      operators: CONNECTION_RESERVE.operators,
    };
    const own = terms.get(instance.name) ?? [];
    const total =
      own.reduce((sum, term) => sum + term.connections, 0) +
      reserved.superuser +
      reserved.replicas +
      reserved.operators;
    return { instance, terms: own, reserved, total };
  });
}

/** `a + b + reserved 15 (…) = 642`: the sum as the message shows it. */
export function formatBudget({ terms, reserved, total }: ConnectionBudget): string {
  const reservedTotal = reserved.superuser + reserved.replicas + reserved.operators;
  const parts = terms.map((term) => `${term.what} = ${term.connections}`);
  parts.push(
    `reserved ${reservedTotal} (superuser_reserved_connections ${reserved.superuser}, ${reserved.replicas} for replicas, ${reserved.operators} for operators)`,
  );
  return `${parts.join(' + ')} = ${total}`;
}

/**
 * Every Cloud SQL instance holds what connects to it when every service runs at its HPA's
 * maxReplicas plus its rolling surge (both colours of a blue-green service), each pod with its
 * pools, plus the migrate Jobs and a reserve, within an explicit `max_connections`.
 */
export const databaseConnectionsFit: StackValidationPolicy = {
  name: 'platform-database-connections',
  description:
    "Every Cloud SQL instance's max_connections holds every service at full scale-out with its pools, the migrate Jobs and a reserve.",
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, reportViolation) => {
    for (const budget of connectionBudgets(resources)) {
      const { instance } = budget;
      if (instance.maxConnections === undefined) {
        reportViolation(
          `Cloud SQL instance ${instance.name} has no max_connections flag: set it explicitly (aia-platform:cloudSql.maxConnections, sized to the tier), so the services' pools can be checked against it.`,
          instance.resource.urn,
        );
        continue;
      }
      if (budget.total > instance.maxConnections) {
        reportViolation(
          `Cloud SQL instance ${instance.name} would be asked for ${budget.total} connections at full scale-out, more than its max_connections ${instance.maxConnections}: ${formatBudget(budget)} > ${instance.maxConnections}. Lower a service's database pool sizes or maxReplicas in its catalog entry (services/<service>/definition.ts), or raise aia-platform:cloudSql.maxConnections within the tier's memory (docs/connections.md).`,
          instance.resource.urn,
        );
      }
    }
  },
};
