import { describe, expect, it } from 'vitest';
import { messagesOf, violationsOf } from '../../../test/harness/policy-fixtures.js';
import {
  dropAllCapabilities,
  noPrivilegeEscalation,
  readOnlyRootFilesystem,
  runAsNonRoot,
  seccompConfined,
} from './security-context.js';
import { APP, deployment, podSpecWith, TYPES, urnOf } from './test-fixtures.js';

const urn = urnOf(TYPES.deployment, APP);
const object = 'Deployment apps/economic-governor';

describe('k8s-run-as-non-root', () => {
  it('accepts runAsNonRoot set on the pod alone', async () => {
    const spec = podSpecWith((pod) => {
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
        container.securityContext = { ...container.securityContext, runAsNonRoot: undefined };
      }
    });
    expect(await violationsOf([runAsNonRoot], [deployment(spec)])).toEqual([]);
  });

  it('flags a container that overrides the pod with runAsNonRoot false', async () => {
    const spec = podSpecWith((_, app) => {
      app.securityContext = { ...app.securityContext, runAsNonRoot: false };
    });
    expect(await violationsOf([runAsNonRoot], [deployment(spec)])).toEqual([
      {
        policy: 'k8s-run-as-non-root',
        enforcementLevel: 'mandatory',
        urn,
        message: `${object}: container 'app' may run as root: set securityContext.runAsNonRoot: true on the container or in spec.template.spec.securityContext.`,
      },
    ]);
  });

  it('flags a container that runs as UID 0', async () => {
    const spec = podSpecWith((_, app) => {
      app.securityContext = { ...app.securityContext, runAsUser: 0 };
    });
    expect(messagesOf(await violationsOf([runAsNonRoot], [deployment(spec)]))).toEqual([
      `${object}: container 'app' runs as root (runAsUser 0): run as a non-zero UID and set securityContext.runAsNonRoot: true.`,
    ]);
  });
});

describe('k8s-read-only-root-filesystem', () => {
  it('accepts a read-only root filesystem', async () => {
    expect(await violationsOf([readOnlyRootFilesystem], [deployment()])).toEqual([]);
  });

  it('flags a writable root filesystem', async () => {
    const spec = podSpecWith((_, app) => {
      app.securityContext = { ...app.securityContext, readOnlyRootFilesystem: undefined };
    });
    expect(await violationsOf([readOnlyRootFilesystem], [deployment(spec)])).toEqual([
      {
        policy: 'k8s-read-only-root-filesystem',
        enforcementLevel: 'mandatory',
        urn,
        message: `${object}: container 'app' has a writable root filesystem: set securityContext.readOnlyRootFilesystem: true (mount an emptyDir where it must write).`,
      },
    ]);
  });
});

describe('k8s-no-privilege-escalation', () => {
  it('accepts allowPrivilegeEscalation false', async () => {
    expect(await violationsOf([noPrivilegeEscalation], [deployment()])).toEqual([]);
  });

  it('treats an unset allowPrivilegeEscalation as allowed, as Kubernetes does', async () => {
    const spec = podSpecWith((pod) => {
      const [migrate] = pod.initContainers ?? [];
      if (migrate) migrate.securityContext = { runAsNonRoot: true };
    });
    expect(await violationsOf([noPrivilegeEscalation], [deployment(spec)])).toEqual([
      {
        policy: 'k8s-no-privilege-escalation',
        enforcementLevel: 'mandatory',
        urn,
        message: `${object}: init container 'migrate' allows privilege escalation: set securityContext.allowPrivilegeEscalation: false.`,
      },
    ]);
  });

  it('flags a privileged container', async () => {
    const spec = podSpecWith((_, app) => {
      app.securityContext = { ...app.securityContext, privileged: true };
    });
    expect(messagesOf(await violationsOf([noPrivilegeEscalation], [deployment(spec)]))).toEqual([
      `${object}: container 'app' is privileged: remove securityContext.privileged.`,
    ]);
  });
});

describe('k8s-drop-all-capabilities', () => {
  it('accepts drop ALL with a capability added back', async () => {
    const spec = podSpecWith((_, app) => {
      app.securityContext = {
        ...app.securityContext,
        capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
      };
    });
    expect(await violationsOf([dropAllCapabilities], [deployment(spec)])).toEqual([]);
  });

  it('flags a container that drops only some capabilities', async () => {
    const spec = podSpecWith((_, app) => {
      app.securityContext = { ...app.securityContext, capabilities: { drop: ['NET_RAW'] } };
    });
    expect(await violationsOf([dropAllCapabilities], [deployment(spec)])).toEqual([
      {
        policy: 'k8s-drop-all-capabilities',
        enforcementLevel: 'mandatory',
        urn,
        message: `${object}: container 'app' keeps its default Linux capabilities: set securityContext.capabilities.drop: ['ALL'] (add back only what it needs).`,
      },
    ]);
  });
});

describe('k8s-seccomp-runtime-default', () => {
  it("accepts the pod's RuntimeDefault profile for every container", async () => {
    expect(await violationsOf([seccompConfined], [deployment()])).toEqual([]);
  });

  it('flags a container that overrides the profile with Unconfined', async () => {
    const spec = podSpecWith((_, app) => {
      app.securityContext = { ...app.securityContext, seccompProfile: { type: 'Unconfined' } };
    });
    expect(messagesOf(await violationsOf([seccompConfined], [deployment(spec)]))).toEqual([
      `${object}: container 'app' runs Unconfined: set seccompProfile: { type: RuntimeDefault } in spec.template.spec.securityContext (infra/components/security-contexts.ts).`,
    ]);
  });

  it('flags every container of a pod without a profile', async () => {
    const spec = podSpecWith((pod) => {
      pod.securityContext = { ...pod.securityContext, seccompProfile: undefined };
    });
    expect((await violationsOf([seccompConfined], [deployment(spec)])).length).toBe(2);
  });
});
