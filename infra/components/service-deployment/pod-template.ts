import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { ServiceDefinition, StackName } from '../../../services/catalog.js';
import { CLIENT_CLOSE_BUDGET_MS } from '../../../services/platform/shutdown.js';
import {
  CONTAINER_SECURITY_CONTEXT,
  podSecurityContext,
  SERVICE_UID,
} from '../security-contexts.js';
import { PROBE_PATHS } from './probe-paths.js';

type PodTemplate = k8s.types.input.core.v1.PodTemplateSpec;

/** Seconds the pod keeps serving after it is marked terminating, so load balancers drop it first. */
export const PRE_STOP_SECONDS = 5;

/** `2Gi` → 2048, `512Mi` → 512 (MiB). */
export function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`unsupported memory quantity ${quantity}: use Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

export interface PodTemplateArgs {
  readonly definition: ServiceDefinition;
  readonly stack: StackName;
  readonly image: string;
  /** Labels of the pods (and the Deployment's selector). */
  readonly labels: Record<string, string>;
  readonly serviceAccountName: string;
  readonly envConfigMap: string;
  readonly envSecret: string;
  /** From the service's SHUTDOWN_TIMEOUT_MS: how long in-flight requests may finish after SIGTERM. */
  readonly shutdownTimeoutSeconds: number;
  /** Default: the catalog's command (the service itself). */
  readonly command?: readonly string[];
  /** ConfigMaps mounted read-only as files (the Redis server CA). Default none. */
  readonly files?: readonly ConfigMapFiles[];
  /**
   * Digests of the env ConfigMap's and Secret's data, as pod annotations: a container reads
   * `envFrom` once at start, so a changed setting (a feature flag, CORS origins, a rotated key)
   * must roll the pods, or they keep the old values until something else restarts them.
   */
  readonly envChecksums?: {
    readonly config: pulumi.Input<string>;
    readonly secrets: pulumi.Input<string>;
  };
}

/** A ConfigMap whose keys appear as read-only files in `mountPath`. */
export interface ConfigMapFiles {
  /** The volume's name in the pod. */
  readonly volume: string;
  readonly configMap: pulumi.Input<string>;
  readonly mountPath: string;
  /**
   * A digest of the content, as a pod annotation: the kit reads such files once at start, so a
   * new content (a rotated CA) must roll the pods.
   */
  readonly checksum: pulumi.Input<string>;
}

type Container = k8s.types.input.core.v1.Container;

const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
  httpGet: { path, port: 'http' },
  periodSeconds,
  timeoutSeconds: 2,
  failureThreshold,
});

/** The service's container: catalog command, port, requests and limits; env from ConfigMap and Secret. */
export function serviceContainer(args: PodTemplateArgs): Container {
  const { definition, stack } = args;
  const resources = definition.resources[stack];
  // Leave a quarter of the limit to buffers, stacks and the runtime outside the V8 heap.
  const heapMiB = Math.floor(mebibytes(resources.limits.memory) * 0.75);
  return {
    name: definition.name,
    image: args.image,
    command: [...(args.command ?? definition.command)],
    ports: [{ name: 'http', containerPort: definition.port, protocol: 'TCP' }],
    envFrom: [
      { configMapRef: { name: args.envConfigMap } },
      { secretRef: { name: args.envSecret } },
    ],
    env: [{ name: 'NODE_OPTIONS', value: `--max-old-space-size=${heapMiB}` }],
    resources: { requests: { ...resources.requests }, limits: { ...resources.limits } },
    startupProbe: probe(PROBE_PATHS.liveness, 2, 30),
    livenessProbe: probe(PROBE_PATHS.liveness, 10, 3),
    readinessProbe: probe(PROBE_PATHS.readiness, 5, 2),
    lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SECONDS } } },
    securityContext: CONTAINER_SECURITY_CONTEXT,
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      ...(args.files ?? []).map((file) => ({
        name: file.volume,
        mountPath: file.mountPath,
        readOnly: true,
      })),
    ],
  };
}

/** The image's distroless `nonroot` user, hardened as every pod of the platform. */
const servicePodSecurity = podSecurityContext({ user: SERVICE_UID });

const fileChecksums = (args: PodTemplateArgs) => ({
  ...Object.fromEntries(
    (args.files ?? []).map((file) => [`aia-platform.dev/checksum-${file.volume}`, file.checksum]),
  ),
  ...(args.envChecksums
    ? {
        'aia-platform.dev/checksum-env': args.envChecksums.config,
        'aia-platform.dev/checksum-env-secrets': args.envChecksums.secrets,
      }
    : {}),
});

/** A writable /tmp (the root filesystem is read-only) and the mounted ConfigMaps. */
const podVolumes = (args: PodTemplateArgs) => [
  { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
  ...(args.files ?? []).map((file) => ({
    name: file.volume,
    configMap: { name: file.configMap, defaultMode: 0o444 },
  })),
];

/**
 * The pod of a catalog service: the container above, the service's own Kubernetes service
 * account without a mounted token, a grace period matching the graceful shutdown, spread over
 * zones.
 */
export function servicePodTemplate(args: PodTemplateArgs): PodTemplate {
  return {
    metadata: { labels: args.labels, annotations: fileChecksums(args) },
    spec: {
      serviceAccountName: args.serviceAccountName,
      automountServiceAccountToken: false,
      // preStop, then in-flight requests, then the clients' close budget, and a second to exit.
      terminationGracePeriodSeconds:
        PRE_STOP_SECONDS + args.shutdownTimeoutSeconds + CLIENT_CLOSE_BUDGET_MS / 1000 + 1,
      securityContext: servicePodSecurity,
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: args.labels },
        },
      ],
      containers: [serviceContainer(args)],
      volumes: podVolumes(args),
    },
  };
}

/** The one-shot pod that applies the service's migrations before a new version serves. */
export function migrationPodTemplate(args: PodTemplateArgs): PodTemplate {
  const { ports, startupProbe, livenessProbe, readinessProbe, lifecycle, ...container } =
    serviceContainer({
      ...args,
      command: ['/nodejs/bin/node', 'dist/services/migrate.js', args.definition.name],
    });
  return {
    metadata: { labels: args.labels },
    spec: {
      serviceAccountName: args.serviceAccountName,
      automountServiceAccountToken: false,
      restartPolicy: 'Never',
      securityContext: servicePodSecurity,
      containers: [{ ...container, name: 'migrate' }],
      volumes: podVolumes(args),
    },
  };
}
