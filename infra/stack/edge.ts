import type * as pulumi from '@pulumi/pulumi';
import { type ServiceName, serviceDefinition, serviceNames } from '../../services/catalog.js';
import { DnsRecords } from '../components/dns-records/index.js';
import { IngressGateway } from '../components/ingress/index.js';
import { resourceLabels } from '../components/labels.js';
import type { clusterPlatform } from './cluster-platform.js';
import type { StackContext } from './context.js';
import type { foundation } from './foundation.js';
import type { serviceWorkloads } from './services.js';

/**
 * The service the API's load balancer routes `/v1` to: the one the catalog marks `public`. The
 * edge has one API backend, so any other number is refused, saying which.
 */
export function publicService(names: readonly ServiceName[] = serviceNames): ServiceName {
  const publicOnes = names.filter((name) => serviceDefinition(name).exposure === 'public');
  const [only, ...more] = publicOnes;
  if (!only || more.length > 0) {
    throw new Error(
      `the API load balancer routes to exactly one public service; the catalog marks ${publicOnes.length === 0 ? 'none' : publicOnes.join(', ')} public (exposure: 'public')`,
    );
  }
  return only;
}

/** The public edge: the load balancers of the API and Grafana, and their DNS records. */
export function publicEdge(
  { config, prefix }: StackContext,
  { afterApis }: Pick<ReturnType<typeof foundation>, 'afterApis'>,
  { onCluster, monitoring }: Pick<ReturnType<typeof clusterPlatform>, 'onCluster' | 'monitoring'>,
  { deployments }: Pick<ReturnType<typeof serviceWorkloads>, 'deployments'>,
) {
  const api = publicService();
  const gateway = new IngressGateway(
    `${prefix}-gateway`,
    {
      project: config.project,
      stack: config.stack,
      domain: config.domain,
      grafanaHost: config.grafanaDomain,
      apiService: {
        name: api,
        port: serviceDefinition(api).port,
        namespace: config.services.namespace,
      },
      grafanaService: monitoring.grafanaService,
      grafanaAccess: config.grafanaAccess,
      rateLimitPerMinute: config.services.rateLimitPerMinute,
      labels: resourceLabels({ environment: config.stack, service: api }),
    },
    { ...onCluster, dependsOn: [deployments[api] as pulumi.Resource] },
  );

  // The public names, when the stack's DNS zone is in Cloud DNS: the records follow the addresses.
  if (config.dnsZone) {
    new DnsRecords(
      `${prefix}-dns`,
      {
        project: config.project,
        managedZone: config.dnsZone,
        records: {
          api: { host: config.domain, address: gateway.ipAddress },
          grafana: { host: config.grafanaDomain, address: gateway.grafanaIpAddress },
        },
      },
      afterApis,
    );
  }
  return { gateway };
}
