import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog, type ServiceName } from '../services/catalog.js';
import { planStack, queries } from '../test/harness/plan-queries.js';
import { PLACEHOLDER_ADDRESSES, PLACEHOLDER_CERTIFICATES } from '../tools/plan/placeholders.js';
import type { Plan } from '../tools/plan/run-plan.js';
import { pemBundle, REDIS_CA_CERT_FILE, REDIS_SERVER_CA } from './components/memorystore/index.js';

let plan: Plan;
beforeAll(async () => {
  plan = await planStack('production');
});

const objectsOf = (kind: string) => {
  const { ofType, inputsOf } = queries(plan);
  return ofType(`kubernetes:${kind}`).map(inputsOf);
};

describe('the Memorystore server CA in the production plan', () => {
  it('is a ConfigMap in the services namespace holding the instance serverCaCerts', () => {
    const [ca, ...others] = objectsOf('core/v1:ConfigMap').filter(
      (map) => map.metadata.name === REDIS_SERVER_CA.configMap,
    );
    expect(others).toEqual([]);
    expect(ca?.metadata.namespace).toBe('aia');
    expect(ca?.data).toEqual({
      [REDIS_SERVER_CA.key]: pemBundle([PLACEHOLDER_CERTIFICATES.redisServerCa]),
    });
  });

  it('is mounted read-only into every Deployment of a service that uses Redis, where REDIS_CA_CERT_FILE points, and rolls it when it changes', () => {
    const deployments = objectsOf('apps/v1:Deployment').filter(
      (deployment) => deployment.metadata.namespace === 'aia',
    );
    const configMaps = objectsOf('core/v1:ConfigMap');
    const users = Object.values(catalog).filter((service) => service.dataStores.includes('redis'));
    expect(users.length).toBe(6);
    for (const service of users) {
      const own = deployments.filter(
        (deployment) => deployment.metadata.labels['app.kubernetes.io/name'] === service.name,
      );
      expect(own.length, service.name).toBeGreaterThan(0);
      for (const deployment of own) {
        const pod = deployment.spec.template.spec;
        const volume = pod.volumes.find(
          (v: { configMap?: { name: string } }) => v.configMap?.name === REDIS_SERVER_CA.configMap,
        );
        expect(volume, deployment.metadata.name).toBeDefined();
        // The kit reads the CA once at start: a rotated CA must roll the pods.
        expect(deployment.spec.template.metadata.annotations).toMatchObject({
          'aia-platform.dev/checksum-redis-server-ca': createHash('sha256')
            .update(pemBundle([PLACEHOLDER_CERTIFICATES.redisServerCa]))
            .digest('hex'),
        });
        expect(pod.containers[0].volumeMounts).toContainEqual({
          name: volume.name,
          mountPath: REDIS_SERVER_CA.mountPath,
          readOnly: true,
        });
      }
      const env = configMaps.find((map) => map.metadata.name === `${service.name}-env`)?.data;
      expect(env?.REDIS_CA_CERT_FILE, service.name).toBe(REDIS_CA_CERT_FILE);
      expect(REDIS_CA_CERT_FILE).toBe(`${REDIS_SERVER_CA.mountPath}/${REDIS_SERVER_CA.key}`);
    }
  });

  it('comes with a TLS URL carrying the instance AUTH string in every service Secret', () => {
    const secrets = objectsOf('core/v1:Secret').filter(
      (secret) => secret.metadata.namespace === 'aia',
    );
    for (const name of Object.keys(catalog) as ServiceName[]) {
      const secret = secrets.find((s) => s.metadata.name === `${name}-env`);
      expect(secret?.stringData.REDIS_URL, name).toMatch(
        new RegExp(`^rediss://:plan-secret-[^@]+-auth@${PLACEHOLDER_ADDRESSES.redisHost}:6378$`),
      );
    }
  });
});
