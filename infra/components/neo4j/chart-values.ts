import {
  podSecurityContext,
  WRITABLE_ROOT_CONTAINER_SECURITY_CONTEXT,
} from '../security-contexts.js';
import {
  NEO4J_IMAGE,
  NEO4J_RELEASE,
  NEO4J_UID,
  neo4jLabels,
  neo4jMemorySettings,
  validateNeo4jResources,
} from './settings.js';

export interface Neo4jChartValuesArgs {
  /** Kubernetes Secret whose `NEO4J_AUTH` key holds `neo4j/<password>`. */
  readonly passwordSecretName: string;
  readonly storageGb: number;
  /** CPU and memory, both requests and limits (the chart sets them equal). */
  readonly cpu: string;
  readonly memory: string;
  /** Default `premium-rwo` (SSD persistent disk). */
  readonly storageClass?: string;
}

/**
 * Values for the official `neo4j` chart: a standalone community server on a persistent SSD volume,
 * password from an existing Secret, Bolt only (HTTP off), no LoadBalancer Service, non-root with
 * every capability dropped, and APOC core loaded for the backup job's online export.
 */
export function neo4jChartValues(args: Neo4jChartValuesArgs): Record<string, unknown> {
  validateNeo4jResources(args);
  return {
    neo4j: {
      name: NEO4J_RELEASE,
      edition: 'community',
      passwordFromSecret: args.passwordSecretName,
      resources: { cpu: args.cpu, memory: args.memory },
      labels: neo4jLabels('database'),
    },
    image: { customImage: NEO4J_IMAGE },
    // The chart would look the password Secret up in the cluster, which fails in a preview and on
    // the first install's dry run; this component creates the Secret before the release anyway.
    disableLookups: true,
    // The password comes from our Secret; nothing to print.
    logInitialPassword: false,
    volumes: {
      data: {
        mode: 'dynamic',
        dynamic: {
          storageClassName: args.storageClass ?? 'premium-rwo',
          accessModes: ['ReadWriteOnce'],
          requests: { storage: `${args.storageGb}Gi` },
        },
      },
    },
    services: {
      // Clients use the ClusterIP Service named after the release; nothing is exposed outside.
      neo4j: { enabled: false, cleanup: { enabled: false } },
      admin: { enabled: false },
    },
    podSpec: { loadbalancer: 'exclude' },
    config: {
      'server.http.enabled': 'false',
      'server.https.enabled': 'false',
      // Only the export procedures the backup job calls get past the sandbox.
      'dbms.security.procedures.unrestricted': 'apoc.export.*',
      ...neo4jMemorySettings(args.memory),
    },
    // The image copies APOC core from its own labs/ directory: nothing is downloaded.
    env: { NEO4J_PLUGINS: '["apoc"]' },
    securityContext: {
      ...podSecurityContext({ user: NEO4J_UID }),
      fsGroupChangePolicy: 'OnRootMismatch',
    },
    // The image's entrypoint writes plugins and configuration under /var/lib/neo4j at start,
    // so the root filesystem stays writable here; everything else is locked down.
    containerSecurityContext: {
      ...WRITABLE_ROOT_CONTAINER_SECURITY_CONTEXT,
      runAsUser: NEO4J_UID,
      runAsGroup: NEO4J_UID,
    },
  };
}
