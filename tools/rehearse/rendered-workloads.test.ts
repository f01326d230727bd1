import { describe, expect, it } from 'vitest';
import { type RenderedObject, renderedWorkloads, servicesNamespace } from './rendered-workloads.js';

const deployment = (container: RenderedObject, volumes: RenderedObject[] = []): RenderedObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'economic-governor', namespace: 'aia' },
  spec: { template: { spec: { containers: [container], volumes } } },
});
const configMap = (name: string, data: Record<string, string>): RenderedObject => ({
  kind: 'ConfigMap',
  metadata: { name, namespace: 'aia' },
  data,
});

describe('workloads read from the rendered objects', () => {
  it('merges ConfigMap, Secret and env in the kubelet order and reads mounted ConfigMaps as files', () => {
    const [workload] = renderedWorkloads(
      [
        deployment(
          {
            name: 'economic-governor',
            command: ['/nodejs/bin/node', 'dist/services/main.js', 'economic-governor'],
            envFrom: [{ configMapRef: { name: 'env' } }, { secretRef: { name: 'env' } }],
            env: [{ name: 'NODE_OPTIONS', value: '--max-old-space-size=3072' }],
            volumeMounts: [
              { name: 'tmp', mountPath: '/tmp' },
              { name: 'ca', mountPath: '/etc/aia/redis-ca', readOnly: true },
            ],
          },
          [
            { name: 'tmp', emptyDir: {} },
            { name: 'ca', configMap: { name: 'redis-server-ca' } },
          ],
        ),
        configMap('env', { PORT: '8001', SHARED: 'config' }),
        {
          kind: 'Secret',
          metadata: { name: 'env', namespace: 'aia' },
          stringData: { SHARED: 'secret' },
        },
        configMap('redis-server-ca', { 'ca.crt': 'PEM' }),
        {
          ...configMap('env', { PORT: 'another namespace' }),
          metadata: { name: 'env', namespace: 'data' },
        },
      ],
      'aia',
    );
    expect(workload).toEqual({
      kind: 'Deployment',
      name: 'economic-governor',
      service: 'economic-governor',
      command: ['/nodejs/bin/node', 'dist/services/main.js', 'economic-governor'],
      env: { PORT: '8001', SHARED: 'secret', NODE_OPTIONS: '--max-old-space-size=3072' },
      mounts: [{ volume: 'ca', mountPath: '/etc/aia/redis-ca', files: { 'ca.crt': 'PEM' } }],
    });
  });

  it('names the workload and the object when a referenced ConfigMap is not in the plan', () => {
    const objects = [
      deployment({
        name: 'x',
        command: ['node', 'x'],
        envFrom: [{ configMapRef: { name: 'gone' } }],
      }),
    ];
    expect(() => renderedWorkloads(objects, 'aia')).toThrow(
      'Deployment economic-governor: ConfigMap gone is not in the plan',
    );
  });

  it("finds the services' namespace where the catalog's services are deployed", () => {
    const service = (namespace: string, name: string): RenderedObject => ({
      kind: 'Deployment',
      metadata: { name, namespace, labels: { 'app.kubernetes.io/name': name } },
    });
    const objects = [service('monitoring', 'grafana'), service('aia-next', 'economic-governor')];
    expect(servicesNamespace(objects, ['aia-api', 'economic-governor'])).toBe('aia-next');
    expect(() => servicesNamespace(objects.slice(0, 1), ['aia-api'])).toThrow(
      'the plan renders no Deployment of a service',
    );
  });
});
