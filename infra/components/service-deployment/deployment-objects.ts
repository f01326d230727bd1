import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { canarySplit } from './canary-split.js';
import { type PodTemplateArgs, servicePodTemplate } from './pod-template.js';
import type { ServiceDeploymentArgs } from './service-deployment.js';

interface DeploymentObjectsArgs extends ServiceDeploymentArgs {
  readonly podArgs: (image: string, labels: Record<string, string>) => PodTemplateArgs;
  readonly dependsOn: pulumi.Resource[];
}

/** Labels every object of a service carries. */
export const serviceLabels = (service: string) => ({
  'app.kubernetes.io/name': service,
  'app.kubernetes.io/part-of': 'aia-platform',
  'app.kubernetes.io/managed-by': 'pulumi',
});

/**
 * Extra pods a rolling update may start above the replica count, as a share of it (rounded up):
 * the namespace's ResourceQuota reserves room for them (components/resource-quotas).
 */
export const MAX_SURGE_PERCENT = 25;

/**
 * A VerticalPodAutoscaler in recommendation mode (`updateMode: Off`): it never evicts or resizes a
 * pod (the HPA scales on CPU, and both acting on CPU would fight); its recommendations, read with
 * `kubectl describe vpa`, tell when the catalog's requests and limits should move.
 */
export function verticalPodAutoscalerSpec(deployment: string, container: string) {
  return {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment },
    updatePolicy: { updateMode: 'Off' },
    resourcePolicy: {
      containerPolicies: [
        {
          containerName: container,
          controlledResources: ['cpu', 'memory'],
          controlledValues: 'RequestsAndLimits',
        },
      ],
    },
  };
}

/** Services with this label are scraped: one per set of pods, so no pod is counted twice. */
const SCRAPE_LABEL = 'aia-platform.dev/scrape';

/**
 * Per image key (one, or a colour each): a Deployment with its HPA, VerticalPodAutoscaler
 * (recommendations only) and PodDisruptionBudget; the
 * stable Service (routing to the active colour); a Service per colour; the ServiceMonitor.
 */
export function deploymentObjects(
  parentResource: pulumi.Resource,
  name: string,
  args: DeploymentObjectsArgs,
): void {
  const { definition, namespace } = args;
  const service = definition.name;
  const parent = { parent: parentResource };
  const scaling = definition.scaling[args.stack];
  const blueGreen = Object.keys(args.images).length > 1;
  const base = serviceLabels(service);
  // During a canary both colours are held at fixed counts: their ratio is the traffic share.
  const split = blueGreen && args.canary ? canarySplit(args.canary.percent, scaling) : undefined;
  const replicasOf = (key: string) => {
    if (!split) return { minReplicas: scaling.minReplicas, maxReplicas: scaling.maxReplicas };
    const count = key === args.canary?.colour ? split.canary : split.stable;
    return { minReplicas: count, maxReplicas: count };
  };

  for (const [key, image] of Object.entries(args.images)) {
    const deploymentName = blueGreen ? `${service}-${key}` : service;
    const selector = {
      ...base,
      'app.kubernetes.io/instance': deploymentName,
      ...(blueGreen ? { 'aia-platform.dev/color': key } : {}),
    };
    const deployment = new k8s.apps.v1.Deployment(
      `${name}-${key}`,
      {
        metadata: { name: deploymentName, namespace, labels: selector },
        spec: {
          // No replica count: the HPA owns it, and an update must not reset it.
          selector: { matchLabels: selector },
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: `${MAX_SURGE_PERCENT}%`, maxUnavailable: 0 },
          },
          revisionHistoryLimit: 5,
          template: servicePodTemplate(args.podArgs(image, selector)),
        },
      },
      { ...parent, dependsOn: args.dependsOn },
    );
    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      `${name}-${key}-hpa`,
      {
        metadata: { name: deploymentName, namespace, labels: base },
        spec: {
          scaleTargetRef: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: deployment.metadata.name,
          },
          ...replicasOf(key),
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: {
                  type: 'Utilization',
                  averageUtilization: scaling.targetCpuUtilizationPercent,
                },
              },
            },
          ],
        },
      },
      parent,
    );
    new k8s.apiextensions.CustomResource(
      `${name}-${key}-vpa`,
      {
        apiVersion: 'autoscaling.k8s.io/v1',
        kind: 'VerticalPodAutoscaler',
        metadata: { name: deploymentName, namespace, labels: base },
        spec: verticalPodAutoscalerSpec(deploymentName, service),
      },
      parent,
    );
    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-${key}-pdb`,
      {
        metadata: { name: deploymentName, namespace, labels: base },
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
      },
      parent,
    );
    if (blueGreen) {
      new k8s.core.v1.Service(
        `${name}-${key}-service`,
        {
          metadata: {
            name: deploymentName,
            namespace,
            labels: { ...base, [SCRAPE_LABEL]: 'true' },
          },
          spec: {
            type: 'ClusterIP',
            selector,
            ports: [{ name: 'http', port: definition.port, targetPort: 'http' }],
          },
        },
        parent,
      );
    }
  }

  const active: Record<string, string> =
    blueGreen && !split ? { 'aia-platform.dev/color': args.activeColor ?? 'blue' } : {};
  new k8s.core.v1.Service(
    `${name}-service`,
    {
      metadata: {
        name: service,
        namespace,
        labels: blueGreen ? base : { ...base, [SCRAPE_LABEL]: 'true' },
        annotations: args.serviceAnnotations,
      },
      spec: {
        type: 'ClusterIP',
        selector: { ...base, ...active },
        ports: [{ name: 'http', port: definition.port, targetPort: 'http' }],
      },
    },
    parent,
  );
  new k8s.apiextensions.CustomResource(
    `${name}-service-monitor`,
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: service, namespace, labels: { ...base, release: args.prometheusRelease } },
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': service, [SCRAPE_LABEL]: 'true' } },
        // The services label every series with their own `service`; keep it over the target's
        // (the Service name, which is `aia-api-blue` for a colour), so rules match on one name.
        endpoints: [
          {
            port: 'http',
            path: '/metrics',
            interval: '30s',
            scrapeTimeout: '10s',
            honorLabels: true,
          },
        ],
      },
    },
    parent,
  );
}
