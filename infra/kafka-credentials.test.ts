import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { serviceDefinition } from '../services/catalog.js';
import { topics } from '../services/events/topics.js';
import { planStack, queries } from '../test/harness/plan-queries.js';
import { PLACEHOLDER_CERTIFICATES } from '../tools/plan/placeholders.js';
import type { Plan } from '../tools/plan/run-plan.js';
import {
  KAFKA_CA_CERT_FILE,
  KAFKA_CLUSTER_CA,
  kafkaClients,
  scramPasswordSecretName,
} from './components/kafka/index.js';

let plan: Plan;
beforeAll(async () => {
  plan = await planStack('production');
});

const objectsOf = (kind: string) => {
  const { ofType, inputsOf } = queries(plan);
  return ofType(`kubernetes:${kind}`).map(inputsOf);
};
const clients = kafkaClients(topics);

type Labels = Record<string, string>;
interface EgressRule {
  readonly to: {
    namespaceSelector?: { matchLabels: Labels };
    podSelector?: { matchLabels: Labels };
  }[];
  readonly ports?: { port: number }[];
}

describe('Kafka credentials of the services in the production plan', () => {
  it('has clients: every service that produces or consumes a topic', () => {
    expect(clients.length).toBeGreaterThan(0);
  });

  it('publishes the cluster CA Strimzi uses into the services namespace as a ConfigMap', () => {
    const strimziCopy = objectsOf('core/v1:Secret').find(
      (secret) => secret.metadata.name === 'aia-cluster-ca-cert',
    );
    expect(strimziCopy?.metadata.namespace).toBe('kafka');
    const [published, ...others] = objectsOf('core/v1:ConfigMap').filter(
      (map) => map.metadata.name === KAFKA_CLUSTER_CA.configMap,
    );
    expect(others).toEqual([]);
    expect(published?.metadata.namespace).toBe('aia');
    expect(published?.data).toEqual({ [KAFKA_CLUSTER_CA.key]: strimziCopy?.stringData['ca.crt'] });
    expect(published?.data[KAFKA_CLUSTER_CA.key]).toBe(PLACEHOLDER_CERTIFICATES.kafkaClusterCa);
  });

  it('mounts the CA read-only into every pod of a Kafka client and rolls it when the CA changes', () => {
    // The Kubernetes SDK records `kind` with the inputs.
    const workloads = [...objectsOf('apps/v1:Deployment'), ...objectsOf('batch/v1:Job')].filter(
      (workload) => workload.metadata.namespace === 'aia',
    );
    for (const service of clients) {
      const own = workloads.filter((workload) =>
        workload.spec.template.metadata.labels['app.kubernetes.io/name'].startsWith(service),
      );
      expect(own.length, service).toBeGreaterThan(0);
      for (const workload of own) {
        const pod = workload.spec.template.spec;
        const volume = pod.volumes.find(
          (v: { configMap?: { name: string } }) => v.configMap?.name === KAFKA_CLUSTER_CA.configMap,
        );
        expect(volume, workload.metadata.name).toBeDefined();
        expect(pod.containers[0].volumeMounts).toContainEqual({
          name: volume.name,
          mountPath: KAFKA_CLUSTER_CA.mountPath,
          readOnly: true,
        });
        if (workload.kind === 'Job') continue;
        expect(workload.spec.template.metadata.annotations).toMatchObject({
          'aia-platform.dev/checksum-kafka-cluster-ca': createHash('sha256')
            .update(PLACEHOLDER_CERTIFICATES.kafkaClusterCa)
            .digest('hex'),
        });
      }
    }
    expect(KAFKA_CA_CERT_FILE).toBe(`${KAFKA_CLUSTER_CA.mountPath}/${KAFKA_CLUSTER_CA.key}`);
  });

  it("renders each client's login in its own namespace once its schema reads the event bus", () => {
    const configMaps = objectsOf('core/v1:ConfigMap');
    const secrets = objectsOf('core/v1:Secret');
    for (const service of clients) {
      const env = configMaps.find((map) => map.metadata.name === `${service}-env`)?.data;
      const secret = secrets.find(
        (s) => s.metadata.name === `${service}-env` && s.metadata.namespace === 'aia',
      )?.stringData;
      if (!('KAFKA_BROKERS' in serviceDefinition(service).env.shape)) {
        // The kit's event-bus fragment is not in this service's schema yet: nothing to render.
        expect(env?.KAFKA_BROKERS, service).toBeUndefined();
        continue;
      }
      expect(env, service).toMatchObject({
        EVENT_TRANSPORT: 'kafka',
        KAFKA_BROKERS: 'aia-kafka-bootstrap.kafka.svc:9093',
        KAFKA_USERNAME: service,
        KAFKA_CA_CERT_FILE,
      });
      // The same password the KafkaUser reads from its Secret in the Kafka namespace.
      const scram = secrets.find((s) => s.metadata.name === scramPasswordSecretName(service));
      expect(scram?.metadata.namespace).toBe('kafka');
      expect(secret?.KAFKA_PASSWORD, service).toBe(scram?.stringData.password);
      expect(env?.KAFKA_PASSWORD).toBeUndefined();
    }
  });

  it("lets the services' pods reach the brokers' TLS listener, and the brokers accept them", () => {
    const policies = objectsOf('networking.k8s.io/v1:NetworkPolicy');
    // Strimzi labels every broker pod of a node pool so (KafkaPool.java: strimzi.io/name
    // `<cluster>-kafka`, kind Kafka, cluster).
    const brokerPod = {
      'strimzi.io/cluster': 'aia',
      'strimzi.io/kind': 'Kafka',
      'strimzi.io/name': 'aia-kafka',
      'strimzi.io/pool-name': 'dual-role',
    };
    const selects = (selector: Record<string, string>) =>
      Object.entries(selector).every(
        ([key, value]) => brokerPod[key as keyof typeof brokerPod] === value,
      );
    const egress = policies
      .filter((p) => p.metadata.namespace === 'aia' && p.spec.policyTypes.includes('Egress'))
      .flatMap((p) => p.spec.egress ?? []);
    expect(
      egress.some(
        (rule: EgressRule) =>
          rule.ports?.some((port) => port.port === 9093) &&
          rule.to.some(
            (peer) =>
              peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === 'kafka' &&
              selects(peer.podSelector?.matchLabels ?? { none: 'none' }),
          ),
      ),
    ).toBe(true);
    const ingress = policies.find((p) => p.metadata.name === 'aia-allow-clients');
    expect(ingress?.metadata.namespace).toBe('kafka');
    expect(selects(ingress?.spec.podSelector.matchLabels)).toBe(true);
    expect(ingress?.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'aia' } } }],
        ports: [{ protocol: 'TCP', port: 9093 }],
      },
    ]);
  });
});
