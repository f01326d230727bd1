import { describe, expect, it } from 'vitest';
import { messagesOf, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { noHostNamespaces, noHostPathVolumes } from './host-access.js';
import { cronJob, daemonSet, deployment, podSpecWith, TYPES, urnOf } from './test-fixtures.js';

describe('k8s-no-host-path-volumes', () => {
  it('accepts emptyDir volumes', async () => {
    expect(await violationsOf([noHostPathVolumes], [deployment()])).toEqual([]);
  });

  it('flags a hostPath volume', async () => {
    const spec = podSpecWith((pod) => {
      pod.volumes = [{ name: 'logs', hostPath: { path: '/var/log' } }];
    });
    expect(await violationsOf([noHostPathVolumes], [daemonSet(spec)])).toEqual([
      {
        policy: 'k8s-no-host-path-volumes',
        enforcementLevel: 'mandatory',
        urn: urnOf(TYPES.daemonSet, 'node-agent'),
        message:
          "DaemonSet monitoring/node-agent: volume 'logs' is a hostPath volume (/var/log): use a PersistentVolumeClaim, an emptyDir or a ConfigMap or Secret volume.",
      },
    ]);
  });
});

describe('k8s-no-host-namespaces', () => {
  it('accepts pods that keep their own namespaces', async () => {
    const spec = podSpecWith((pod) => {
      pod.hostNetwork = false;
    });
    expect(await violationsOf([noHostNamespaces], [deployment(spec)])).toEqual([]);
  });

  it('flags hostNetwork, hostPID and hostIPC with the path to remove', async () => {
    const spec = podSpecWith((pod) => {
      Object.assign(pod, { hostNetwork: true, hostPID: true, hostIPC: true });
    });
    const violations = await violationsOf([noHostNamespaces], [cronJob(spec)]);
    expect(violations.map((v) => [v.policy, v.urn])).toEqual(
      Array(3).fill(['k8s-no-host-namespaces', urnOf(TYPES.cronJob, 'neo4j-backup')]),
    );
    expect(messagesOf(violations)).toEqual([
      "CronJob data/neo4j-backup: its pods share the node's network: remove spec.jobTemplate.spec.template.spec.hostNetwork.",
      "CronJob data/neo4j-backup: its pods share the node's process namespace: remove spec.jobTemplate.spec.template.spec.hostPID.",
      "CronJob data/neo4j-backup: its pods share the node's IPC namespace: remove spec.jobTemplate.spec.template.spec.hostIPC.",
    ]);
  });
});
