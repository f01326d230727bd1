import { describe, expect, it } from 'vitest';
import { regionalPdStorageClass } from '../../../infra/components/storage-classes/index.js';
import { messagesOf, planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { regionalDisksForSingleReplicas } from './regional-disks.js';

const ZONES = ['us-central1-a', 'us-central1-b', 'us-central1-c'];
const storageClass = (spec = regionalPdStorageClass(ZONES)) =>
  planned('kubernetes:storage.k8s.io/v1:StorageClass', 'regional-pd', spec);
const neo4j = (storageClassName: string) =>
  planned('kubernetes:helm.sh/v3:Release', 'neo4j', {
    name: 'neo4j',
    chart: 'neo4j',
    namespace: 'data',
    values: { volumes: { data: { mode: 'dynamic', dynamic: { storageClassName } } } },
  });
const statefulSet = (replicas: number, storageClassName: string) =>
  planned('kubernetes:apps/v1:StatefulSet', 'db', {
    metadata: { name: 'db', namespace: 'data' },
    spec: { replicas, volumeClaimTemplates: [{ spec: { storageClassName } }] },
  });
const claim = (storageClassName: string) =>
  planned('kubernetes:core/v1:PersistentVolumeClaim', 'badger', {
    metadata: { name: 'jaeger-badger', namespace: 'monitoring' },
    spec: { storageClassName, accessModes: ['ReadWriteOnce'] },
  });
const nodePool = (replicas: number) =>
  planned('kubernetes:kafka.strimzi.io/v1:KafkaNodePool', 'pool', {
    metadata: { name: 'dual-role', namespace: 'kafka' },
    spec: { replicas, storage: { type: 'persistent-claim', class: 'premium-rwo' } },
  });
const check = async (...resources: ReturnType<typeof planned>[]) =>
  messagesOf(await violationsOf([regionalDisksForSingleReplicas], resources));

describe('k8s-regional-disks', () => {
  it("accepts single-replica volumes on the stack's regional PD class", async () => {
    const regional = 'regional-pd-balanced';
    expect(
      await check(storageClass(), neo4j(regional), statefulSet(1, regional), claim(regional)),
    ).toEqual([]);
  });

  it('flags the Neo4j release, a one-replica StatefulSet and a claim on a zonal class, naming the field and the class to set', async () => {
    const messages = await check(
      storageClass(),
      neo4j('premium-rwo'),
      statefulSet(1, 'standard-rwo'),
      claim('premium-rwo'),
    );
    expect(messages).toEqual([
      "StatefulSet data/db (one replica) keeps its data on storage class 'standard-rwo', a zonal disk: a zone outage takes the workload down with its data. Set spec.volumeClaimTemplates[0].spec.storageClassName to 'regional-pd-balanced', the stack's regional persistent disk class.",
      "PersistentVolumeClaim monitoring/jaeger-badger keeps its data on storage class 'premium-rwo', a zonal disk: a zone outage takes the workload down with its data. Set spec.storageClassName to 'regional-pd-balanced', the stack's regional persistent disk class.",
      "Release data/neo4j keeps its data on storage class 'premium-rwo', a zonal disk: a zone outage takes the workload down with its data. Set values.volumes.data.dynamic.storageClassName to 'regional-pd-balanced', the stack's regional persistent disk class.",
    ]);
  });

  it('leaves replicated workloads alone: three brokers or StatefulSet replicas copy their own data', async () => {
    expect(await check(nodePool(3), statefulSet(3, 'premium-rwo'))).toEqual([]);
    const [message] = await check(nodePool(1));
    expect(message).toMatch(
      /^KafkaNodePool kafka\/dual-role \(one broker\) keeps its data on storage class 'premium-rwo'.* Set spec.storage.class to a StorageClass of the stack with parameters \{ type: pd-balanced, replication-type: regional-pd \}/,
    );
  });

  it('refuses a regional class confined to one zone, and does not count it', async () => {
    const oneZone = { ...regionalPdStorageClass(ZONES), allowedTopologies: [] };
    const messages = await check(storageClass(oneZone), neo4j('regional-pd-balanced'));
    expect(messages[0]).toBe(
      "StorageClass regional-pd-balanced is regional-pd but allows 0 zone(s): set allowedTopologies to the cluster's zones (topology.gke.io/zone, two or more), so the disk's replica zone has nodes.",
    );
    expect(messages[1]).toContain(
      "Release data/neo4j keeps its data on storage class 'regional-pd-balanced'",
    );
  });

  it('checks Prometheus in kube-prometheus-stack only when it runs one replica', async () => {
    const monitoring = (replicas: number) =>
      planned('kubernetes:helm.sh/v3:Release', `monitoring-${replicas}`, {
        name: 'kube-prometheus-stack',
        chart: 'kube-prometheus-stack',
        namespace: 'monitoring',
        values: {
          prometheus: {
            prometheusSpec: {
              replicas,
              storageSpec: { volumeClaimTemplate: { spec: { storageClassName: 'premium-rwo' } } },
            },
          },
        },
      });
    expect(await check(monitoring(2))).toEqual([]);
    const [message] = await check(monitoring(1));
    expect(message).toContain(
      'Set values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName to',
    );
  });
});
