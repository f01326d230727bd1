import { describe, expect, it } from 'vitest';
import { neo4jChartValues } from './chart-values.js';
import { NEO4J_POD_SELECTOR, neo4jNetworkPolicySpec } from './network-policy.js';
import {
  mebibytes,
  millicores,
  NEO4J_CHART,
  NEO4J_IMAGE,
  neo4jMemorySettings,
  validateNeo4jResources,
} from './settings.js';

describe('Neo4j quantities', () => {
  it('reads binary memory quantities as MiB and CPU quantities as millicores', () => {
    expect(mebibytes('2Gi')).toBe(2048);
    expect(mebibytes('1536Mi')).toBe(1536);
    expect(mebibytes('1.5Gi')).toBe(1536);
    expect(millicores('500m')).toBe(500);
    expect(millicores('2')).toBe(2000);
    expect(millicores('0.5')).toBe(500);
  });

  it('refuses quantities it cannot size the JVM from, saying which', () => {
    expect(() => mebibytes('8G')).toThrow(/"8G" is not a binary quantity: give it in Mi, Gi or Ti/);
    expect(() => millicores('two')).toThrow(/"two" is not a CPU quantity/);
  });

  it('refuses less than the chart accepts before anything is built', () => {
    expect(() => validateNeo4jResources({ cpu: '250m', memory: '4Gi' })).toThrow(
      /cpu 250m is below the chart's minimum of 500m/,
    );
    expect(() => validateNeo4jResources({ cpu: '1', memory: '1Gi' })).toThrow(
      /memory 1Gi is below the chart's minimum of 2Gi/,
    );
  });

  it('gives 40 % of the container to the heap and 30 % to the page cache', () => {
    expect(neo4jMemorySettings('8Gi')).toEqual({
      'server.memory.heap.initial_size': '3276m',
      'server.memory.heap.max_size': '3276m',
      'server.memory.pagecache.size': '2457m',
    });
  });
});

describe('neo4jChartValues', () => {
  const values = neo4jChartValues({
    passwordSecretName: 'neo4j-auth',
    storageGb: 200,
    cpu: '2',
    memory: '8Gi',
  }) as Record<string, Record<string, unknown>>;

  it('pins one version for the chart and the image', () => {
    expect(NEO4J_CHART.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(NEO4J_IMAGE).toBe(`neo4j:${NEO4J_CHART.version}`);
    expect(values.image).toEqual({ customImage: NEO4J_IMAGE });
  });

  it('runs a standalone community server with the password from the Secret', () => {
    expect(values.neo4j).toMatchObject({
      name: 'neo4j',
      edition: 'community',
      passwordFromSecret: 'neo4j-auth',
      resources: { cpu: '2', memory: '8Gi' },
    });
    expect(values.neo4j).not.toHaveProperty('password');
    expect(values.neo4j).not.toHaveProperty('minimumClusterSize');
    expect(values.logInitialPassword).toBe(false);
    expect(values.disableLookups).toBe(true);
  });

  it('keeps data on an SSD persistent volume of the requested size', () => {
    expect(values.volumes).toEqual({
      data: {
        mode: 'dynamic',
        dynamic: {
          storageClassName: 'premium-rwo',
          accessModes: ['ReadWriteOnce'],
          requests: { storage: '200Gi' },
        },
      },
    });
  });

  it('serves Bolt only, through no LoadBalancer, with string-valued config', () => {
    expect(values.services).toMatchObject({ neo4j: { enabled: false }, admin: { enabled: false } });
    expect(values.config).toMatchObject({
      'server.http.enabled': 'false',
      'server.https.enabled': 'false',
    });
    for (const value of Object.values(values.config ?? {})) expect(typeof value).toBe('string');
  });

  it('runs non-root with every capability dropped and no privilege escalation', () => {
    expect(values.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 7474 });
    expect(values.containerSecurityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });
});

describe('neo4jNetworkPolicySpec', () => {
  it('opens Bolt to the client namespace and the backup job, and nothing else', () => {
    const spec = neo4jNetworkPolicySpec('aia');
    expect(spec.podSelector).toEqual({ matchLabels: NEO4J_POD_SELECTOR });
    expect(spec.policyTypes).toEqual(['Ingress']);
    expect(spec.ingress).toEqual([
      {
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'aia' } } },
          {
            podSelector: {
              matchLabels: {
                'app.kubernetes.io/name': 'neo4j',
                'app.kubernetes.io/component': 'backup',
              },
            },
          },
        ],
        ports: [{ protocol: 'TCP', port: 7687 }],
      },
    ]);
  });
});
