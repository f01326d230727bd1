import * as pulumi from '@pulumi/pulumi';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Secret } from 'kubernetes-models/v1/Secret';
import { beforeAll, describe, expect, it } from 'vitest';
import { packViolations, plannedFromRecorded } from '../../../test/harness/policy-fixtures.js';
import {
  holdsSecret,
  ofType,
  type RecordedResource,
  resolve,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { chartCrdRelease } from '../crds/index.js';
import { jaegerQueryUrl } from '../tracing/index.js';
import type { MonitoringStack } from './monitoring.js';
import { KUBE_PROMETHEUS_STACK } from './values.js';

const RELEASE = 'kubernetes:helm.sh/v3:Release';
const SECRET = 'kubernetes:core/v1:Secret';
const POLICY = 'kubernetes:networking.k8s.io/v1:NetworkPolicy';
const CONFIG_FILE = 'kubernetes:yaml/v2:ConfigFile';
const labels = {
  'app.kubernetes.io/part-of': 'aia-platform',
  'app.kubernetes.io/managed-by': 'pulumi',
};
const grafanaServiceAnnotations = { 'cloud.google.com/neg': '{"ingress": true}' };

// biome-ignore lint/suspicious/noExplicitAny: Helm values are untyped JSON
type Json = Record<string, any>;

describe('MonitoringStack (mocks)', () => {
  let recorded: RecordedResource[];
  let monitoring: MonitoringStack;
  let values: Json;
  const dependsOn = new Map<string, string[]>();

  beforeAll(async () => {
    // What tools/plan gives generated passwords: a marker the secret policy recognises.
    recorded = await startMockStack('production', ({ type, name }) =>
      type === 'random:index/randomPassword:RandomPassword'
        ? { result: `plan-secret-${name}` }
        : {},
    );
    const { MonitoringStack } = await import('./monitoring.js');
    monitoring = new MonitoringStack(
      'monitoring',
      {
        namespace: 'monitoring',
        stack: 'production',
        retention: '30d',
        prometheusStorageGb: 200,
        alertmanagerReplicas: 3,
        grafanaHost: 'grafana.aia-platform.dev',
        labels,
        grafanaServiceAnnotations,
        tracingQueryUrl: pulumi.output('tracing').apply(jaegerQueryUrl),
      },
      {
        transformations: [
          ({ name, opts }) => {
            const names = [opts.dependsOn ?? []].flat() as { __name?: string }[];
            dependsOn.set(
              name,
              names.map((d) => d.__name ?? ''),
            );
            return undefined;
          },
        ],
      },
    );
    await pulumi.runtime.disconnect();
    values = ofType(recorded, RELEASE)[0]?.plain.values as Json;
  });

  it('installs kube-prometheus-stack pinned, atomically, waiting for readiness', () => {
    const [release] = ofType(recorded, RELEASE);
    expect(release?.plain).toMatchObject({
      name: 'kube-prometheus-stack',
      chart: 'kube-prometheus-stack',
      version: '88.5.3',
      repositoryOpts: { repo: 'https://prometheus-community.github.io/helm-charts' },
      namespace: 'monitoring',
      atomic: true,
      skipAwait: false,
    });
  });

  it("applies the chart's CRDs from the pinned release itself, before the release, never through Helm", () => {
    const [release] = ofType(recorded, RELEASE);
    expect(release?.plain.skipCrds).toBe(true);
    expect(values.crds).toEqual({ enabled: false });
    const applied = ofType(recorded, CONFIG_FILE);
    expect(applied.map((r) => r.plain.file)).toEqual([
      chartCrdRelease(KUBE_PROMETHEUS_STACK.chart, KUBE_PROMETHEUS_STACK.version).manifest,
    ]);
    expect(applied[0]?.plain.file).toBe(
      'https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.93.1/stripped-down-crds.yaml',
    );
    expect(dependsOn.get(release?.name ?? '')).toEqual(
      expect.arrayContaining(applied.map((r) => r.name)),
    );
  });

  it('keeps Prometheus samples for the retention on a premium-rwo volume of the configured size', () => {
    expect(values.prometheus.prometheusSpec).toMatchObject({
      retention: '30d',
      retentionSize: '170GB',
      replicas: 2,
      storageSpec: {
        volumeClaimTemplate: {
          spec: { storageClassName: 'premium-rwo', resources: { requests: { storage: '200Gi' } } },
        },
      },
    });
    expect(values.alertmanager.alertmanagerSpec.replicas).toBe(3);
  });

  it('loads ServiceMonitors, PodMonitors and rules from every namespace whatever their labels', () => {
    expect(values.prometheus.prometheusSpec).toMatchObject({
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
    });
    expect(values.grafana.sidecar.dashboards).toEqual({
      enabled: true,
      label: 'grafana_dashboard',
      labelValue: '1',
      searchNamespace: 'ALL',
    });
  });

  it('gives Grafana generated admin credentials from a Secret, and its public URL', async () => {
    const secret = ofType(recorded, SECRET)[0];
    expect(secret?.plain.metadata).toMatchObject({
      name: 'grafana-admin',
      namespace: 'monitoring',
    });
    expect(holdsSecret(secret?.inputs.stringData)).toBe(true);
    expect(secret?.plain.stringData).toEqual({
      'admin-user': 'admin-plan-secret-monitoring-grafana-admin-user',
      'admin-password': 'plan-secret-monitoring-grafana-admin-password',
    });
    expect(values.grafana.admin).toEqual({
      existingSecret: 'grafana-admin',
      userKey: 'admin-user',
      passwordKey: 'admin-password',
    });
    expect(values.grafana['grafana.ini'].server.root_url).toBe('https://grafana.aia-platform.dev/');
    expect(values.grafana.service.annotations).toEqual(grafanaServiceAnnotations);
    expect(await resolve(monitoring.grafanaAdminSecretName)).toBe('grafana-admin');
  });

  it('adds Jaeger as a trace data source once its URL is known', () => {
    expect(values.grafana.additionalDataSources).toEqual([
      {
        name: 'Jaeger',
        uid: 'jaeger',
        type: 'jaeger',
        access: 'proxy',
        url: 'http://jaeger.tracing.svc.cluster.local:16686',
      },
    ]);
  });

  it('neither scrapes nor alerts on what GKE manages', () => {
    for (const component of ['kubeControllerManager', 'kubeScheduler', 'kubeEtcd', 'kubeProxy']) {
      expect(values[component]).toEqual({ enabled: false });
    }
    expect(values.defaultRules.rules).toMatchObject({ etcd: false, kubeProxy: false });
  });

  it('outputs the Services the ingress and the alerting wiring need', async () => {
    expect(await resolve(monitoring.releaseName)).toBe('kube-prometheus-stack');
    expect(await resolve(pulumi.output(monitoring.grafanaService))).toEqual({
      name: 'kube-prometheus-stack-grafana',
      port: 80,
      namespace: 'monitoring',
    });
    expect(await resolve(pulumi.output(monitoring.alertmanagerService))).toEqual({
      name: 'kube-prometheus-stack-alertmanager',
      port: 9093,
      namespace: 'monitoring',
    });
    expect(await resolve(monitoring.prometheusUrl)).toBe(
      'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090',
    );
  });

  it('opens the namespace to itself, Grafana to the load balancer, the webhook to the API server', () => {
    const policies = ofType(recorded, POLICY).map((r) => r.plain as Json);
    const byName = new Map(policies.map((p) => [p.metadata.name, p]));
    expect([...byName.keys()].sort()).toEqual([
      'allow-grafana-from-load-balancer',
      'allow-operator-webhook',
      'allow-same-namespace',
    ]);
    expect(byName.get('allow-grafana-from-load-balancer')?.spec.ingress[0]).toEqual({
      from: [{ ipBlock: { cidr: '35.191.0.0/16' } }, { ipBlock: { cidr: '130.211.0.0/22' } }],
      ports: [{ protocol: 'TCP', port: 3000 }],
    });
    for (const policy of policies) {
      expect(() =>
        new NetworkPolicy({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          ...policy,
        } as never).validate(),
      ).not.toThrow();
    }
    const secret = ofType(recorded, SECRET)[0]?.plain;
    expect(() =>
      new Secret({ apiVersion: 'v1', kind: 'Secret', ...secret } as never).validate(),
    ).not.toThrow();
  });

  it('passes the policy pack', async () => {
    const resources = plannedFromRecorded(recorded);
    expect(await packViolations(resources)).toEqual([]);
  });
});
