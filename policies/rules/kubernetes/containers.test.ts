import { describe, expect, it } from 'vitest';
import { violationsOf } from '../../../test/harness/policy-fixtures.js';
import {
  containerProbes,
  containerResources,
  imagePinProblem,
  pinnedImages,
} from './containers.js';
import {
  APP,
  cronJob,
  deployment,
  hardenedPodSpec,
  job,
  podSpecWith,
  statefulSet,
  TYPES,
  urnOf,
} from './test-fixtures.js';

const deploymentUrn = urnOf(TYPES.deployment, APP);

describe('k8s-container-resources', () => {
  it('accepts a hardened Deployment', async () => {
    expect(await violationsOf([containerResources], [deployment()])).toEqual([]);
  });

  it('names the container whose memory limit is missing and where the figure comes from', async () => {
    const spec = podSpecWith((_, app) => {
      app.resources = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1' } };
    });
    expect(await violationsOf([containerResources], [deployment(spec)])).toEqual([
      {
        policy: 'k8s-container-resources',
        enforcementLevel: 'mandatory',
        urn: deploymentUrn,
        message:
          "Deployment apps/economic-governor: container 'app' has no memory limit: set resources.limits.memory (the service catalog has the figure).",
      },
    ]);
  });

  it('checks init containers and finds the pod template of a CronJob', async () => {
    const spec = podSpecWith((pod) => {
      const [migrate] = pod.initContainers ?? [];
      if (migrate) migrate.resources = { limits: { cpu: '1', memory: '512Mi' } };
    });
    const violations = await violationsOf([containerResources], [cronJob(spec)]);
    expect(violations.map((v) => [v.urn, v.message])).toEqual([
      [
        urnOf(TYPES.cronJob, 'neo4j-backup'),
        "CronJob data/neo4j-backup: init container 'migrate' has no CPU request: set resources.requests.cpu (the service catalog has the figure).",
      ],
      [
        urnOf(TYPES.cronJob, 'neo4j-backup'),
        "CronJob data/neo4j-backup: init container 'migrate' has no memory request: set resources.requests.memory (the service catalog has the figure).",
      ],
    ]);
  });
});

describe('k8s-container-probes', () => {
  it('accepts a Deployment whose containers have both probes', async () => {
    expect(await violationsOf([containerProbes], [deployment()])).toEqual([]);
  });

  it('flags a long-running container without a readiness probe', async () => {
    const spec = podSpecWith((_, app) => {
      app.readinessProbe = undefined;
    });
    expect(await violationsOf([containerProbes], [statefulSet(spec)])).toEqual([
      {
        policy: 'k8s-container-probes',
        enforcementLevel: 'mandatory',
        urn: urnOf(TYPES.statefulSet, 'neo4j'),
        message:
          "StatefulSet data/neo4j: container 'app' has no readiness probe: set readinessProbe (the platform services serve /readyz).",
      },
    ]);
  });

  it('exempts Job and CronJob pods, which run to completion', async () => {
    const spec = hardenedPodSpec({ probes: false });
    expect(await violationsOf([containerProbes], [job(spec), cronJob(spec)])).toEqual([]);
  });
});

describe('k8s-pinned-image', () => {
  it('accepts explicit tags and digests', () => {
    expect(imagePinProblem('ghcr.io/aia/api:1.4.2')).toBeUndefined();
    expect(imagePinProblem(`ghcr.io/aia/api@sha256:${'a'.repeat(64)}`)).toBeUndefined();
    expect(imagePinProblem(`ghcr.io/aia/api:latest@sha256:${'b'.repeat(64)}`)).toBeUndefined();
    expect(imagePinProblem('localhost:5000/aia/api:2.0.0')).toBeUndefined();
  });

  it('rejects untagged images, registry ports included, and :latest', () => {
    expect(imagePinProblem('localhost:5000/aia/api')).toMatch(/without a tag/);
    expect(imagePinProblem('neo4j:latest')).toMatch(/tag moves/);
    expect(imagePinProblem(undefined)).toBe('has no image');
  });

  it('flags a Deployment whose container runs :latest', async () => {
    const spec = podSpecWith((_, app) => {
      app.image = 'ghcr.io/aia/economic-governor:latest';
    });
    expect(await violationsOf([pinnedImages], [deployment()])).toEqual([]);
    expect(await violationsOf([pinnedImages], [deployment(spec)])).toEqual([
      {
        policy: 'k8s-pinned-image',
        enforcementLevel: 'mandatory',
        urn: deploymentUrn,
        message:
          "Deployment apps/economic-governor: container 'app' runs image 'ghcr.io/aia/economic-governor:latest', whose tag moves: pin an explicit version tag (app:1.4.2) or a digest (app@sha256:…), set from stack config.",
      },
    ]);
  });

  it('flags an untagged init container image', async () => {
    const spec = podSpecWith((pod) => {
      const [migrate] = pod.initContainers ?? [];
      if (migrate) migrate.image = 'ghcr.io/aia/migrate';
    });
    const [violation] = await violationsOf([pinnedImages], [job(spec)]);
    expect(violation?.message).toBe(
      "Job apps/economic-governor-migrate: init container 'migrate' runs image 'ghcr.io/aia/migrate' without a tag (Kubernetes pulls :latest): pin an explicit version tag (app:1.4.2) or a digest (app@sha256:…), set from stack config.",
    );
  });
});
